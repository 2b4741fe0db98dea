"""Warm template of learner kernels: ``python -m grader.sandbox.isolation.zygote`` (one per grading worker).

It imports the scientific stack and ipykernel once, then waits. For each submission the worker
asks it (over a private socket) to fork; the fork builds a sandbox around itself and becomes
the learner's kernel, so no submission pays for an interpreter start or a pandas import:

    zygote ──fork──▶ keeper: joins the submission's cgroup, unshares mount, pid, network, ipc,
                     uts and cgroup namespaces, forks
                     └──▶ init (pid 1 of the new pid namespace): builds a private root from
                          nothing (``newroot``), pivots into it, forks
                          └──▶ kernel (pid 2): a fresh user namespace in which it is uid
                               1000 (the host's per-sandbox uid outside, no name for root),
                               rlimits, no capabilities, no_new_privs; starts ipykernel

The zygote itself never runs learner code and never receives learner data (only paths the
worker prepared), so every fork starts from the same clean state; nothing a submission does
to its own memory, files or processes can reach the zygote or the next fork. When the keeper
dies, init gets SIGKILL (parent-death signal) and the kernel tears down the whole pid namespace.
"""

from __future__ import annotations

import builtins
import contextlib
import gc
import importlib.util
import json
import os
import resource
import select
import signal
import socket
import sys
import traceback

from grader.sandbox.isolation import syscalls as sc
from grader.sandbox.isolation.newroot import RootPlan, build

# imported before any fork: what the course's notebooks import, and the kernel itself
# (not ipywidgets: imported outside a kernel it skips the set-up it does on import in one)
PRELOAD = (
    "numpy",
    "pandas",
    "IPython",
    "ipykernel.kernelapp",
    # what ipykernel imports only when a kernel starts (its debugger above all)
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.debugger",
    "debugpy.server",
    "sqlite3",
    "pdb",
)
# room for a kernel's command line and environment, which overwrite the zygote's in each fork
PADDING = " " * 1024
MESSAGE_BYTES = 1 << 20
_NAMESPACES = sc.CLONE_NEWNS | sc.CLONE_NEWPID | sc.CLONE_NEWNET | sc.CLONE_NEWIPC | sc.CLONE_NEWUTS
# sys.path of a fresh kernel: the zygote's own, without the grader's PYTHONPATH (set in main)
_BASE_PATH: list[str] = []
# environment variables the preloaded libraries set on import (ipykernel's debugger does)
_IMPORT_ENV: dict[str, str] = {}
# the file a cold kernel's sys.argv[0] names
_LAUNCHER = getattr(
    importlib.util.find_spec("ipykernel_launcher"), "origin", "ipykernel_launcher.py"
)
_RLIMITS = {
    "as": resource.RLIMIT_AS,
    "nproc": resource.RLIMIT_NPROC,
    "fsize": resource.RLIMIT_FSIZE,
    "cpu": resource.RLIMIT_CPU,
    "core": resource.RLIMIT_CORE,
    "nofile": resource.RLIMIT_NOFILE,
}


def _send(sock: socket.socket, message: dict) -> None:
    sock.send(json.dumps(message).encode())


# -- inside the forks (each function ends the process; none ever returns into the loop) ------
def _fail(stage: str) -> None:
    with contextlib.suppress(Exception):
        os.write(2, f"sandbox {stage} failed: {traceback.format_exc(limit=3)}".encode())
    os._exit(127)


