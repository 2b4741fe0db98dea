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
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.utils import determine_grade

from grader.limits import MIB, Limits
from grader.sandbox.kernel import KernelGone, SandboxKernel
from grader.sandbox.notebooks import (
    Plan,
    SourceNotebook,
    SubmissionError,
    build_plan,
    graded_notebook,
    load_source,
    load_submission,
)
from grader.sandbox.snapshot import extract_snapshot, needed_names, snapshot_code

log = logging.getLogger(__name__)
_PACKAGE_PARENT = str(Path(__file__).resolve().parent.parent)


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


@dataclass
class _Outcome:
    """Per test cell: the trusted outputs, or why it could not be checked."""

    outputs: list = field(default_factory=list)
    reason: str | None = None


def _copy_data(data_dir: str, target: Path) -> dict[str, Path]:
    """Copy the trusted data folder; return relative name -> copied file."""
    source = Path(data_dir)
    shutil.copytree(source, target, symlinks=False)
    return {str(p.relative_to(target)): p for p in sorted(target.rglob("*")) if p.is_file()}


def _run_learner(
    task: GradeTask,
    source: SourceNotebook,
    plan: Plan,
    scratch: Path,
    data: dict[str, Path],
    started: float,
) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """Execute the plan in the sandbox; return snapshots, per-test failure reasons, notes."""
    limits = task.limits
    workdir = f"/home/jovyan/{Path(task.assignment).name or 'assignment'}"
    files = {f"{workdir}/{Path(task.notebook).name}": Path(task.submission_path)}
    files.update({f"{workdir}/data/{name}": path for name, path in data.items()})
    snapshots: dict[str, str] = {}
    failures: dict[str, str] = {}
    notes: list[str] = []
    deadline = started + limits.notebook_seconds
    stopped: str | None = None
    try:
        with SandboxKernel(limits=limits, scratch=scratch, workdir=workdir, files=files) as kernel:
            for index, kind, grade_id in plan.steps:
                cell = plan.cells[index]
                if time.monotonic() >= deadline:
                    stopped = f"notebook time limit ({limits.notebook_seconds:g} s) reached"
                if stopped:
                    if kind == "test":
                        failures[grade_id] = f"not run: {stopped}"
                    continue
                try:
                    if kind == "code":
                        run = kernel.run(cell["source"], deadline=deadline)
                        cell["outputs"], cell["execution_count"] = run.outputs, run.execution_count
                    else:
                        names = needed_names(source.cells[grade_id].source)
                        code, marker = snapshot_code(names, limits.answer_mb * MIB)
                        run = kernel.run(code, deadline=deadline, silent=True)
                        text = extract_snapshot(run.stdout, marker)
                        if text is None:
                            failures[grade_id] = "the answers could not be read from the notebook"
                        else:
                            snapshots[grade_id] = text
                except KernelGone as gone:
                    stopped = str(gone)
                    if kind == "test":
                        failures[grade_id] = f"not run: {stopped}"
                    continue
                if run.note:
                    notes.append(f"cell {index + 1}: {run.note}")
                if run.status == "timeout":
                    notes.append(
                        f"cell {index + 1} exceeded the {limits.cell_seconds:g} s time limit"
                    )
                    if kind == "test":
                        failures.setdefault(
                            grade_id, "time limit reached while reading the answers"
                        )
                if run.status == "dead" or kernel.died:
                    stopped = kernel.died or "kernel died"
                    notes.append(f"cell {index + 1}: {stopped}")
    except KernelGone as gone:
        stopped = f"the notebook's kernel could not start ({gone})"
        notes.append(stopped)
        for _, kind, grade_id in plan.steps:
            if kind == "test":
                failures.setdefault(grade_id, f"not run: {stopped}")
    if stopped:
        notes.append(f"execution stopped: {stopped}; what did not run scores 0")
    return snapshots, failures, notes


