"""``check``: an exercise is fit to release.

1. Its metadata follows the exercise contract: readable notebook, kernel ``python3``,
   outputs cleared, datasets present, grade ids unique and meaningful (nbgrader's random
   ``cell-…`` ids rejected), every graded cell worth points > 0, test cells with visible
   checks and a hidden block, solution cells with their markers, and ``rubric.md``
   criteria adding up to each written task's points.
2. Graded by the same worker that grades learners, the solution notebook gets full
   points on every test, and the unanswered student version gets 0 on every test.

``check_exercise(folder)`` needs no course directory; ``main`` checks several at once and
grades their notebooks on a small process pool.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from grader import executors, hidden
from grader.course import repo_root
from grader.errors import GraderError
from grader.release import find_exercises
from grader.rubric import rubric_points

log = logging.getLogger(__name__)

_RANDOM_ID = re.compile(r"^cell-[0-9a-f]{6,}$")
_MEANINGFUL = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")


@dataclass
class _Checked:
    """One exercise: its problems so far and, if it can be run, the files to grade."""

    folder: Path
    problems: list[str] = field(default_factory=list)
    notebook: nbformat.NotebookNode | None = None
    datasets: list[Path] = field(default_factory=list)


def student_version(source: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The unanswered student notebook, made by nbgrader's own clearing preprocessors."""
    from nbgrader.preprocessors import ClearHiddenTests, ClearOutput, ClearSolutions

    nb = nbformat.from_dict(json.loads(json.dumps(source)))
    for pre in (ClearSolutions(), ClearHiddenTests(), ClearOutput()):
        nb, _ = pre.preprocess(nb, {})
    return nb


def _find_dataset(name: str, folder: Path, datasets: Path | None) -> Path | None:
    places = [datasets] if datasets else [folder.parents[1] / "datasets", repo_root() / "datasets"]
    places.append(folder / "data")
    return next((p / name for p in places if p and (p / name).is_file()), None)


def _static(folder: Path, datasets: Path | None) -> _Checked:
    checked = _Checked(folder)
    say = checked.problems.append
    path = folder / f"{folder.name}.ipynb"
    try:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
    except Exception as exc:  # nbformat raises many unrelated types for a bad file
        say(f"{path}: not a valid notebook ({exc})")
        return checked
    if nb.metadata.get("kernelspec", {}).get("name") != "python3":
        say(f"{path}: kernelspec must be python3")
    for name in nb.metadata.get("course", {}).get("datasets", []):
        found = _find_dataset(name, folder, datasets)
        if found is None:
            say(f"{path}: dataset {name} (metadata course.datasets) not found")
        else:
            checked.datasets.append(found)
    seen: set[str] = set()
    manual: dict[str, float] = {}
    tests = 0
    for number, cell in enumerate(nb.cells, 1):
        meta = cell.metadata.get("nbgrader")
        where = f"{path} cell {number}"
        if cell.cell_type == "code" and cell.get("outputs"):
            say(f"{where}: outputs not cleared")
        if not meta:
            continue
        gid = str(meta.get("grade_id", ""))
        where += f" ({gid or 'no grade_id'})"
        if not gid:
            say(f"{where}: nbgrader cell without grade_id")
        elif gid in seen:
            say(f"{where}: grade_id used twice")
        elif _RANDOM_ID.match(gid):
            say(f"{where}: random grade_id; name it after what it grades, e.g. q1_gap_ratio")
        elif (meta.get("grade") or meta.get("solution")) and not _MEANINGFUL.match(gid):
            say(f"{where}: grade_id should say what is graded (lowercase words joined by _)")
        seen.add(gid)
        if meta.get("grade"):
            points = meta.get("points")
            if not isinstance(points, int | float) or isinstance(points, bool) or points <= 0:
                say(f"{where}: graded cell needs points > 0 in its metadata, has {points!r}")
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            tests += 1
            visible, secret = hidden.split_hidden(cell.source)
            if hidden.BEGIN not in cell.source or hidden.END not in cell.source or not secret:
                say(f"{where}: test cell needs a ### BEGIN/END HIDDEN TESTS block")
            if "assert" not in visible and "check." not in visible:  # coursecheck counts
                say(f"{where}: test cell needs visible checks (assert … or check.…) first")
        markers = "### BEGIN SOLUTION" in cell.source and "### END SOLUTION" in cell.source
        if cell.cell_type == "code" and meta.get("solution") and not markers:
            say(f"{where}: solution cell needs ### BEGIN SOLUTION / ### END SOLUTION")
        if cell.cell_type == "markdown" and meta.get("grade") and meta.get("solution"):
            manual[gid] = float(meta.get("points") or 0)
    if tests == 0:
        say(f"{path}: no autograded test cell")
    _check_rubric(folder, manual, say)
    checked.notebook = nb
    return checked


