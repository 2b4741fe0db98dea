"""Running one submission: the learner's cells in the sandbox, then the trusted tests."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from grader.costs import Costs
from grader.limits import MIB, Limits
from grader.sandbox.grading.notebooks import Plan, SourceNotebook, visible_source
from grader.sandbox.grading.snapshot import extract_snapshot, needed_names, snapshot_code
from grader.sandbox.grading.submission import MAX_DEPTH, SubmissionError, check_depth
from grader.sandbox.isolation.bwrap import SANDBOX_HOME
from grader.sandbox.isolation.kernel import KernelGoneError, SandboxKernel
from grader.sandbox.isolation.warm import TestRunner, Zygote

_PACKAGE_PARENT = str(Path(__file__).resolve().parents[3])


@dataclass
class Outcome:
    """Per test cell: the trusted outputs, or why it could not be checked."""

    outputs: list = field(default_factory=list)
    reason: str | None = None


def copy_data(data_dir: str, target: Path) -> dict[str, Path]:
    """Copy the trusted data folder; return relative name -> copied file."""
    source = Path(data_dir)
    shutil.copytree(source, target, symlinks=False)
    return {str(p.relative_to(target)): p for p in sorted(target.rglob("*")) if p.is_file()}


def _shallow(output: dict) -> dict:
    """The output, or a note if it nests deeper than any notebook reader copes with."""
    try:
        check_depth(output)
    except SubmissionError:
        note = f"[output dropped: nested more than {MAX_DEPTH} levels deep]\n"
        return {"output_type": "stream", "name": "stderr", "text": note}
    return output


def run_learner(
    *,
    limits: Limits,
    assignment: str,
    notebook: str,
    submission_path: str,
    source: SourceNotebook,
    plan: Plan,
    scratch: Path,
    data: dict[str, Path],
    started: float,
    zygote: Zygote | None = None,
    costs: Costs | None = None,
) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """Execute the plan in the sandbox; return snapshots, per-test failure reasons, notes."""
    # a folder named like the assignment, as on a JupyterHub or a laptop
    workdir = f"{SANDBOX_HOME}/{Path(assignment).name or 'assignment'}"
    files = {f"{workdir}/{Path(notebook).name}": Path(submission_path)}
    files.update({f"{workdir}/data/{name}": path for name, path in data.items()})
    snapshots: dict[str, str] = {}
    failures: dict[str, str] = {}
    notes: list[str] = []
    deadline = started + limits.notebook_seconds
    stopped: str | None = None
    costs = costs or Costs()
    opening = time.monotonic()
    closing: float | None = None
    try:
        with SandboxKernel(
            limits=limits, scratch=scratch, workdir=workdir, files=files, zygote=zygote
        ) as kernel:
            ready = time.monotonic()
            costs.add("sandbox set-up", (kernel.spawned_at or ready) - opening)
            costs.add("kernel start", ready - (kernel.spawned_at or ready))
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
                        with costs.phase("learner code"):
                            run = kernel.run(cell["source"], deadline=deadline)
                        cell["outputs"] = [_shallow(o) for o in run.outputs]
                        cell["execution_count"] = run.execution_count
                    else:
                        # only public names go into the kernel (see snapshot_code)
                        names = needed_names(visible_source(source.cells[grade_id].source))
                        code, marker = snapshot_code(names, limits.answer_mb * MIB)
                        with costs.phase("answer snapshot"):
                            run = kernel.run(code, deadline=deadline, silent=True)
                        text = extract_snapshot(run.stdout, marker)
                        if text is None:
                            failures[grade_id] = "the answers could not be read from the notebook"
                        else:
                            snapshots[grade_id] = text
                except KernelGoneError as gone:
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
            closing = time.monotonic()
        costs.add("sandbox teardown", time.monotonic() - closing)
    except KernelGoneError as gone:
        stopped = f"the notebook's kernel could not start ({gone})"
        notes.append(stopped)
        for _, kind, grade_id in plan.steps:
            if kind == "test":
                failures.setdefault(grade_id, f"not run: {stopped}")
    if stopped:
        notes.append(f"execution stopped: {stopped}; what did not run scores 0")
    return snapshots, failures, notes


def start_test_runner(workdir: Path) -> subprocess.Popen:
    """Start the trusted test process early: it imports pandas while the learner's code runs."""
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join(filter(None, [_PACKAGE_PARENT, os.environ.get("PYTHONPATH")])),
        # the runner dies with this process (see grader.sandbox.isolation.lifetime)
        GRADER_RUNNER_PARENT=str(os.getpid()),
    )
    return subprocess.Popen(
        [sys.executable, "-m", "grader.sandbox.grading.testrunner"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=workdir,
        env=env,
    )


def _run_once(runner: subprocess.Popen, job: dict, timeout: float) -> list[dict]:
    """The cold path: a runner started for this submission takes its one job, then ends."""
    try:
        stdout, stderr = runner.communicate(json.dumps(job), timeout=timeout)
    finally:
        if runner.poll() is None:
            runner.kill()
            runner.wait()
    if runner.returncode != 0:
        raise RuntimeError(f"trusted test runner failed: {stderr[-2000:]}")
    return json.loads(stdout)


def run_tests(
    *,
    limits: Limits,
    source: SourceNotebook,
    snapshots: dict[str, str],
    workdir: Path,
    runner: subprocess.Popen | TestRunner,
) -> dict[str, Outcome]:
    """Run the trusted test cells in the trusted runner (one forked child per test)."""
    job = {
        "tests": [
            {
                "grade_id": gid,
                "source": source.cells[gid].source,
                "snapshot": snapshots[gid],
                # the only answers this test may receive: the names its trusted code reads
                "names": needed_names(source.cells[gid].source),
            }
            for gid in source.tests
            if gid in snapshots
        ],
        "cell_seconds": limits.cell_seconds,
        "memory_mb": max(limits.memory_mb, 1024) * 2,
        "workdir": str(workdir),
    }
    timeout = len(job["tests"]) * (limits.cell_seconds + 10) + 60
    if isinstance(runner, TestRunner):
        results = runner.run(job, timeout)
    else:
        results = _run_once(runner, job, timeout)
    outcomes: dict[str, Outcome] = {}
    for result in results:
        status = result["status"]
        if status == "ran":
            outcomes[result["grade_id"]] = Outcome(outputs=result["outputs"])
        elif status == "timeout":
            outcomes[result["grade_id"]] = Outcome(
                reason=f"test exceeded {limits.cell_seconds:g} s"
            )
        else:
            outcomes[result["grade_id"]] = Outcome(
                reason=f"answers could not be checked ({result.get('reason', status)})"
            )
    return outcomes
