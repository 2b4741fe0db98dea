"""Safe grading worker: one submission in, scores and a graded notebook out.

``grade(task)`` is pure and stateless: no gradebook, no global state, picklable arguments and
results, so the pipeline can call it from a multiprocessing pool or a dask worker. It never
trusts the learner's interpreter with a test:

1. the learner's cells run in an ipykernel inside a bubblewrap sandbox (``grader.sandbox``);
   each test cell is replaced there by a snapshot cell that prints, as JSON, the variables
   that test reads (names found by AST analysis of the trusted test source);
2. each test cell's TRUSTED source (hidden tests included) then runs in a fresh trusted Python
   process on values rebuilt strictly from that JSON; a test passes iff it raises nothing,
   scored by nbgrader's own ``determine_grade``;
3. cells are matched to the SOURCE by nbgrader grade_id, so deleted, duplicated, retyped or
   renamed cells all end in a definite score with a reason.

See docs/security.md for the threat model and what each defence guarantees.
"""

from __future__ import annotations

import copy
import logging
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.utils import determine_grade

from grader.costs import Costs
from grader.limits import MIB, Limits
from grader.sandbox.grading.execute import (
    Outcome,
    copy_data,
    run_learner,
    run_tests,
    start_test_runner,
)
from grader.sandbox.grading.notebooks import (
    Plan,
    SourceNotebook,
    build_plan,
    graded_notebook,
    load_source,
)
from grader.sandbox.grading.submission import SubmissionError, load_submission, read_submission
from grader.sandbox.isolation import warm

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class GradeTask:
    """One submission to grade (all paths on the grading machine)."""

    student: str
    assignment: str
    notebook: str
    submission_path: str
    source_path: str
    data_dir: str
    limits: Limits = field(default_factory=Limits)
    # True: a fresh bubblewrap sandbox and interpreter for this submission (no warm zygote)
    cold: bool = False


@dataclass(frozen=True)
class CellGrade:
    """Score of one graded cell of the SOURCE notebook."""

    grade_id: str
    score: float
    max_score: float
    cell_type: str  # "autograded_test" | "manual"
    reason: str | None


@dataclass(frozen=True)
class GradeResult:
    """Everything the pipeline records for one submission."""

    task: GradeTask
    status: str  # "graded" | "failed"
    grades: tuple[CellGrade, ...]
    reasons: tuple[str, ...]
    graded_notebook: str
    seconds: float
    # (phase, seconds) in grader.costs.PHASES order; empty for an unusable submission
    costs: tuple[tuple[str, float], ...] = ()


def _failure(outputs: list[dict]) -> str:
    """Why a test that ran scored 0 (the exception name only: messages may quote hidden tests)."""
    for output in outputs:
        if output.get("output_type") == "error":
            return f"test failed ({output.get('ename', 'error')})"
    return "test wrote to stderr (nbgrader scores that as a failure)"


def _error(name: str, text: str) -> dict:
    return {"output_type": "error", "ename": name, "evalue": text, "traceback": [f"{name}: {text}"]}


def _score(
    source: SourceNotebook,
    plan: Plan,
    outcomes: dict[str, Outcome],
    failures: dict[str, str],
    extra_reason: str | None = None,
) -> tuple[CellGrade, ...]:
    """Grade every graded cell of the SOURCE, writing test outputs into the plan's cells."""
    cells = {
        c["metadata"].get("nbgrader", {}).get("grade_id"): c
        for c in plan.cells
        if c["cell_type"] == "code"
    }
    grades: list[CellGrade] = []
    for grade_id in source.order:
        max_score = source.points(grade_id)
        if grade_id in source.manual:
            reason = "unanswered" if grade_id in plan.unanswered else "awaiting manual grading"
            if grade_id in plan.missing:
                reason = "answer cell missing from the submission"
            grades.append(CellGrade(grade_id, 0.0, max_score, "manual", reason))
            continue
        if grade_id not in source.tests:
            continue
        cell = cells.get(grade_id)
        outcome = outcomes.get(grade_id)
        reason = extra_reason or failures.get(grade_id)
        if grade_id in plan.missing:
            reason = "test cell missing from the submission"
        elif outcome is not None and outcome.reason is None and cell is not None:
            cell["outputs"] = outcome.outputs
            node = nbformat.from_dict(copy.deepcopy(cell))
            try:
                score, _ = determine_grade(node)
            except ValueError as error:  # partial credit above the maximum
                score, reason = 0.0, f"invalid partial credit ({error})"
            score = float(score or 0.0)
            if score < max_score and reason is None:
                reason = _failure(outcome.outputs) if score == 0 else "partial credit"
            grades.append(CellGrade(grade_id, score, max_score, "autograded_test", reason))
            continue
        elif outcome is not None:
            reason = outcome.reason
        reason = reason or "test did not run"
        if cell is not None and grade_id not in plan.missing:
            cell["outputs"] = [_error("GradingError", reason)]
        grades.append(CellGrade(grade_id, 0.0, max_score, "autograded_test", reason))
    return tuple(grades)


