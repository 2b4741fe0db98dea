"""Tie a process's life to its parent's: a parent-death signal (Linux ``prctl``).

``kill -9`` of ``grader autograde`` gives its children no chance to clean up. Each process
the grader starts below it (pool workers, the trusted test runner and its forked tests, the
feedback renderers) asks the kernel for SIGKILL when its parent dies, so the whole tree goes
with the parent. bubblewrap's ``--die-with-parent`` does the same for the sandbox.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
import select
import signal
import sys
import threading
import time
from pathlib import Path

PR_SET_PDEATHSIG = 1


@functools.cache
def _libc() -> ctypes.CDLL:
    # find_library runs ldconfig in a subprocess: once per process, not once per forked test
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


def die_with_parent(expected_parent: int | None = None) -> bool:
    """Ask for SIGKILL when the parent dies; exit now if it is already gone.

    Args:
        expected_parent: the pid the caller knows as its parent (read before a fork or
            passed in the environment); if the current parent differs, that parent has
            already died (we were re-parented) and this process exits at once.

    Returns:
        True if the signal was set (Linux), False where ``prctl`` does not exist.
    """
    if not sys.platform.startswith("linux"):
        return False
    if _libc().prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        return False
    # the parent may have died between fork and prctl: then the signal will never come
    if expected_parent is not None and os.getppid() != expected_parent:
        os._exit(1)
    return True


def die_with(pid: int, ticks: str | None = None) -> None:
    """SIGKILL this process as soon as process ``pid`` (not necessarily our parent) ends.

    Pool workers are children of multiprocessing's fork server, which itself waits for them
    (they hold its liveness pipe): a parent-death signal alone would never fire when the run
    is killed. A daemon thread waits on a pidfd of the run instead (polls where pidfds do
    not exist). ``ticks`` (the run's start time) guards against a recycled pid.
    """
    if ticks is not None and start_ticks(pid) != ticks:
        os._exit(1)
    try:
        handle = os.pidfd_open(pid)
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):
        handle = None

    def wait() -> None:
        if handle is not None:
            select.select([handle], [], [])
        else:
            while start_ticks(pid) is not None:
                time.sleep(0.5)
        os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=wait, name="die-with-run", daemon=True).start()


# -- reaping what a killed run left behind --------------------------------------------------------
# Every process an autograde run starts inherits this variable ("<pid>:<start ticks>:<course>"),
# so the next run on the same course can find leftovers whose run is gone, even if the
# parent-death signal was lost (a process started between a parent's death and its prctl).
RUN_VAR = "GRADER_AUTOGRADE_RUN"


def start_ticks(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (None if it does not exist)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]


def mark_run(course_root: Path) -> str:
    """Tag this process's future children as belonging to this run on ``course_root``."""
    pid = os.getpid()
    value = f"{pid}:{start_ticks(pid)}:{Path(course_root).resolve()}"
    os.environ[RUN_VAR] = value
    return value


def _run_of(pid: int) -> str | None:
    try:
        environ = Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return None
    prefix = RUN_VAR.encode() + b"="
    for item in environ.split(b"\0"):
        if item.startswith(prefix):
            return item[len(prefix) :].decode("utf-8", "replace")
    return None


def reap_orphans(course_root: Path) -> list[int]:
    """SIGKILL processes of earlier runs on ``course_root`` whose run parent is gone.

    A run still alive (another trainer's autograde on the same course) is left alone: its
    parent pid exists with the same start time.
    """
    if not sys.platform.startswith("linux"):
        return []
    root = str(Path(course_root).resolve())
    me = os.getpid()
    killed = []
    for entry in Path("/proc").glob("[0-9]*"):
        pid = int(entry.name)
        run = _run_of(pid) if pid != me else None
        if not run or run == os.environ.get(RUN_VAR):
            continue
        parent, ticks, course = (run.split(":", 2) + ["", ""])[:3]
        if course != root or not parent.isdigit() or start_ticks(int(parent)) == ticks:
            continue
        try:
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
        except (ProcessLookupError, PermissionError):
            continue
    return killed
