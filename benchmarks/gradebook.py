"""Benchmark: how many graded submissions per second the one writer can record.

`grader autograde` has a single writer (the parent process): per submission it writes the graded
notebook (temp file + rename), appends a line to `grading_log.jsonl` and commits one gradebook
transaction. This measures that writer on SQLite (the default) and on a durable PostgreSQL server
(fsync on, a throwaway cluster on loopback), then two writers at once on PostgreSQL (two graders
on one gradebook, as `docs/trainers.md` allows), and prints submissions per second, so a cohort
can be sized against the graders' own throughput (`benchmarks/autograde.py`).

Students and scores are SYNTHETIC (full marks on the exercise's own graded cells).

Usage: .venv/bin/python benchmarks/gradebook.py [--exercise DIR] [--submissions 300]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from testkit.cohort import DEFAULT_EXERCISE, ExerciseUnderTest  # noqa: E402


def _write(course_dir: str, db: str, assignment: str, students: list[str], notebook: str) -> float:
    """Record ``students`` as the writer does; return the seconds spent (set-up excluded)."""
    from grader import gradelog
    from grader.course import Course, atomic_write_text
    from grader.gradebook import ensure_student, open_gradebook, store_result

    # nbgrader's gradebook trips SQLAlchemy autoflush warnings (harmless; the CLI hides them too)
    warnings.filterwarnings("ignore", module="nbgrader")
    course = Course.open(Path(course_dir), db=db)
    ex = ExerciseUnderTest(course.source_dir(assignment), REPO / "datasets")
    grades = {gid: pts for gid, (pts, kind) in ex.points().items() if kind == "code"}
    stamp = datetime(2025, 3, 1, 10, tzinfo=UTC)
    with open_gradebook(course.db_url, course.course_id) as gb:
        for student in students:
            ensure_student(gb, student)
        started = time.monotonic()
        for student in students:
            out = course.autograded_dir(student, assignment)
            out.mkdir(parents=True, exist_ok=True)
            atomic_write_text(out / f"{assignment}.ipynb", notebook)
            gradelog.append(course.log_path, {"kind": "grade", "student": student, "cells": []})
            store_result(
                gb,
                assignment=assignment,
                notebook=assignment,
                student=student,
                timestamp=stamp,
                grades=grades,
            )
        return time.monotonic() - started


def _course(tmp: Path, ex: ExerciseUnderTest, name: str, db: str | None) -> Path:
    from grader import release

    course = tmp / name
    release.main(
        assignments=[ex.id], course=course, exercises=ex.exercises, datasets=ex.datasets, db=db
    )
    return course


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--exercise", type=Path, default=DEFAULT_EXERCISE)
    parser.add_argument("--submissions", type=int, default=300)
    args = parser.parse_args()
    ex = ExerciseUnderTest(args.exercise.resolve(), REPO / "datasets")
    notebook = json.dumps(json.loads((ex.folder / f"{ex.id}.ipynb").read_text()))  # typical size
    n = args.submissions
    students = [f"s{i:05d}" for i in range(n)]
    print(
        f"exercise {ex.id}: {n} synthetic submissions per run, graded notebook "
        f"{len(notebook) / 1024:.0f} KB"
    )
    from testkit.postgres import create_database, pg_bin, throwaway_postgres

    with tempfile.TemporaryDirectory(prefix="bench-gradebook-") as tmp:
        root = Path(tmp)
        sqlite = _course(root, ex, "sqlite", None)
        url = f"sqlite:///{sqlite / 'gradebook.db'}"
        seconds = _write(str(sqlite), url, ex.id, students, notebook)
        print(
            f"SQLite, one writer:        {n / seconds:7.1f} submissions/s ({seconds / n * 1000:.1f} ms each)"
        )
        if pg_bin() is None:
            print("PostgreSQL not installed: skipped (apt-get install postgresql)")
            return
        with throwaway_postgres(durable=True) as server:
            db = create_database(server, "bench")
            pg = _course(root, ex, "postgres", db)
            seconds = _write(str(pg), db, ex.id, students, notebook)
            print(
                f"PostgreSQL, one writer:    {n / seconds:7.1f} submissions/s "
                f"({seconds / n * 1000:.1f} ms each; fsync on)"
            )
            halves = [[f"t{s}" for s in students[: n // 2]], [f"t{s}" for s in students[n // 2 :]]]
            start = time.monotonic()
            with ProcessPoolExecutor(2) as pool:
                list(pool.map(_write, [str(pg)] * 2, [db] * 2, [ex.id] * 2, halves, [notebook] * 2))
            wall = time.monotonic() - start
            print(
                f"PostgreSQL, two writers:   {n / wall:7.1f} submissions/s together "
                f"(wall clock, student set-up included)"
            )


if __name__ == "__main__":
    main()
