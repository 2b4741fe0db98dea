"""Adversarial suite for the grading worker (issue 8): every case file is one hostile submission.

Each case asserts the exploit gains nothing (expected scores, usually 0 for the attacked item)
and that the host is fine afterwards: sentinel files unchanged, no canary files written, no
sandbox process left running, grading finished within its time limits. Class 8 (integrity) is
covered by the tests at the end of this file.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import sys
import threading
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from worker_fixtures import (  # noqa: E402
    CASES,
    FULL,
    Case,
    load_case,
    make_course,
    sandbox_processes,
)

from grader.limits import Limits  # noqa: E402
from grader.sandbox.isolation.cgroup import SandboxCgroup  # noqa: E402
from grader.worker import grade  # noqa: E402

SUITE_LIMITS = {
    "cell_seconds": 4.0,
    "notebook_seconds": 40.0,
    "output_bytes": 1_000_000,
    "disk_mb": 32,
}
CASE_FILES = sorted(CASES.glob("c*.case"))
# resource-abuse cases wait for time limits on purpose: slow (still run by `make test`)
CASE_PARAMS = [
    pytest.param(p, id=p.stem, marks=[pytest.mark.slow] if p.stem.startswith("c5_") else [])
    for p in CASE_FILES
]


class Listener:
    """A TCP server on 127.0.0.1 that would hand out the right answer to anyone who connects."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            with conn:
                conn.sendall(b"34408.333333333336")

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.sock.close()


def _cgroups_available() -> bool:
    if os.geteuid() != 0:
        return False
    probe = SandboxCgroup(f"probe-{os.getpid()}", memory_bytes=1 << 30, pids=16)
    available = bool(probe.dirs)
    probe.remove()
    return available


def _limits(case: Case) -> Limits:
    values = {**SUITE_LIMITS, **case.limits}
    ints = {
        "memory_mb",
        "processes",
        "output_bytes",
        "disk_mb",
        "answer_mb",
        "submission_mb",
        "open_files",
    }
    return Limits(**{k: int(v) if k in ints else v for k, v in values.items()})


def _reasons(result) -> str:
    return " | ".join([*result.reasons, *(g.reason or "" for g in result.grades)])


def _grade_case(case: Case, root: Path, port: int = 0):
    data = case.build().replace(b"__PORT__", str(port).encode())
    course = make_course(root, data)
    verbs = {header.split()[0] for header, _ in case.directives}
    if "missing-file" in verbs:
        course.submission.unlink()
    if "symlink-to-source" in verbs:
        course.submission.unlink()
        course.submission.symlink_to(course.root / "source" / "ex_fixture" / "ex_fixture.ipynb")
    before = set(sandbox_processes())
    started = time.monotonic()
    result = grade(course.task(_limits(case)))
    return course, result, time.monotonic() - started, before


def _assert_host_fine(course, before: set[int], seconds: float, limits: Limits) -> None:
    assert course.changed_sentinels() == []
    assert course.canaries() == []
    assert seconds < limits.notebook_seconds + 4 * limits.cell_seconds + 30
    time.sleep(0.2)
    assert set(sandbox_processes()) - before == set()


@pytest.mark.parametrize("path", CASE_PARAMS)
def test_adversarial_case(path: Path, tmp_path: Path) -> None:
    case = load_case(path)
    if case.requires == "cgroup" and not _cgroups_available():
        pytest.skip("this machine does not let the grader create cgroups (rlimits only)")
    listener = Listener()
    try:
        course, result, seconds, before = _grade_case(case, tmp_path / "course", listener.port)
    finally:
        listener.close()
    scores = {g.grade_id: g.score for g in result.grades if g.cell_type == "autograded_test"}
    assert result.status == case.status, _reasons(result)
    assert scores == case.expect, _reasons(result)
    manual = [g for g in result.grades if g.cell_type == "manual"]
    assert [(g.grade_id, g.score, g.max_score) for g in manual] == [
        ("w1_targeting_reflection", 0.0, 2.0)
    ]
    assert {g.grade_id: g.max_score for g in result.grades if g.cell_type != "manual"} == FULL
    if case.reason:
        assert case.reason in _reasons(result)
    if case.output:
        assert case.output in result.graded_notebook
    assert listener.connections == 0
    _assert_host_fine(course, before, seconds, _limits(case))


# -- class 8: integrity of the worker ----------------------------------------------------------
def _summary(result) -> list[tuple]:
    return [(g.grade_id, g.score, g.max_score, g.cell_type, g.reason) for g in result.grades]


def test_grading_twice_gives_identical_results(tmp_path: Path) -> None:
    case = load_case(CASES / "c4_01_sys_exit.case")
    first = _grade_case(case, tmp_path / "a")[1]
    second = _grade_case(case, tmp_path / "b")[1]
    assert _summary(first) == _summary(second)
    assert first.reasons == second.reasons
    assert _summary(first)[1][1] == 0.0


def _grade_in_child(task, queue) -> None:
    queue.put(_summary(grade(task)))


@pytest.mark.slow
def test_killed_grader_leaves_nothing_and_regrades_identically(tmp_path: Path) -> None:
    """kill -9 the grading process mid-run: no sandbox survives; a rerun scores as usual."""
    case = load_case(CASES / "c5_01_infinite_loop.case")
    course = make_course(tmp_path / "course", case.build())
    task = course.task(_limits(case))
    before = set(sandbox_processes())
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()  # keep a reference: the child needs it alive to start
    child = context.Process(target=_grade_in_child, args=(task, queue))
    child.start()
    deadline = time.monotonic() + 120
    while not set(sandbox_processes()) - before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert set(sandbox_processes()) - before, (
        f"no sandboxed kernel (grader exit code {child.exitcode})"
    )
    time.sleep(2)  # inside the endless loop by now
    os.kill(child.pid, signal.SIGKILL)
    child.join()
    time.sleep(1)
    assert set(sandbox_processes()) - before == set()
    rerun = grade(task)
    assert [g[:2] for g in _summary(rerun)] == [(k, v) for k, v in FULL.items()] + [
        ("w1_targeting_reflection", 0.0)
    ]
    assert course.changed_sentinels() == []


@pytest.mark.slow
def test_fork_bomb_does_not_disturb_a_concurrent_grading(tmp_path: Path) -> None:
    """Two graders at once: one fork-bombs its sandbox, the other (honest) still scores fully."""
    bomb = load_case(CASES / "c5_06_fork_bomb.case")
    honest = load_case(CASES / "c3_01_env_and_argv.case")
    bomb_course = make_course(tmp_path / "bomb", bomb.build())
    honest_course = make_course(tmp_path / "honest", honest.build())
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=_grade_in_child, args=(bomb_course.task(_limits(bomb)), queue))
    child.start()
    time.sleep(3)
    result = grade(honest_course.task(_limits(honest)))
    child.join(120)
    assert {g.grade_id: g.score for g in result.grades if g.cell_type != "manual"} == FULL
    assert [g[1] for g in queue.get(timeout=5)][:3] == list(FULL.values())