def _unusable(task: GradeTask, source: SourceNotebook, reason: str, started: float) -> GradeResult:
    """A submission that cannot be read at all: every item 0, one reason, status failed."""
    plan = build_plan(source, [])
    plan.missing.clear()
    grades = _score(source, plan, {}, {}, extra_reason=f"submission unusable: {reason}")
    notebook = graded_notebook(source, plan)
    return GradeResult(task, "failed", grades, (reason,), notebook, time.monotonic() - started)


def grade(task: GradeTask) -> GradeResult:
    """Grade one submission safely; see the module docstring for how.

    Raises only for problems of the grading setup (unreadable SOURCE notebook, missing data
    folder, bubblewrap unavailable); any problem of the submission itself ends in a result.
    """
    started = time.monotonic()
    costs = Costs()
    source = load_source(task.source_path)
    if not Path(task.data_dir).is_dir():
        raise FileNotFoundError(f"data folder {task.data_dir} does not exist")
    limits = task.limits
    try:
        submitted = read_submission(task.submission_path, limits.submission_mb * MIB)
        learner, notes = load_submission(submitted)
        plan = build_plan(source, learner)
        graded_notebook(source, plan)  # a notebook that cannot be written back fails here
    except SubmissionError as error:
        return _unusable(task, source, str(error), started)
    except Exception as error:  # noqa: BLE001 - whatever reading THIS file raised is its failure
        reason = f"the notebook could not be read ({type(error).__name__})"
        return _unusable(task, source, reason, started)
    reasons = [*notes, *plan.reasons]
    costs.add("reading and planning", time.monotonic() - started)
    with tempfile.TemporaryDirectory(prefix="jupyter-") as tmp:
        scratch = Path(tmp)
        trusted = scratch / "trusted"
        trusted.mkdir(mode=0o700)
        # the copy placed in the sandbox is the bytes validated above, not the path again
        own_copy = scratch / "submission.ipynb"
        own_copy.write_bytes(submitted)
        data = copy_data(task.data_dir, trusted / "data")
        # the kept runner first: it imports pandas while the zygote starts (both only once)
        runner = None if task.cold else warm.test_runner()
        kernels = None if task.cold else warm.zygote()
        if kernels is None:  # the cold path, chosen or fallen back to: a runner of its own
            runner = start_test_runner(trusted)
        try:
            snapshots, failures, run_notes = run_learner(
                limits=limits,
                assignment=task.assignment,
                notebook=task.notebook,
                submission_path=str(own_copy),
                source=source,
                plan=plan,
                scratch=scratch,
                data=data,
                started=started,
                zygote=kernels,
                costs=costs,
            )
            with costs.phase("trusted tests"):
                outcomes = run_tests(
                    limits=limits,
                    source=source,
                    snapshots=snapshots,
                    workdir=trusted,
                    runner=runner,
                )
        finally:
            if isinstance(runner, subprocess.Popen) and runner.poll() is None:
                runner.kill()
                runner.wait()
    reasons += run_notes
    try:
        with costs.phase("writing results"):
            grades = _score(source, plan, outcomes, failures)
            notebook = graded_notebook(source, plan)
    except Exception as error:  # noqa: BLE001 - the learner's outputs broke the write-back
        reason = f"the graded notebook could not be written ({type(error).__name__})"
        return _unusable(task, source, reason, started)
    seconds = time.monotonic() - started
    return GradeResult(task, "graded", grades, tuple(reasons), notebook, seconds, costs.as_tuple())
