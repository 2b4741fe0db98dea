"""The grading worker's warm processes: one kernel zygote and one trusted test runner per thread.

Both are caches, not state: a grading result never depends on them, and each is restarted
when it has died. Per thread (dask runs tasks on worker threads), so no two submissions ever
share one at the same time. Where the zygote cannot work (not root, no namespaces, a stack
that starts threads at import) the worker grades on the cold path and says so once.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import select
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from grader.sandbox.isolation import zygote as zygote_main

log = logging.getLogger(__name__)
_PACKAGE_PARENT = str(Path(__file__).resolve().parents[3])
_START_SECONDS = 120.0
_local = threading.local()


class WarmUnavailableError(RuntimeError):
    """This machine cannot fork sandboxed kernels from a warm zygote."""


def _grader_env(extra: dict[str, str]) -> dict[str, str]:
    # the same minimal environment a cold kernel gets: nothing of the grader's own
    from grader.sandbox.isolation.bwrap import kernel_env

    env = kernel_env("")
    env.pop("JPY_SESSION_NAME")
    # one BLAS thread: forking is only safe from a single-threaded process
    env.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [_PACKAGE_PARENT, os.environ.get("PYTHONPATH")])
    )
    env.update(extra)
    return env


class Zygote:
    """The worker's handle on one zygote process (see ``grader.sandbox.isolation.zygote``)."""

    def __init__(self) -> None:
        if os.geteuid() != 0:
            raise WarmUnavailableError("warm sandboxes need root (as the cold path's uid drop)")
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.sock = ours
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the zygote
        self.exits: dict[int, int] = {}
        self.dead = False
        self._next = 0
        env = _grader_env({"PADDING": zygote_main.PADDING})
        argv = [sys.executable, "-m", "grader.sandbox.isolation.zygote", str(theirs.fileno())]
        self.proc = subprocess.Popen(
            [*argv, str(os.getpid()), zygote_main.PADDING],
            pass_fds=[theirs.fileno()],
            env=env,
            cwd="/",
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            # libraries talk on import (debugpy does); kept for a failure's explanation
            stderr=self.log,
        )
        theirs.close()
        ready = self._receive(time.monotonic() + _START_SECONDS)
        if ready is None or not ready.get("ready"):
            self.log.seek(0)
            tail = self.log.read()[-500:].decode("utf-8", "replace").strip()
            self.close()
            raise WarmUnavailableError(f"the zygote did not start: {tail or 'no message'}")
        if ready.get("threads") != 1:
            self.close()
            raise WarmUnavailableError(f"the zygote runs {ready.get('threads')} threads")

    def _receive(self, deadline: float | None) -> dict | None:
        """The next reply (exit notices are filed on the way); None: none before ``deadline``
        (None: only what has already arrived)."""
        while not self.dead:
            remaining = 0.0 if deadline is None else deadline - time.monotonic()
            if remaining < 0:
                return None
            try:
                ready, _, _ = select.select([self.sock], [], [], remaining)
                if not ready:
                    return None
                data = self.sock.recv(zygote_main.MESSAGE_BYTES)
            except OSError:  # reset or closed: the zygote is gone
                data = b""
            if not data:
                self.dead = True
                return None
            message = json.loads(data)
            if "exited" in message:
                self.exits[message["exited"]] = message["code"]
                continue
            return message
        return None

    def _pump(self) -> None:
        self._receive(None)

    def alive(self) -> bool:
        """Whether the zygote still serves requests."""
        return not self.dead and self.proc.poll() is None

    def spawn(self, request: dict, stderr_fd: int) -> int:
        """Fork a sandboxed kernel; returns the pid of its keeper process."""
        self._next += 1
        message = json.dumps({"op": "spawn", "id": self._next, "request": request}).encode()
        try:
            socket.send_fds(self.sock, [message], [stderr_fd])
        except OSError as error:
            self.dead = True
            raise WarmUnavailableError(f"the zygote is gone ({error})") from None
        reply = self._receive(time.monotonic() + 30)
        if reply is None or reply.get("id") != self._next:
            self.dead = True
            raise WarmUnavailableError("the zygote did not answer")
        return int(reply["spawned"])

    def exit_code(self, pid: int) -> int | None:
        """The fork's exit code once it has ended (killed if the zygote itself died)."""
        self._pump()
        if pid in self.exits:
            return self.exits[pid]
        return -9 if not self.alive() else None

    def kill(self, pid: int) -> None:
        """Stop the fork: its keeper kills init and exits once the whole sandbox is gone (the
        zygote ignores pids it has already reaped)."""
        if self.alive():
            with contextlib.suppress(OSError):
                self.sock.send(json.dumps({"op": "kill", "pid": pid}).encode())

    def forget(self, pid: int) -> None:
        """Drop the bookkeeping of an ended fork."""
        self.exits.pop(pid, None)

    def close(self) -> None:
        """Stop the zygote (its forks die with it)."""
        self.sock.close()
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.log.close()


