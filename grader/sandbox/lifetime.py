"""Tie a process's life to its parent's: a parent-death signal (Linux ``prctl``).

``kill -9`` of ``grader autograde`` gives its children no chance to clean up. Each process
the grader starts below it (pool workers, the trusted test runner and its forked tests, the
feedback renderers) asks the kernel for SIGKILL when its parent dies, so the whole tree goes
with the parent. bubblewrap's ``--die-with-parent`` does the same for the sandbox.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


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
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        return False
    # the parent may have died between fork and prctl: then the signal will never come
    if expected_parent is not None and os.getppid() != expected_parent:
        os._exit(1)
    return True
