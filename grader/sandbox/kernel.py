"""Start an ipykernel inside the bubblewrap sandbox and run cells in it with hard limits."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import zmq
from jupyter_client.blocking import BlockingKernelClient
from jupyter_client.session import new_id_bytes
from nbformat.v4 import output_from_msg

from grader.limits import MIB, Limits
from grader.sandbox import bwrap
from grader.sandbox.cgroup import SandboxCgroup

log = logging.getLogger(__name__)
_POLL = 0.2
_INTERRUPT_GRACE = 3.0


class KernelGone(RuntimeError):
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

    def __init__(self, *, limits: Limits, scratch: Path, workdir: str, files: dict[str, Path]):
        """Prepare (not start) a kernel.

        Args:
            limits: resource limits.
            scratch: private host directory of this grading run (trusted side).
            workdir: notebook folder inside the sandbox.
            files: sandbox path -> host file to copy into the sandbox (notebook, data).
        """
        self.limits = limits
        self.scratch = scratch
        self.workdir = workdir
        self.files = files
        self.proc: subprocess.Popen | None = None
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

    def _connection(self, runtime: Path, sandbox_runtime: str, name: str) -> tuple[dict, dict]:
        key = new_id_bytes().hex()
        info = {"transport": "ipc", "signature_scheme": "hmac-sha256", "key": key}
        info.update(shell_port=1, iopub_port=2, stdin_port=3, control_port=4, hb_port=5)
        info["kernel_name"] = "python3"
        inside = dict(info, ip=f"{sandbox_runtime}/{name}-ipc")
        outside = dict(info, ip=str(runtime / f"{name}-ipc"))
        return inside, outside

    def _start(self) -> None:
        runtime = self.scratch / "runtime"
        runtime.mkdir(mode=0o755)
        sandbox_runtime = f"{bwrap.SANDBOX_HOME}/.local/share/jupyter/runtime"
        name = f"kernel-{uuid.uuid4()}"
        inside, outside = self._connection(runtime, sandbox_runtime, name)
        conn_path = runtime / f"{name}.json"
        conn_path.write_text(json.dumps(inside, indent=1))
        conn_path.chmod(0o644)
        is_root = os.geteuid() == 0
        if is_root:
            self.slot = bwrap.acquire_uid()
            uid = self.slot.uid
            # tmpfs pages written by the sandbox are charged to its memory group too
            budget = (self.limits.memory_mb + 3 * self.limits.disk_mb) * MIB
            self.cgroup = SandboxCgroup(
                f"sandbox-{uid}", memory_bytes=budget, pids=self.limits.processes
            )
            # the kernel (uid) creates its sockets here; closed again once it is up
            runtime.chmod(0o733)
        else:
            uid = os.getuid()
        fds: list[int] = []
        try:
            copies = [(os.open(src, os.O_RDONLY), dst) for dst, src in self.files.items()]
            fds += [fd for fd, _ in copies]
            etc = [(bwrap.passwd_text(uid), "/etc/passwd"), (bwrap.group_text(uid), "/etc/group")]
            for text, target in etc:
                fd = self._data_fd(text)
                fds.append(fd)
                copies.append((fd, target))
            notebook = next((d for d in self.files if d.endswith(".ipynb")), self.workdir)
            args = bwrap.bwrap_args(
                limits=self.limits,
                workdir=self.workdir,
                runtime_host=str(runtime),
                runtime_sandbox=sandbox_runtime,
                files=copies,
                env=bwrap.kernel_env(notebook),
                home_extra_bytes=sum(src.stat().st_size for src in self.files.values()),
            )
            args_fd = self._data_fd("\0".join(args) + "\0")
            fds.append(args_fd)
            argv = [os.path.join(sys.prefix, "bin", "python"), "-m", "ipykernel_launcher"]
            argv += ["-f", f"{sandbox_runtime}/{name}.json"]
            cmd = bwrap.command(
                uid=uid if is_root else None, limits=self.limits, args_fd=args_fd, kernel_argv=argv
            )
            if self.cgroup is not None:
                cmd = self.cgroup.enter_command() + cmd
            self.proc = subprocess.Popen(
                cmd,
                pass_fds=fds,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                start_new_session=True,
                close_fds=True,
            )
        finally:
            for fd in fds:
                os.close(fd)
        threading.Thread(target=self._drain_stderr, daemon=True).start()
        self.context = zmq.Context()
        # a learner print of a gigabyte must not become a gigabyte message in the grader
        self.context.setsockopt(
            zmq.MAXMSGSIZE, self.limits.answer_mb * MIB + self.limits.output_bytes + MIB
        )
        self.client = BlockingKernelClient(context=self.context)
        self.client.load_connection_info(outside)
        self.client.start_channels()
        self._wait_ready()
        if is_root:
            runtime.chmod(0o711)

    def _drain_stderr(self) -> None:
        # keep only the tail: enough to explain a crash, never a flood in memory
        stream = self.proc.stderr
        while chunk := stream.read1(65536):
            self.stderr_tail = (self.stderr_tail + chunk)[-16384:]

    @staticmethod
    def _data_fd(text: str) -> int:
        read_fd, write_fd = os.pipe()
        data = text.encode()
        if len(data) > 60000:  # beyond a pipe buffer: use an unlinked temp file instead
            os.close(read_fd)
            os.close(write_fd)
            handle = tempfile.TemporaryFile()
            handle.write(data)
            handle.seek(0)
            return os.dup(handle.fileno())
        os.write(write_fd, data)
        os.close(write_fd)
        return read_fd

    def _wait_ready(self) -> None:
        assert self.client is not None
        deadline = time.monotonic() + self.limits.kernel_start_seconds
        asked = 0.0
        while time.monotonic() < deadline:
            self._check_alive()
            if time.monotonic() - asked > 2:
                self.client.kernel_info()  # zmq queues it until the kernel's socket exists
                asked = time.monotonic()
            try:
                reply = self.client.get_shell_msg(timeout=_POLL)
            except Exception:  # queue.Empty: keep waiting
                continue
            if reply["msg_type"] == "kernel_info_reply":
                # drain the startup status messages
                while self._iopub(0.05) is not None:
                    pass
                return
        raise KernelGone(f"kernel did not start within {self.limits.kernel_start_seconds:g} s")

    def _check_alive(self) -> None:
        if self.proc is not None and self.proc.poll() is not None:
            code = self.proc.returncode
            if self.cgroup is not None and self.cgroup.oom_killed():
                self.died = self.died or "kernel killed: out of memory"
            self.died = self.died or f"kernel stopped (exit status {code})"
            raise KernelGone(self.died)

    def kill(self, reason: str) -> None:
        """Kill the whole sandbox (bwrap's pid namespace takes every learner process with it)."""
        self.died = self.died or reason
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
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
            raise KernelGone(self.died)
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
            except KernelGone:
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
                return


def _timeout_output() -> dict:
    # the same error nbgrader's Execute preprocessor records on a timeout
    return {
        "output_type": "error",
        "ename": "CellTimeoutError",
        "evalue": "",
        "traceback": ["CellTimeoutError: No reply from kernel before timeout"],
    }
