"""Start an ipykernel inside the bubblewrap sandbox and run cells in it with hard limits."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from subprocess import Popen

import zmq
from jupyter_client.blocking import BlockingKernelClient
from nbformat.v4 import output_from_msg

from grader.limits import MIB, Limits
from grader.sandbox.isolation import bwrap, launch
from grader.sandbox.isolation.cgroup import SandboxCgroup
from grader.sandbox.isolation.warm import ForkedKernel, Zygote

log = logging.getLogger(__name__)
_POLL = 0.2
_INTERRUPT_GRACE = 3.0
# how long a kernel_info round waits for its iopub status before asking again
_IOPUB_WAIT = 0.3
# ms between attempts to connect to a kernel socket that does not exist yet (zmq: 100)
_RECONNECT_MS = 10


class KernelGoneError(RuntimeError):
    """The sandboxed kernel died or was killed; nothing more can run in it."""


@dataclass
class CellRun:
    """What running one cell produced."""

    outputs: list = field(default_factory=list)
    execution_count: int | None = None
    stdout: str = ""
    status: str = "ok"  # "ok" | "error" | "timeout" | "dead"
    note: str | None = None


class SandboxKernel:
    """One learner kernel in one sandbox; use as a context manager (always cleaned up)."""

    def __init__(
        self,
        *,
        limits: Limits,
        scratch: Path,
        workdir: str,
        files: dict[str, Path],
        zygote: Zygote | None = None,
    ):
        """Prepare (not start) a kernel.

        Args:
            limits: resource limits.
            scratch: private host directory of this grading run (trusted side).
            workdir: notebook folder inside the sandbox.
            files: sandbox path -> host file to copy into the sandbox (notebook, data).
            zygote: fork the kernel from this warm zygote (None: a cold bwrap sandbox).
        """
        self.zygote = zygote
        self.spawned_at: float | None = None  # monotonic time the sandbox process existed
        self.limits = limits
        self.scratch = scratch
        self.workdir = workdir
        self.files = files
        self.proc: Popen | ForkedKernel | None = None
        self.client: BlockingKernelClient | None = None
        self.context: zmq.Context | None = None
        self.slot: bwrap.UidSlot | None = None
        self.cgroup: SandboxCgroup | None = None
        self.output_budget = limits.output_bytes
        self.died: str | None = None
        self.stderr_tail = b""

    # -- start / stop -------------------------------------------------------------------------
    def __enter__(self) -> SandboxKernel:
        try:
            self._start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> None:
        runtime = self.scratch / "runtime"
        runtime.mkdir(mode=0o755)
        is_root = os.geteuid() == 0
        uid = os.getuid()
        if is_root:
            self.slot = bwrap.acquire_uid()
            uid = self.slot.uid
            # tmpfs pages written by the sandbox are charged to its memory group too
            budget = (self.limits.memory_mb + 3 * self.limits.disk_mb) * MIB
            self.cgroup = SandboxCgroup(
                f"sandbox-{uid}", memory_bytes=budget, pids=self.limits.processes
            )
            self.cgroup.sweep_stale(_stale_group)
            # the kernel (uid) creates its sockets here; closed again once it is up
            runtime.chmod(0o733)
        if self.zygote is not None:
            self.proc, outside = launch.start_warm(
                zygote=self.zygote,
                limits=self.limits,
                runtime=runtime,
                workdir=self.workdir,
                files=self.files,
                uid=uid,
                cgroups=self.cgroup.dirs if self.cgroup is not None else [],
            )
        else:
            self.proc, outside = launch.start(
                limits=self.limits,
                runtime=runtime,
                workdir=self.workdir,
                files=self.files,
                uid=uid if is_root else None,
                prefix=self.cgroup.enter_command() if self.cgroup is not None else [],
            )
        threading.Thread(target=self._drain_stderr, daemon=True).start()
        self.context = zmq.Context()
        # a learner print of a gigabyte must not become a gigabyte message in the grader
        self.context.setsockopt(
            zmq.MAXMSGSIZE, self.limits.answer_mb * MIB + self.limits.output_bytes + MIB
        )
        # the kernel binds its sockets after we connect: retry often, not every 100 ms
        self.context.setsockopt(zmq.RECONNECT_IVL, _RECONNECT_MS)
        self.client = BlockingKernelClient(context=self.context)
        self.client.load_connection_info(outside)
        # no heartbeat thread: a dead kernel shows as a dead process (see _check_alive)
        self.client.start_channels(hb=False)
        self.spawned_at = time.monotonic()
        self._wait_ready()
        if is_root:
            runtime.chmod(0o711)

    def _drain_stderr(self) -> None:
        # keep only the tail: enough to explain a crash, never a flood in memory
        stream = self.proc.stderr
        while chunk := stream.read1(65536):
            self.stderr_tail = (self.stderr_tail + chunk)[-16384:]

    def _wait_ready(self) -> None:
        """Wait until the kernel answers on shell AND its iopub messages reach us.

        A kernel_info reply alone proves only the shell socket: iopub is publish/subscribe,
        and messages published before our subscription has connected are dropped. A forked
        kernel is fast enough to run a whole cell in that window, whose outputs and idle
        status would then never arrive. So each round asks for kernel_info and waits for the
        status messages it causes on iopub; a round that sees none asks again.
        """
        assert self.client is not None
        deadline = time.monotonic() + self.limits.kernel_start_seconds
        while time.monotonic() < deadline:
            self._check_alive()
            self.client.kernel_info()  # zmq queues it until the kernel's socket exists
            answered = False
            round_end = time.monotonic() + 2
            while time.monotonic() < min(round_end, deadline):
                self._check_alive()
                if not answered:
                    try:
                        reply = self.client.get_shell_msg(timeout=_POLL)
                    except Exception:  # queue.Empty: keep waiting
                        continue
                    if reply["msg_type"] == "kernel_info_reply":
                        answered = True
                        round_end = time.monotonic() + _IOPUB_WAIT
                    continue
                if self._iopub(_IOPUB_WAIT) is not None:
                    # the rest of what has arrived belongs to no cell (run() skips it anyway)
                    while self._iopub(0) is not None:
                        pass
                    return
        raise KernelGoneError(f"kernel did not start within {self.limits.kernel_start_seconds:g} s")

    def _check_alive(self) -> None:
        if self.proc is not None and self.proc.poll() is not None:
            code = self.proc.returncode
            if self.cgroup is not None and self.cgroup.oom_killed():
                self.died = self.died or "kernel killed: out of memory"
            self.died = self.died or f"kernel stopped (exit status {code})"
            raise KernelGoneError(self.died)

    def kill(self, reason: str) -> None:
        """Kill the whole sandbox (its pid namespace takes every learner process with it)."""
        self.died = self.died or reason
        if self.proc is not None and self.proc.poll() is None:
            if isinstance(self.proc, ForkedKernel):
                self.proc.kill_tree()
            else:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def close(self) -> None:
        """Stop the kernel and free every resource, whatever state it is in."""
        if self.client is not None:
            self.client.stop_channels()
        self.kill("kernel closed")
        if self.context is not None:
            self.context.destroy(linger=0)
        if self.cgroup is not None:
            self.cgroup.remove()
            self.cgroup = None
        if self.slot is not None:
            self.slot.release()
            self.slot = None

    # -- running cells ------------------------------------------------------------------------
    def _iopub(self, timeout: float):
        try:
            return self.client.get_iopub_msg(timeout=timeout)
        except Exception:  # queue.Empty
            return None

    def _interrupt(self) -> None:
        msg = self.client.session.msg("interrupt_request", {})
        self.client.control_channel.send(msg)

    def _keep(self, run: CellRun, output) -> None:
        size = len(json.dumps(output))
        if size <= self.output_budget:
            self.output_budget -= size
            run.outputs.append(output)
        elif self.output_budget > 0:
            self.output_budget = 0
            note = f"[output truncated: more than {self.limits.output_bytes} bytes of output]\n"
            run.outputs.append({"output_type": "stream", "name": "stderr", "text": note})
            run.note = "output truncated"

    def run(self, code: str, *, deadline: float, silent: bool = False) -> CellRun:
        """Execute code; stop at ``deadline`` (monotonic), interrupting then killing the kernel."""
        if self.died:
            raise KernelGoneError(self.died)
        run = CellRun()
        cell_deadline = min(time.monotonic() + self.limits.cell_seconds, deadline)
        msg_id = self.client.execute(
            code, silent=silent, store_history=not silent, allow_stdin=False, stop_on_error=False
        )
        idle = False
        interrupted_at: float | None = None
        stdout: list[str] = []
        stdout_size = 0
        while not idle:
            now = time.monotonic()
            if interrupted_at is None and now > cell_deadline:
                self._interrupt()
                interrupted_at = now
                run.status = "timeout"
            if interrupted_at is not None and now > interrupted_at + _INTERRUPT_GRACE:
                self.kill("cell ignored the interrupt after its time limit; kernel killed")
                run.status = "timeout"
                break
            try:
                self._check_alive()
            except KernelGoneError:
                run.status = "dead"
                break
            msg = self._iopub(_POLL)
            if msg is None or msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind = msg["msg_type"]
            content = msg["content"]
            if kind == "status" and content.get("execution_state") == "idle":
                idle = True
            elif kind == "clear_output":
                run.outputs.clear()
            elif kind in {"stream", "display_data", "execute_result", "error"}:
                if kind == "stream" and silent:
                    stdout_size += len(content.get("text", ""))
                    if stdout_size <= self.limits.answer_mb * MIB + 200:
                        stdout.append(content.get("text", ""))
                    continue
                if kind == "error" and run.status == "ok":
                    run.status = "error"
                self._keep(run, output_from_msg(msg))
        run.stdout = "".join(stdout)
        if idle:
            self._collect_reply(run, msg_id)
        if run.status == "timeout":
            run.outputs.append(_timeout_output())
        return run

    def _collect_reply(self, run: CellRun, msg_id: str) -> None:
        end = time.monotonic() + 5
        while time.monotonic() < end:
            try:
                reply = self.client.get_shell_msg(timeout=_POLL)
            except Exception:  # queue.Empty
                self._check_alive()
                continue
            if reply["parent_header"].get("msg_id") == msg_id:
                run.execution_count = reply["content"].get("execution_count")
                payloads = reply["content"].get("payload") or []
                if any(isinstance(p, dict) and p.get("source") == "ask_exit" for p in payloads):
                    # exit()/quit(): the kernel stops itself ~0.1 s later, which would race
                    # with the next cell; stop it now, as a front end would, deterministically
                    self.kill("the notebook called exit(); kernel stopped")
                    run.status = "dead"
                return


def _stale_group(name: str) -> bool:
    """A ``sandbox-<uid>`` group whose uid no running grader holds any more."""
    suffix = name.removeprefix("sandbox-")
    return suffix.isdigit() and bwrap.uid_is_free(int(suffix))


def _timeout_output() -> dict:
    # the same error nbgrader's Execute preprocessor records on a timeout
    return {
        "output_type": "error",
        "ename": "CellTimeoutError",
        "evalue": "",
        "traceback": ["CellTimeoutError: No reply from kernel before timeout"],
    }