def _keeper(request: dict, stderr_fd: int, zygote: int) -> None:
    try:
        sc.prctl(sc.PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != zygote:
            os._exit(1)
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        null = os.open(os.devnull, os.O_RDWR)
        os.dup2(null, 0)
        os.dup2(null, 1)
        os.dup2(stderr_fd, 2)
        os.closerange(3, resource.getrlimit(resource.RLIMIT_NOFILE)[0])
        os.setsid()  # no terminal to push keystrokes into (bubblewrap's --new-session)
        for procs in request["cgroups"]:
            with open(procs, "w") as handle:
                handle.write(str(os.getpid()))
        flags = _NAMESPACES | (sc.CLONE_NEWCGROUP if request["cgroups"] else 0)
        sc.unshare(flags)
        keeper = os.getpid()
        # SIGTERM (the worker's "stop") kills init and the keeper then waits for it: init's end
        # waits for every process of its pid namespace, so when the keeper exits, all are gone
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
        pid = os.fork()
        if pid == 0:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
            _init(request, keeper)
        signal.signal(signal.SIGTERM, lambda *_: os.kill(pid, signal.SIGKILL))
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
        _, status = os.waitpid(pid, 0)  # retried after the handler runs (PEP 475)
        os._exit(os.waitstatus_to_exitcode(status) & 0xFF)
    except BaseException:  # noqa: BLE001 - report and end this fork, whatever went wrong
        _fail("set-up")


def _init(request: dict, keeper: int) -> None:
    try:
        sc.prctl(sc.PR_SET_PDEATHSIG, signal.SIGKILL)
        if not os.path.exists(f"/proc/{keeper}"):  # /proc is still the host's here
            os._exit(1)
        build(RootPlan(**request["plan"]), request["hostname"])
        sc.loopback_up()
        # pid 1 is what the sandbox sees first in /proc: a bare init, not the grader's command
        sc.rewrite_command_line(["init"], {})
        asked_read, asked_write = os.pipe()
        mapped_read, mapped_write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(asked_read)
            os.close(mapped_write)
            _kernel(request, asked_write, mapped_read)
        os.close(asked_write)
        os.close(mapped_read)
        # the kernel has made its own user namespace: name its uid there (the host's root
        # stays nameless inside, so nothing in the sandbox can act as root)
        if os.read(asked_read, 1) == b"1":
            inside, outside = request["uid_inside"], request["uid"]
            for name in ("uid_map", "gid_map"):
                with open(f"/proc/{pid}/{name}", "w") as handle:
                    handle.write(f"{inside} {outside} 1\n")
            os.write(mapped_write, b"1")
        os.close(mapped_write)
        while True:  # pid 1 reaps every orphan until the kernel itself ends
            child, status = os.waitpid(-1, 0)
            if child == pid:
                os._exit(os.waitstatus_to_exitcode(status) & 0xFF)
    except BaseException:  # noqa: BLE001
        _fail("file system")


def _kernel(request: dict, asked: int, mapped: int) -> None:
    try:
        sys.argv = [_LAUNCHER, *request["kernel_argv"]]
        # what /proc/self/cmdline and /proc/self/environ say: a plain kernel's, nothing else
        launcher = [sys.executable, "-m", "ipykernel_launcher", *sys.argv[1:]]
        sc.rewrite_command_line(launcher, {**request["env"], "PWD": request["workdir"]})
        for name, value in request["rlimits"].items():
            resource.setrlimit(_RLIMITS[name], (value, value))
        sc.unshare(sc.CLONE_NEWUSER)
        os.write(asked, b"1")
        if os.read(mapped, 1) != b"1":
            raise RuntimeError("the uid map of the sandbox was not written")
        uid = request["uid_inside"]
        sc.drop_bounding_set()
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)
        sc.clear_capabilities()
        sc.prctl(sc.PR_SET_NO_NEW_PRIVS, 1)
        left = sc.capabilities_left()
        if left:  # fail closed: no kernel with any capability at all
            raise RuntimeError(f"capabilities left after the drop: {left}")
        # the uid change made the process undumpable (its /proc files root's), which an
        # exec would have undone in a cold kernel; nothing in its memory is secret
        sc.prctl(sc.PR_SET_DUMPABLE, 1)
        os.chdir(request["workdir"])
        os.environ.clear()
        # PWD as a shell-started kernel has it (bubblewrap's --chdir sets it on the cold path)
        os.environ.update(request["env"], PWD=request["workdir"])
        os.environ.update(_IMPORT_ENV)  # what the preloaded libraries set when imported
        # the fork's modules must look like a fresh interpreter's: no grader code, own seeds
        sys.path[:] = _BASE_PATH  # ipykernel_launcher drops '' and IPython adds it again
        for name in [m for m in sys.modules if m == "grader" or m.startswith("grader.")]:
            del sys.modules[name]
        if "numpy" in sys.modules:
            sys.modules["numpy"].random.seed()
    except BaseException:  # noqa: BLE001
        _fail("privilege drop")
    if request.get("probe"):
        os._exit(0)
    code = 0
    try:
        from ipykernel.kernelapp import IPKernelApp

        IPKernelApp.launch_instance(argv=request["kernel_argv"])
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 1
    except BaseException:  # noqa: BLE001
        traceback.print_exc()
        code = 1
    finally:
        os._exit(code)


