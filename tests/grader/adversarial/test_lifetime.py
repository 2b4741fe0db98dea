"""Nothing left running (issue 15, class 10): processes die with the run that started them.

A parent-death signal ties each child to its parent; the next autograde on a course reaps
processes of an earlier, killed run. The slow test kills a real ``grader autograde`` with
SIGKILL while a SYNTHETIC endless-loop submission is being graded and requires that every
process it started (fork server, workers, test runner, sandbox, kernel) is gone soon after.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from worker_fixtures import REPO, sandbox_processes  # noqa: E402

from grader.sandbox.isolation import lifetime  # noqa: E402
from testkit.cohort import answer_cells, make_submission, put_submissions  # noqa: E402


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait_gone(pids: set[int], seconds: float) -> set[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        left = {p for p in pids if _alive(p)}
        if not left:
            return set()
        time.sleep(0.2)
    return {p for p in pids if _alive(p)}


def _descendants(root: int) -> set[int]:
    children: dict[int, set[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, set()).add(int(stat.parent.name))
    found, todo = set(), [root]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def test_c10_child_dies_with_its_killed_parent() -> None:
    code = textwrap.dedent(
        """
        import os, sys, time
        from grader.sandbox.isolation.lifetime import die_with_parent
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:
            die_with_parent(parent)
            time.sleep(120)
            os._exit(0)
        print(pid, flush=True)
        time.sleep(120)
        """
    )
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, cwd=REPO)
    child = int(parent.stdout.readline())
    assert _alive(child)
    parent.kill()
    parent.wait()
    assert _wait_gone({child}, 5) == set()


def test_c10_reap_orphans_kills_only_leftovers_of_a_dead_run(tmp_path) -> None:
    dead = subprocess.Popen(["true"])
    dead.wait()  # its pid no longer names a running process
    me = f"{os.getpid()}:{lifetime.start_ticks(os.getpid())}"
    course, other = tmp_path / "course", tmp_path / "other"
    marks = {
        "orphan": f"{dead.pid}:12345:{course.resolve()}",
        "live_run": f"{me}:{course.resolve()}",
        "other_course": f"{dead.pid}:12345:{other.resolve()}",
    }
    procs = {
        name: subprocess.Popen(["sleep", "60"], env=dict(os.environ, **{lifetime.RUN_VAR: mark}))
        for name, mark in marks.items()
    }
    try:
        killed = lifetime.reap_orphans(course)
        assert killed == [procs["orphan"].pid]
        assert procs["orphan"].wait(5) == -signal.SIGKILL
        assert procs["live_run"].poll() is None and procs["other_course"].poll() is None
    finally:
        for proc in procs.values():
            proc.kill()
            proc.wait()


@pytest.mark.slow
def test_c10_kill_9_of_autograde_leaves_nothing_running(course, exercise) -> None:
    """SYNTHETIC: two learners whose first answer loops forever, graded by two workers."""
    text, _ = make_submission(exercise, "right")
    import nbformat

    nb = nbformat.reads(text, as_version=4)
    nb.cells[answer_cells(nb)[0]].source = "while True:\n    pass\n"
    looping = nbformat.writes(nb)
    put_submissions(
        course, exercise.id, {"loop_a": looping, "loop_b": looping}, "2025-03-01 10:00:00 UTC"
    )
    before = set(sandbox_processes())
    argv = [sys.executable, "-m", "grader", "autograde", exercise.id, "--course", str(course)]
    parent = subprocess.Popen(
        [*argv, "--workers", "2"], cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 180
        while not set(sandbox_processes()) - before and time.monotonic() < deadline:
            assert parent.poll() is None, "autograde ended before grading started"
            time.sleep(0.2)
        assert set(sandbox_processes()) - before, "no sandboxed kernel appeared"
        time.sleep(2)  # kernels inside the endless loop, test runners waiting
        started = _descendants(parent.pid)
        assert len(started) >= 4, started  # fork server, workers, runners, sandboxes
    finally:
        parent.kill()
        parent.wait()
    assert _wait_gone(started, 20) == set()
    assert set(sandbox_processes()) - before == set()
