"""``autograde``: grade every submission of an assignment in parallel.

The parent builds one ``GradeTask`` per submission, hands them to a local process pool
or a Dask cluster running the stateless ``grader.worker.grade``, and is the only place
that writes results: the graded notebook into ``autograded/<student>/<ID>/`` (temp file
+ rename), a line in ``grading_log.jsonl`` and the scores into nbgrader's gradebook (one
transaction per submission, see :func:`grader.gradebook.store_result`).

Re-running skips submissions whose gradebook timestamp already equals their
``timestamp.txt`` and whose autograded folder exists (nbgrader's own definition of
"autograded"), so a run killed half-way resumes where it stopped.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from grader import executors, gradelog, safefiles
from grader.course import Course, atomic_write_text, late_penalty_method
from grader.errors import GraderError
from grader.gradebook import ensure_student, graded_timestamps, open_gradebook, store_result
from grader.progress import Progress
from grader.sandbox.isolation import lifetime

log = logging.getLogger(__name__)


@dataclass
class AutogradeSummary:
    """Counts and failures of one ``autograde`` run."""

    assignment: str
    total: int = 0
    graded: list[tuple[str, float, float]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    timed_out: list[tuple[str, str]] = field(default_factory=list)
    crashed: list[tuple[str, str]] = field(default_factory=list)
    already_graded: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    exit_status: int = 0

    def lines(self) -> list[str]:
        """A human-readable report."""
        out = [
            f"{self.assignment}: {len(self.graded)} graded, {len(self.failed)} failed, "
            f"{len(self.crashed)} crashed, {len(self.timed_out)} timed out, "
            f"{self.already_graded} already graded (use --force to redo) in {self.seconds:.1f}s"
        ]
        out += [f"  failed {student}: {reason}" for student, reason in self.failed]
        out += [f"  crashed {student}: {reason}" for student, reason in self.crashed]
        out += [f"  timed out {student}: {reason}" for student, reason in self.timed_out]
        if self.errors:
            out.append(
                f"  {len(self.errors)} not graded because grading itself failed (not recorded; "
                f"fix and re-run): {self.errors[0][1]}"
            )
        return out


def main(
    *,
    assignment: str,
    course: Path = Path("course"),
    db: str | None = None,
    workers: int | None = None,
    dask: str | None = None,
    force: bool = False,
    students: Sequence[str] | None = None,
    cold: bool = False,
) -> AutogradeSummary:
    """Grade the submissions of ``assignment`` and record the results.

    Raises:
        GraderError: unknown assignment or student, missing course directory, unreachable
            gradebook or Dask scheduler. A submission that cannot be graded is recorded
            as failed and does not stop the batch.
    """
    from grader import worker  # delivered separately; imported late so --help stays fast

    started = time.monotonic()
    target = Course.open(course, db=db)
    # processes of an earlier run on this course that was killed (kill -9) go first; every
    # process this run starts carries its mark and dies with it (grader.sandbox.isolation.lifetime)
    reaped = lifetime.reap_orphans(target.root)
    if reaped:
        log.warning("stopped %d processes left behind by a killed autograde run", len(reaped))
    lifetime.mark_run(target.root)
    notebook = target.notebook_name(assignment)
    chosen = _choose_students(target, assignment, students)
    summary = AutogradeSummary(assignment, total=len(chosen))
    # connect before touching the gradebook, so an unreachable scheduler writes nothing
    client = executors.connect_dask(dask) if dask else None
    with open_gradebook(target.db_url, target.course_id) as gb:
        _require_assignment(gb, assignment)
        # links and bad timestamp.txt files fail their own submission (issue 15, class 4)
        stamps, problems = {}, {}
        for s in chosen:
            problems[s] = target.submission_problem(s, assignment)
            stamps[s], problem = _timestamp(target, s, assignment, problems[s])
            problems[s] = problems[s] or problem
        recorded = graded_timestamps(gb, assignment)
        todo = [
            s
            for s in chosen
            if force
            or recorded.get(s, "never") != stamps[s]
            or not target.autograded_dir(s, assignment).is_dir()
        ]
        summary.already_graded = len(chosen) - len(todo)
        for student in todo:  # hand-copied submissions may name students collect never saw
            ensure_student(gb, student)
        tasks = [
            _task(worker, target, assignment, notebook, s, cold=cold)
            for s in todo
            if not problems[s]
        ]
        for s in todo:
            if problems[s]:
                task = _task(worker, target, assignment, notebook, s)
                source = worker.load_source(task.source_path)
                failed = worker._unusable(task, source, problems[s], time.monotonic())
                _save(target, gb, task, failed, stamps[s], summary)
        if client is not None:
            results = executors.run_dask(worker.grade, tasks, client)
        else:
            results = executors.run_local(
                worker.grade, tasks, workers or executors.default_workers()
            )
        bar = Progress(len(tasks), f"grading {assignment}")
        for task, result in results:
            if isinstance(result, BaseException):
                _setup_error(target, task, result, summary)
            else:
                _save(target, gb, task, result, stamps[task.student], summary)
            bar.advance(task.student)
    summary.seconds = time.monotonic() - started
    return summary


def _choose_students(course: Course, assignment: str, students: Sequence[str] | None) -> list[str]:
    present = course.students(assignment)
    if not students:
        return present
    unknown = sorted(set(students) - set(present))
    if unknown:
        raise GraderError(f"no submission of {assignment} for: {', '.join(unknown)}")
    return sorted(set(students))


def _require_assignment(gb: Any, assignment: str) -> None:
    from nbgrader.api import MissingEntry

    try:
        gb.find_assignment(assignment)
    except MissingEntry:
        raise GraderError(
            f"assignment {assignment!r} is not in the gradebook; run `python -m grader release "
            f"{assignment}` with the same --db first"
        ) from None


def _timestamp(course: Course, student: str, assignment: str, problem: str) -> tuple[datetime, str]:
    """The submission time nbgrader will compare against, and a problem ('' if none).

    ``timestamp.txt`` is read without following a link (``grader.safefiles``); garbage or a
    link fails this submission only, with a reason that never quotes the file. A folder
    without one (copied in by hand) gets the time of this run, once: file times in a
    learner's folder are the learner's to set (issue 15, class 8).
    """
    from nbgrader.utils import parse_utc

    now = parse_utc(datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f UTC"))
    if problem:
        return now, ""
    folder = course.submitted_dir(student, assignment)
    stamp, note = safefiles.read_timestamp(folder, released=course.release_time(assignment))
    if stamp is None and note:
        return now, note
    if note:
        log.warning("%s: %s", student, note)
        gradelog.append(
            course.log_path,
            {"kind": "time", "assignment": assignment, "student": student, "reason": note},
        )
    if stamp is None:
        atomic_write_text(folder / "timestamp.txt", now.strftime("%Y-%m-%d %H:%M:%S.%f UTC\n"))
        return now, ""
    return stamp, ""


def _task(
    worker: Any, course: Course, assignment: str, notebook: str, student: str, cold: bool = False
) -> Any:
    from grader.limits import Limits

    return worker.GradeTask(
        student=student,
        assignment=assignment,
        notebook=f"{notebook}.ipynb",
        submission_path=str(course.submitted_dir(student, assignment) / f"{notebook}.ipynb"),
        source_path=str(course.source_dir(assignment) / f"{notebook}.ipynb"),
        data_dir=str(course.source_dir(assignment) / "data"),
        limits=Limits(),
        cold=cold,
    )


def _save(course: Course, gb: Any, task: Any, result: Any, stamp: datetime, summary) -> None:
    """Write one result: notebook, log line, then the gradebook (which marks it done)."""
    student, notebook = task.student, Path(task.notebook).stem
    status, graded_nb, seconds = result.status, result.graded_notebook, result.seconds
    grades = {g.grade_id: _score(g, status) for g in result.grades}
    reasons = list(result.reasons)
    out = course.autograded_dir(student, task.assignment)
    out.mkdir(parents=True, exist_ok=True)
    if graded_nb:
        atomic_write_text(out / f"{notebook}.ipynb", graded_nb)
    else:
        (out / f"{notebook}.ipynb").unlink(missing_ok=True)
    submitted = course.submitted_dir(student, task.assignment)
    # nbgrader's release_feedback needs the submission secret next to the timestamp.
    for name in ("timestamp.txt", "submission_secret.txt"):
        safefiles.copy_plain_file(submitted / name, out)  # never through a link
    cells = [_cell_record(g) for g in result.grades]
    gradelog.append(
        course.log_path,
        {
            "kind": "grade",
            "assignment": task.assignment,
            "student": student,
            "status": status,
            "reasons": reasons,
            "incidents": list(gradelog.incidents(reasons)),
            "cells": cells,
            "seconds": round(seconds, 3),
            "costs": dict(getattr(result, "costs", ())),
        },
    )
    store_result(
        gb,
        assignment=task.assignment,
        notebook=notebook,
        student=student,
        timestamp=stamp,
        grades=grades,
        late_penalty_method=late_penalty_method(course.root),
    )
    if status == "graded":
        score = sum(c["score"] or 0 for c in cells)
        summary.graded.append((student, score, sum(c["max_score"] for c in cells)))
    else:
        summary.failed.append((student, "; ".join(reasons) or "no reason given"))
    found = gradelog.incidents(reasons)
    if "crash" in found:
        summary.crashed.append((student, found["crash"]))
    if "timeout" in found:
        summary.timed_out.append((student, found["timeout"]))


def _setup_error(course: Course, task: Any, error: BaseException, summary) -> None:
    """The worker raised: a problem of the grading setup, not of the submission.

    Nothing is written to the gradebook (giving 0 for a broken sandbox would be wrong, and
    the submission stays ungraded so a re-run retries it); the error is logged and makes
    the run exit non-zero. A missing sandbox stops the batch at once.
    """
    reason = f"{type(error).__name__}: {error}".strip()
    if type(error).__name__ == "SandboxUnavailable":
        raise GraderError(f"cannot grade safely: {error}")
    log.error("grading %s failed (setup problem, not recorded): %s", task.student, reason)
    gradelog.append(
        course.log_path,
        {
            "kind": "grade",
            "assignment": task.assignment,
            "student": task.student,
            "status": "error",
            "reasons": [reason],
            "cells": [],
            "seconds": 0.0,
        },
    )
    summary.errors.append((task.student, reason))
    summary.exit_status = 1


def _score(grade: Any, status: str) -> float | None:
    """The automatic score to record; None asks a person to grade the cell.

    The worker reports written (manual) cells with score 0 and a reason; only an
    unanswered or missing answer is a real 0. Anything else waits for the trainer,
    except in a submission that could not be read at all.
    """
    if grade.cell_type != "manual" or status != "graded":
        return float(grade.score)
    reason = grade.reason or ""
    if reason == "unanswered" or reason.startswith("answer cell missing"):
        return 0.0
    return None


def _cell_record(grade: Any) -> dict[str, Any]:
    return {
        "grade_id": grade.grade_id,
        "score": grade.score,
        "max_score": grade.max_score,
        "cell_type": grade.cell_type,
        "reason": grade.reason,
    }