def _run_tests(
    task: GradeTask, source: SourceNotebook, snapshots: dict[str, str], workdir: Path
) -> dict[str, _Outcome]:
    """Run the trusted test cells in a fresh trusted process (one forked child per test)."""
    if not snapshots:
        return {}
    limits = task.limits
    job = {
        "tests": [
            {"grade_id": gid, "source": source.cells[gid].source, "snapshot": snapshots[gid]}
            for gid in source.tests
            if gid in snapshots
        ],
        "cell_seconds": limits.cell_seconds,
        "memory_mb": max(limits.memory_mb, 1024) * 2,
        "workdir": str(workdir),
    }
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join(filter(None, [_PACKAGE_PARENT, os.environ.get("PYTHONPATH")])),
    )
    timeout = len(job["tests"]) * (limits.cell_seconds + 10) + 60
    proc = subprocess.run(
        [sys.executable, "-m", "grader.sandbox.testrunner"],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        cwd=workdir,
        env=env,
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"trusted test runner failed: {proc.stderr[-2000:]}")
    outcomes: dict[str, _Outcome] = {}
    for result in json.loads(proc.stdout):
        status = result["status"]
        if status == "ran":
            outcomes[result["grade_id"]] = _Outcome(outputs=result["outputs"])
        elif status == "timeout":
            outcomes[result["grade_id"]] = _Outcome(
                reason=f"test exceeded {limits.cell_seconds:g} s"
            )
        else:
            outcomes[result["grade_id"]] = _Outcome(
                reason=f"answers could not be checked ({result.get('reason', status)})"
            )
    return outcomes


def _error(name: str, text: str) -> dict:
    return {"output_type": "error", "ename": name, "evalue": text, "traceback": [f"{name}: {text}"]}


def _score(
    source: SourceNotebook,
    plan: Plan,
    outcomes: dict[str, _Outcome],
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
                reason = "test failed" if score == 0 else "partial credit"
            grades.append(CellGrade(grade_id, score, max_score, "autograded_test", reason))
            continue
        elif outcome is not None:
            reason = outcome.reason
        reason = reason or "test did not run"
        if cell is not None and grade_id not in plan.missing:
            cell["outputs"] = [_error("GradingError", reason)]
        grades.append(CellGrade(grade_id, 0.0, max_score, "autograded_test", reason))
    return tuple(grades)


def grade(task: GradeTask) -> GradeResult:
    """Grade one submission safely; see the module docstring for how.

    Raises only for problems of the grading setup (unreadable SOURCE notebook, missing data
    folder, bubblewrap unavailable); any problem of the submission itself ends in a result.
    """
    started = time.monotonic()
    source = load_source(task.source_path)
    if not Path(task.data_dir).is_dir():
        raise FileNotFoundError(f"data folder {task.data_dir} does not exist")
    limits = task.limits
    try:
        learner, notes = load_submission(task.submission_path, limits.submission_mb * MIB)
    except SubmissionError as error:
        plan = build_plan(source, [])
        plan.missing.clear()
        grades = _score(source, plan, {}, {}, extra_reason=f"submission unusable: {error}")
        return GradeResult(
            task,
            "failed",
            grades,
            (str(error),),
            graded_notebook(source, plan),
            time.monotonic() - started,
        )
    plan = build_plan(source, learner)
    reasons = [*notes, *plan.reasons]
    with tempfile.TemporaryDirectory(prefix="jupyter-") as tmp:
        scratch = Path(tmp)
        os.chmod(scratch, 0o755)  # the sandbox uid must reach the runtime folder inside
        trusted = scratch / "trusted"
        trusted.mkdir(mode=0o700)
        data = _copy_data(task.data_dir, trusted / "data")
        snapshots, failures, run_notes = _run_learner(task, source, plan, scratch, data, started)
        outcomes = _run_tests(task, source, snapshots, trusted)
    reasons += run_notes
    grades = _score(source, plan, outcomes, failures)
    return GradeResult(
        task,
        "graded",
        grades,
        tuple(reasons),
        graded_notebook(source, plan),
        time.monotonic() - started,
    )
