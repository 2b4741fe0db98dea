"""SYNTHETIC cohorts shared by the tests and the benchmarks: an exercise and its submissions.

Submissions are test fixtures derived from an exercise's own source notebook (its solutions,
or its student version), so the score each must get follows from the notebook's metadata and
needs no hand-written answers. Nothing here is learner data.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import nbformat

from grader.check import student_version

REPO = Path(__file__).resolve().parents[1]
DEFAULT_EXERCISE = REPO / "exercises" / "ex03_intersector_dialogue"
GRADED_STAMP = "2025-03-01 10:00:00.000000 UTC"


@dataclass(frozen=True)
class ExerciseUnderTest:
    """An exercise folder and the datasets folder its ``course.datasets`` come from."""

    folder: Path
    datasets: Path

    @property
    def id(self) -> str:
        return self.folder.name

    @property
    def exercises(self) -> Path:
        return self.folder.parent

    def source(self) -> nbformat.NotebookNode:
        return nbformat.read(self.folder / f"{self.id}.ipynb", as_version=4)

    def points(self) -> dict[str, tuple[float, str]]:
        """grade_id -> (points, "code" | "markdown") for every graded cell."""
        out = {}
        for cell in self.source().cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade"):
                out[meta["grade_id"]] = (float(meta["points"]), cell.cell_type)
        return out


def exercise_from_env() -> ExerciseUnderTest:
    """``GRADER_TEST_EXERCISE`` (and ``GRADER_TEST_DATASETS``), by default ex03 on datasets/."""
    folder = Path(os.environ.get("GRADER_TEST_EXERCISE", DEFAULT_EXERCISE)).resolve()
    datasets = os.environ.get("GRADER_TEST_DATASETS")
    if datasets:
        return ExerciseUnderTest(folder, Path(datasets).resolve())
    local = folder / "data"
    return ExerciseUnderTest(folder, local if local.is_dir() else REPO / "datasets")


COHORT = {  # student id -> kind of SYNTHETIC submission
    "anna_right": "right",
    "boris_partial": "partial",
    "vera_blank": "blank",
}


def answer_cells(nb: nbformat.NotebookNode) -> list[int]:
    """Indices of the autograded answer (code solution) cells."""
    return [
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")
    ]


def make_submission(exercise: ExerciseUnderTest, kind: str) -> tuple[str, dict[str, float | None]]:
    """A SYNTHETIC submission of ``kind`` and the score each grade id must get.

    ``right``: the source's solutions; ``blank``: the student version untouched;
    ``partial``: right except the last answer cell left unanswered.
    """
    source = exercise.source()
    blank = student_version(source)
    points = exercise.points()
    if kind == "blank":
        expected = {gid: 0.0 for gid in points}
        return nbformat.writes(blank), expected
    sub = nbformat.from_dict(json.loads(json.dumps(source)))
    sub = student_version(sub)  # hidden tests and outputs gone, as a learner would have it
    for i in answer_cells(source):
        sub.cells[i] = source.cells[i]
    for i, cell in enumerate(source.cells):
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "markdown" and meta.get("solution"):
            sub.cells[i] = cell
    expected = {gid: (None if kind_ == "markdown" else pts) for gid, (pts, kind_) in points.items()}
    if kind == "partial":
        last = answer_cells(source)[-1]
        sub.cells[last] = blank.cells[last]
        test = next(
            c
            for c in source.cells[last + 1 :]
            if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")
        )
        expected[test.metadata.nbgrader["grade_id"]] = 0.0
    return nbformat.writes(sub), expected


def put_submissions(course: Path, assignment: str, subs: dict[str, str], stamp: str) -> None:
    """Write notebooks straight into ``submitted/`` (what ``collect`` would do)."""
    for student, text in subs.items():
        folder = course / "submitted" / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{assignment}.ipynb").write_text(text)
        (folder / "timestamp.txt").write_text(stamp)


def gradebook_scores(course: Path, assignment: str, db: str | None = None) -> dict:
    """student -> {grade_id: (score, needs_manual_grade)} read back from the gradebook."""
    from grader.course import Course
    from grader.gradebook import open_gradebook

    target = Course.open(course, db=db)
    out: dict = {}
    with open_gradebook(target.db_url) as gb:
        for sub in gb.assignment_submissions(assignment):
            for nb in sub.notebooks:
                out[sub.student.id] = {
                    g.name: (
                        g.score if g.auto_score is not None or g.manual_score is not None else None,
                        g.needs_manual_grade,
                    )
                    for g in nb.grades
                }
    return out
