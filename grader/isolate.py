"""Run one function in a forked child under a wall-clock and memory limit.

Used where one learner's content could otherwise cost the whole run minutes and gigabytes
(rendering a feedback page from pathological markdown, say). The child is a plain fork, so
it starts at once with everything already imported; it dies with its parent.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import traceback
from collections.abc import Callable
from typing import Any

from grader.sandbox.isolation.lifetime import die_with_parent


class IsolationError(RuntimeError):
    """The child did not return a value: ``kind`` is timeout, memory, crashed or raised."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def _address_space() -> int:
    """Current virtual size of this process in bytes (0 if unknown)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _child(conn: Any, parent: int, memory: int, fn: Callable, args: tuple) -> None:
    die_with_parent(parent)
    if memory:
        limit = _address_space() + memory
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        conn.send(("ok", fn(*args)))
    except (MemoryError, RecursionError) as error:
        conn.send(("memory", f"{type(error).__name__} while rendering"))
    except Exception as error:  # noqa: BLE001 - any failure is reported, never re-raised here
        last = traceback.format_exception_only(type(error), error)[-1].strip()
        conn.send(("raised", last[:500]))
    finally:
        conn.close()


def run_limited(fn: Callable, *args: Any, seconds: float, memory_mb: int) -> Any:
    """``fn(*args)`` in a forked child; its value, or :class:`IsolationError`.

    ``memory_mb`` is added to the parent's current address space as the child's
    ``RLIMIT_AS``; past ``seconds`` the child is killed.
    """
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(
        target=_child, args=(send, os.getpid(), memory_mb * 1024 * 1024, fn, args), daemon=True
    )
    child.start()
    send.close()
    try:
        if not receive.poll(seconds):
            raise IsolationError("timeout", f"took longer than {seconds:g} s")
        try:
            kind, value = receive.recv()
        except (EOFError, OSError):
            child.join(5)
            # killed by the kernel (out of memory, a signal) or died without a word
            raise IsolationError(
                "crashed", f"the renderer stopped (exit {child.exitcode})"
            ) from None
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
        child.join()
    if kind != "ok":
        raise IsolationError(kind, value)
    return value