class ForkedKernel:
    """A Popen-like handle on a kernel forked by the zygote (its keeper process)."""

    def __init__(self, zygote: Zygote, pid: int, stderr_fd: int) -> None:
        self.zygote = zygote
        self.pid = pid
        self.returncode: int | None = None
        self.stderr = os.fdopen(stderr_fd, "rb")

    def poll(self) -> int | None:
        """The exit code, or None while the sandbox runs."""
        if self.returncode is None:
            self.returncode = self.zygote.exit_code(self.pid)
            if self.returncode is not None:
                self.zygote.forget(self.pid)
        return self.returncode

    def kill_tree(self) -> None:
        """Kill the keeper; its init and with it the whole pid namespace follow."""
        if self.poll() is None:
            self.zygote.kill(self.pid)

    def wait(self, timeout: float = 10.0, rounds: int = 3) -> int | None:
        """Wait until the sandbox has ended, killing it again each ``timeout``; after
        ``rounds`` give up (None): a process stuck in the kernel keeps its uid busy, and
        the next sandbox takes another one."""
        for _ in range(rounds):
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if self.poll() is not None:
                    return self.returncode
                time.sleep(0.01)
            self.kill_tree()
        log.warning("sandbox %d did not end after %g s", self.pid, timeout * rounds)
        return None


def zygote() -> Zygote | None:
    """This thread's zygote, started (or restarted) when needed; None where it cannot work."""
    reason = getattr(_local, "unavailable", None)
    if reason is not None:
        return None
    current: Zygote | None = getattr(_local, "zygote", None)
    if current is not None and current.alive():
        return current
    if current is not None:
        current.close()
    try:
        _local.zygote = Zygote()
    except (WarmUnavailableError, OSError) as error:
        _local.unavailable = str(error)
        log.warning("grading on the cold path: %s", error)
        return None
    return _local.zygote


def mark_unavailable(reason: str) -> None:
    """Grade on the cold path from now on in this thread (e.g. the first fork failed)."""
    current = getattr(_local, "zygote", None)
    if current is not None:
        current.close()
        _local.zygote = None
    _local.unavailable = reason
    log.warning("grading on the cold path: %s", reason)


class TestRunner:
    """A trusted test runner kept for many submissions (``testrunner --serve``)."""

    def __init__(self) -> None:
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the runner
        env = dict(_grader_env({}), GRADER_RUNNER_PARENT=str(os.getpid()))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "grader.sandbox.grading.testrunner", "--serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            cwd="/",
            env=env,
        )

    def alive(self) -> bool:
        """Whether the runner still takes jobs."""
        return self.proc.poll() is None

    def run(self, job: dict, timeout: float) -> list[dict]:
        """Send one job, return its results; a runner that fails or hangs is stopped."""
        try:
            self.proc.stdin.write(json.dumps(job).encode() + b"\n")
            self.proc.stdin.flush()
            ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
            line = self.proc.stdout.readline() if ready else b""
            if not line:
                raise RuntimeError(f"trusted test runner failed: {self._tail()}")
            return json.loads(line)
        except (OSError, ValueError, RuntimeError):
            self.close()
            raise

    def _tail(self) -> str:
        self.log.seek(0, os.SEEK_END)
        self.log.seek(max(0, self.log.tell() - 2000))
        return self.log.read().decode("utf-8", "replace")

    def close(self) -> None:
        """Stop the runner."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.log.close()


def test_runner() -> TestRunner:
    """This thread's trusted test runner, (re)started when needed."""
    current: TestRunner | None = getattr(_local, "runner", None)
    if current is None or not current.alive():
        if current is not None:
            current.close()
        _local.runner = TestRunner()
    return _local.runner