def _check_rubric(folder: Path, manual: dict[str, float], say) -> None:
    if not manual:
        return
    rubric = folder / "rubric.md"
    if not rubric.is_file():
        say(f"{rubric}: missing (written tasks {', '.join(manual)} need a rubric)")
        return
    text = rubric.read_text(encoding="utf-8")
    for gid, points in manual.items():
        criteria, stated = rubric_points(text, gid)
        if criteria is None:
            say(f"{rubric}: no section with criteria and points for {gid}")
        elif abs(criteria - points) > 1e-9:
            say(
                f"{rubric}: criteria for {gid} add up to {criteria:g}, the cell is worth {points:g}"
            )
        if stated is not None and abs(stated - points) > 1e-9:
            say(f"{rubric}: heading of {gid} says {stated:g} points, the cell is worth {points:g}")


def _tasks(checked: _Checked, tmp: Path) -> list:
    """Two grading tasks: the solution notebook and the blank student version."""
    from grader.worker import GradeTask

    ex_id = checked.folder.name
    work = tmp / ex_id
    (work / "data").mkdir(parents=True)
    for path in checked.datasets:
        shutil.copy2(path, work / "data" / path.name)
    source = work / "source.ipynb"
    nbformat.write(checked.notebook, source)
    nbformat.write(student_version(checked.notebook), work / "blank.ipynb")
    common = dict(
        assignment=ex_id,
        notebook=f"{ex_id}.ipynb",
        source_path=str(source),
        data_dir=str(work / "data"),
    )
    return [
        GradeTask(student="solution", submission_path=str(source), **common),
        GradeTask(student="blank", submission_path=str(work / "blank.ipynb"), **common),
    ]


def _judge(task, result) -> list[str]:
    name = f"{task.assignment}: "
    if isinstance(result, BaseException):
        return [f"{name}grading the {task.student} notebook failed: {result}"]
    problems = []
    for grade in result.grades:
        if grade.cell_type != "autograded_test":
            continue
        if task.student == "solution" and grade.score < grade.max_score:
            problems.append(
                f"{name}the solution scores {grade.score:g}/{grade.max_score:g} on {grade.grade_id}"
                f" ({grade.reason or 'test failed'})"
            )
        if task.student == "blank" and grade.score > 0:
            problems.append(
                f"{name}the unanswered student version scores {grade.score:g} on "
                f"{grade.grade_id}; its tests must fail when nothing is answered"
            )
    return problems


def _check_many(folders: Sequence[Path], datasets: Path | None, workers: int) -> list[str]:
    checked = [_static(Path(f), datasets) for f in folders]
    problems = [p for c in checked for p in c.problems]
    runnable = [c for c in checked if c.notebook is not None and not c.problems]
    if not runnable:
        return problems
    with tempfile.TemporaryDirectory(prefix="grader-check-") as tmp:
        tasks = [t for c in runnable for t in _tasks(c, Path(tmp))]
        from grader.worker import grade

        for task, result in executors.run_local(grade, tasks, min(workers, len(tasks))):
            problems += _judge(task, result)
    return sorted(problems)


def check_exercise(exercise_dir: Path, *, datasets: Path | None = None) -> list[str]:
    """Problems of one exercise folder (``<id>/<id>.ipynb``); an empty list means it is fit.

    Notebooks are graded only when the metadata checks pass. Datasets are looked up in
    ``datasets`` if given, else in the repository's ``datasets/``, else in ``<id>/data/``.
    """
    return _check_many([Path(exercise_dir)], datasets, 2)


def main(
    *,
    assignments: Sequence[str] = (),
    exercises: Path = Path("exercises"),
    datasets: Path = Path("datasets"),
) -> list[str]:
    """Check the named exercises (all when none are named); returns every problem found.

    Raises:
        GraderError: an exercise id with no folder in ``exercises``.
    """
    ids = list(assignments) or find_exercises(exercises)
    missing = [i for i in ids if not (exercises / i).is_dir()]
    if missing:
        # a typo is the trainer's input error (exit 2), not a problem of an exercise (exit 1)
        known = ", ".join(find_exercises(exercises)) if exercises.is_dir() else "none"
        raise GraderError(
            f"unknown exercise {', '.join(map(repr, missing))} in {exercises} (known: {known})"
        )
    workers = executors.default_workers()
    return _check_many(
        [exercises / i for i in ids], datasets if datasets.is_dir() else None, workers
    )