# -- the zygote's own loop ------------------------------------------------------------------
def _serve(sock: socket.socket) -> None:
    me = os.getpid()
    wake_read, wake_write = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    live: set[int] = set()
    while True:
        ready, _, _ = select.select([sock, wake_read], [], [])
        if wake_read in ready:
            with contextlib.suppress(BlockingIOError):
                os.read(wake_read, 4096)
            while live:
                pid, status = os.waitpid(-1, os.WNOHANG)
                if pid == 0:
                    break
                live.discard(pid)
                _send(sock, {"exited": pid, "code": os.waitstatus_to_exitcode(status)})
        if sock not in ready:
            continue
        data, fds, _, _ = socket.recv_fds(sock, MESSAGE_BYTES, 4)
        if not data:
            return  # the worker is gone
        message = json.loads(data)
        if message["op"] == "kill":
            if message["pid"] in live:  # never a pid this loop has already reaped
                with contextlib.suppress(ProcessLookupError):
                    os.kill(message["pid"], signal.SIGTERM)
            continue
        pid = os.fork()
        if pid == 0:
            sock.close()
            _keeper(message["request"], fds[0], me)
        for fd in fds:
            os.close(fd)
        live.add(pid)
        _send(sock, {"spawned": pid, "id": message["id"]})


class _KernelLike:
    """What ``get_ipython()`` looks like to a library imported inside a Jupyter kernel."""

    kernel = object()


def _preload() -> None:
    """Import PRELOAD as a kernel would: libraries that look for a kernel at import time
    (pandas picks its display width so) must decide as they would in a cold kernel."""
    builtins.get_ipython = _KernelLike  # type: ignore[attr-defined]
    before = dict(os.environ)
    try:
        for module in PRELOAD:
            with contextlib.suppress(ImportError):
                __import__(module)
    finally:
        del builtins.get_ipython  # type: ignore[attr-defined]
    _IMPORT_ENV.update({k: v for k, v in os.environ.items() if before.get(k) != v})


def main() -> None:
    """Import the stack, report ready (with the thread count), then serve fork requests."""
    from grader.sandbox.isolation.lifetime import die_with_parent

    fd, parent = sys.argv[1:3]
    die_with_parent(int(parent))
    sock = socket.socket(fileno=int(fd))
    grader_path = os.environ.pop("PYTHONPATH", "").split(os.pathsep)
    _BASE_PATH[:] = [p for p in sys.path[1:] if p and p not in grader_path]
    _preload()
    # what the imports made is never freed: keep the collector off those pages, so the forks
    # share them instead of copying each page the collector would touch
    gc.freeze()
    # forking is only safe from a single-threaded process
    threads = len(os.listdir("/proc/self/task"))
    _send(sock, {"ready": True, "threads": threads, "pid": os.getpid()})
    _serve(sock)


if __name__ == "__main__":
    main()
