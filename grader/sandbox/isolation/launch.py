"""Launching the sandboxed kernel process: connection files, file copies, the bwrap command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from jupyter_client.session import new_id_bytes

from grader.limits import MIB, Limits
from grader.sandbox.isolation import bwrap, warm
from grader.sandbox.isolation.newroot import RootPlan
from grader.sandbox.isolation.warm import ForkedKernel, WarmUnavailableError, Zygote

SANDBOX_RUNTIME = f"{bwrap.SANDBOX_HOME}/.local/share/jupyter/runtime"
# the session's input history in memory, not in a database file the kernel creates at start
# (a graded kernel lives for one notebook; In, Out and %history work as usual)
KERNEL_OPTIONS = ("--HistoryManager.hist_file=:memory:",)
# the learner's uid inside a warm sandbox's own user namespace (jovyan's, as in Jupyter images)
UID_INSIDE = 1000


def connection_info(runtime: Path, name: str) -> tuple[dict, dict]:
    """Kernel connection info as seen inside the sandbox and from the grader (ipc transport).

    ipc sockets are files in ``runtime``, bound into the sandbox at the usual Jupyter runtime
    path; TCP would be unreachable from the grader because the sandbox has no network.
    """
    info = {"transport": "ipc", "signature_scheme": "hmac-sha256", "key": new_id_bytes().hex()}
    info.update(shell_port=1, iopub_port=2, stdin_port=3, control_port=4, hb_port=5)
    info["kernel_name"] = "python3"
    inside = dict(info, ip=f"{SANDBOX_RUNTIME}/{name}-ipc")
    outside = dict(info, ip=str(runtime / f"{name}-ipc"))
    return inside, outside


def _connection_file(runtime: Path) -> tuple[str, dict]:
    """Write a new kernel's connection file into ``runtime``; its name and the grader's side."""
    name = f"kernel-{uuid.uuid4()}"
    inside, outside = connection_info(runtime, name)
    conn_path = runtime / f"{name}.json"
    conn_path.write_text(json.dumps(inside, indent=1))
    conn_path.chmod(0o644)
    return name, outside


def data_fd(text: str) -> int:
    """A readable fd holding ``text`` (for bwrap's --args, --file and --ro-bind-data)."""
    data = text.encode()
    if len(data) > 60000:  # beyond a pipe buffer: an unlinked temp file instead
        with tempfile.TemporaryFile() as handle:
            handle.write(data)
            handle.flush()
            return os.open(f"/proc/self/fd/{handle.fileno()}", os.O_RDONLY)
    read_fd, write_fd = os.pipe()
    os.write(write_fd, data)
    os.close(write_fd)
    return read_fd


def start(
    *,
    limits: Limits,
    runtime: Path,
    workdir: str,
    files: dict[str, Path],
    uid: int | None,
    prefix: list[str],
) -> tuple[subprocess.Popen, dict]:
    """Start ipykernel in the sandbox; return the process and the grader-side connection info.

    Args:
        limits: resource limits.
        runtime: host folder for the connection file and sockets.
        workdir: notebook folder inside the sandbox.
        files: sandbox path -> host file copied into the sandbox's tmpfs.
        uid: sandbox uid when running as root (None: bwrap's user namespace, own uid).
        prefix: command prefix (the cgroup entry shell), possibly empty.
    """
    name, outside = _connection_file(runtime)
    account = uid if uid is not None else os.getuid()
    fds: list[int] = []
    try:
        copies: list[tuple[int | None, str]] = []
        for target, source in files.items():
            fds.append(os.open(source, os.O_RDONLY))
            copies.append((fds[-1], target))
        for text, target in (
            (bwrap.passwd_text(account), "/etc/passwd"),
            (bwrap.group_text(account), "/etc/group"),
            # the grading machine's name is no business of the learner's code
            (f"{bwrap.SANDBOX_HOSTNAME}\n", "/etc/hostname"),
        ):
            fds.append(data_fd(text))
            copies.append((fds[-1], target))
        notebook = next((d for d in files if d.endswith(".ipynb")), workdir)
        args = bwrap.bwrap_args(
            limits=limits,
            workdir=workdir,
            runtime_host=str(runtime),
            runtime_sandbox=SANDBOX_RUNTIME,
            files=copies,
            env=bwrap.kernel_env(notebook),
            home_extra_bytes=sum(source.stat().st_size for source in files.values()),
        )
        fds.append(data_fd("\0".join(args) + "\0"))
        argv = [os.path.join(sys.prefix, "bin", "python"), "-m", "ipykernel_launcher"]
        argv += ["-f", f"{SANDBOX_RUNTIME}/{name}.json", *KERNEL_OPTIONS]
        cmd = prefix + bwrap.command(uid=uid, limits=limits, args_fd=fds[-1], kernel_argv=argv)
        proc = subprocess.Popen(
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
    return proc, outside


def rlimits(limits: Limits) -> dict[str, int]:
    """The per-process caps of the warm path (the same values as ``bwrap.rlimit_args``)."""
    return {
        "as": limits.memory_mb * MIB,
        "nproc": limits.processes,
        "fsize": limits.disk_mb * MIB,
        "cpu": int(limits.notebook_seconds) + 5,
        "core": 0,
        "nofile": limits.open_files,
    }


def start_warm(
    *,
    zygote: Zygote,
    limits: Limits,
    runtime: Path,
    workdir: str,
    files: dict[str, Path],
    uid: int,
    cgroups: list[Path],
) -> tuple[ForkedKernel, dict]:
    """Fork the kernel from the worker's zygote into a fresh sandbox (see ``zygote``).

    The same file system, environment and limits as :func:`start`; the root is built on an
    empty folder of this submission's private scratch directory.
    """
    name, outside = _connection_file(runtime)
    root = runtime.parent / "root"
    root.mkdir(mode=0o700)
    notebook = next((d for d in files if d.endswith(".ipynb")), workdir)
    plan = RootPlan(
        root=str(root),
        python_roots=bwrap.python_roots(),
        tmp_bytes=limits.disk_mb * MIB,
        home=bwrap.SANDBOX_HOME,
        home_bytes=limits.disk_mb * MIB + sum(p.stat().st_size for p in files.values()),
        runtime_host=str(runtime),
        runtime_sandbox=SANDBOX_RUNTIME,
        workdir=workdir,
        files=[(str(host), target) for target, host in files.items()],
        etc_files={
            "/etc/passwd": bwrap.passwd_text(UID_INSIDE),
            "/etc/group": bwrap.group_text(UID_INSIDE),
            "/etc/hostname": f"{bwrap.SANDBOX_HOSTNAME}\n",
        },
    )
    request = {
        "plan": plan.as_dict(),
        "hostname": bwrap.SANDBOX_HOSTNAME,
        "cgroups": [str(group / "cgroup.procs") for group in cgroups],
        "rlimits": rlimits(limits),
        "uid": uid,
        "uid_inside": UID_INSIDE,
        "workdir": workdir,
        "env": bwrap.kernel_env(notebook),
        "kernel_argv": ["-f", f"{SANDBOX_RUNTIME}/{name}.json", *KERNEL_OPTIONS],
    }
    read_fd, write_fd = os.pipe()
    try:
        try:
            pid = zygote.spawn(request, write_fd)
        except WarmUnavailableError:
            # the zygote died since the last submission (killed, out of memory): a new one
            zygote = warm.zygote()
            if zygote is None:
                raise
            pid = zygote.spawn(request, write_fd)
    except BaseException:
        os.close(read_fd)
        raise
    finally:
        os.close(write_fd)
    return ForkedKernel(zygote, pid, read_fd), outside
