"""Command line of the bubblewrap sandbox that hosts the learner's kernel.

Whitelist, not blacklist: the sandbox sees only the operating system (``/usr``, ``/etc``), the
Python installation and its virtualenv, read-only, plus size-capped tmpfs for the learner's home
and ``/tmp``. The course directory, the gradebook, other submissions, the source notebooks and
the trusted test data never exist inside it. As root, bwrap builds the namespaces and
``setpriv`` then drops to a per-sandbox unprivileged uid with no capabilities; without root,
bwrap's user namespace maps the sandbox to the caller's own uid (weaker; see docs/security.md).
"""

from __future__ import annotations

import fcntl
import os
import pwd
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from grader.limits import MIB, Limits

SANDBOX_HOME = "/home/jovyan"
SANDBOX_USER = "jovyan"
# like a container of a Jupyter docker image: says nothing about the grading machine
SANDBOX_HOSTNAME = "jupyter"
# Unprivileged uids handed to sandboxes, one per concurrently running sandbox on a machine, so
# that RLIMIT_NPROC (counted per uid) of one learner never starves another learner's kernel.
UID_BASE = 61000
UID_SLOTS = 256
_LOCK_DIR = Path(tempfile.gettempdir()) / ".sandbox-uid-locks"


class SandboxUnavailableError(RuntimeError):
    """bubblewrap or setpriv is missing: grading refuses to run learner code unconfined."""


@dataclass
class UidSlot:
    """An unprivileged uid reserved for one sandbox while its lock file stays open."""

    uid: int
    lock_fd: int

    def release(self) -> None:
        """Give the uid back to the pool."""
        os.close(self.lock_fd)


def _uids_in_use() -> set[int]:
    """Real uids of all running processes (a uid still owning processes is never handed out)."""
    uids = set()
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            line = next(ln for ln in status.read_text().splitlines() if ln.startswith("Uid:"))
        except (OSError, StopIteration):
            continue
        uids.add(int(line.split()[1]))
    return uids


def uid_is_free(uid: int) -> bool:
    """Whether no running grader holds the lock of this sandbox uid."""
    try:
        fd = os.open(_LOCK_DIR / f"{uid}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)  # closing drops the probe's own lock at once
    return True


def acquire_uid() -> UidSlot:
    """Reserve a free sandbox uid: no passwd entry, no process, locked by no other grader."""
    _LOCK_DIR.mkdir(mode=0o700, exist_ok=True)
    start = os.getpid() % UID_SLOTS
    busy = _uids_in_use()
    for offset in range(UID_SLOTS):
        uid = UID_BASE + (start + offset) % UID_SLOTS
        if uid in busy:
            continue  # left over by a crashed run elsewhere: its processes count against NPROC
        try:
            pwd.getpwuid(uid)
            continue  # a real account: never reuse its uid
        except KeyError:
            pass
        fd = os.open(_LOCK_DIR / f"{uid}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        return UidSlot(uid, fd)
    raise SandboxUnavailableError(
        "all sandbox uids are in use; lower the number of grading workers"
    )


def tool(name: str) -> str:
    """Absolute path of a required system tool, or SandboxUnavailableError."""
    found = shutil.which(name, path="/usr/bin:/bin:/usr/sbin:/sbin:/usr/local/bin")
    if not found:
        raise SandboxUnavailableError(
            f"'{name}' not found: install it (apt-get install -y bubblewrap util-linux)"
        )
    return found


def rlimit_args(limits: Limits) -> list[str]:
    """``prlimit`` options applied to the whole sandbox (inherited by every process in it)."""
    memory = limits.memory_mb * MIB
    return [
        f"--as={memory}",
        f"--nproc={limits.processes}",
        f"--fsize={limits.disk_mb * MIB}",
        f"--cpu={int(limits.notebook_seconds) + 5}",
        "--core=0",
        f"--nofile={limits.open_files}",
    ]


def python_roots() -> list[str]:
    """Directories the sandboxed Python needs: the venv and the installation it was made from."""
    roots = {os.path.realpath(sys.prefix), os.path.realpath(sys.base_prefix)}
    roots.add(os.path.dirname(os.path.dirname(os.path.realpath(sys.executable))))
    return sorted(roots)


def kernel_env(notebook_path: str) -> dict[str, str]:
    """Environment of the learner's kernel: what a plain local Jupyter server would pass."""
    venv_bin = os.path.join(sys.prefix, "bin")
    return {
        "PATH": f"{venv_bin}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "HOME": SANDBOX_HOME,
        "LANG": "C.UTF-8",
        "SHELL": "/bin/bash",
        "JPY_SESSION_NAME": notebook_path,
    }


def _host_lines(path: str, uid: int) -> list[str]:
    """Lines of a host account file, without any ``jovyan`` entry or entry holding ``uid``."""
    return [
        ln
        for ln in Path(path).read_text().splitlines()
        if not ln.startswith("jovyan:") and ln.split(":")[2:3] != [str(uid)]
    ]


def passwd_text(uid: int) -> str:
    """Host /etc/passwd lines plus the learner's account (so ``getpass`` says "jovyan")."""
    lines = _host_lines("/etc/passwd", uid)
    lines.append(f"{SANDBOX_USER}:x:{uid}:{uid}::{SANDBOX_HOME}:/bin/bash")
    return "\n".join(lines) + "\n"


def group_text(uid: int) -> str:
    """Host /etc/group lines plus the learner's group."""
    lines = _host_lines("/etc/group", uid)
    lines.append(f"{SANDBOX_USER}:x:{uid}:")
    return "\n".join(lines) + "\n"


def bwrap_args(
    *,
    limits: Limits,
    workdir: str,
    runtime_host: str,
    runtime_sandbox: str,
    files: list[tuple[int | None, str]],
    env: dict[str, str],
    home_extra_bytes: int = 0,
) -> list[str]:
    """Arguments for bwrap (passed through ``--args FD`` so /proc/1/cmdline stays short).

    Args:
        limits: sizes of the tmpfs mounts.
        workdir: the notebook folder inside the sandbox (``/home/jovyan/<assignment>``).
        runtime_host: host directory for the kernel's ipc sockets and connection file.
        runtime_sandbox: where that directory appears inside the sandbox.
        files: (readable fd, sandbox path) of files copied into the sandbox's tmpfs.
        env: the complete environment of the kernel.
        home_extra_bytes: room added to the home tmpfs for the copied notebook and data.
    """
    size = str(limits.disk_mb * MIB)
    args = ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts"]
    args += ["--hostname", SANDBOX_HOSTNAME]
    # Keep bwrap's own init as pid 1 (no --as-pid-1): it stays root, so its parent-death signal
    # survives, and when it dies the kernel kills every process of the pid namespace. After
    # setpriv changes the uid, the kernel process itself would lose that signal.
    args += ["--unshare-cgroup-try", "--die-with-parent", "--new-session"]
    args += ["--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc"]
    # /usr/local holds site tools (on this machine, team CLIs); hide it, then re-add Python.
    args += ["--tmpfs", "/usr/local"]
    for name in ("bin", "lib", "lib64", "sbin", "lib32", "libx32"):
        path = Path("/") / name
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            args += ["--ro-bind", str(path), str(path)]
    args += ["--proc", "/proc", "--dev", "/dev"]
    # The private /tmp and /dev/shm come before Python is bound: a virtualenv that lives under
    # /tmp (a CI checkout, say) is then bound on top of the tmpfs instead of hidden by it.
    args += ["--size", size, "--perms", "1777", "--tmpfs", "/dev/shm"]
    args += ["--size", size, "--perms", "1777", "--tmpfs", "/tmp"]
    made_parents: set[str] = {"/tmp", "/dev", "/dev/shm"}
    for root in python_roots():
        # bwrap would create missing parents as 0700 root-owned: untraversable for the learner
        for parent in reversed(Path(root).parents):
            if (
                str(parent) != "/"
                and str(parent) not in made_parents
                and not str(parent).startswith("/usr")
            ):
                args += ["--perms", "0755", "--dir", str(parent)]
                made_parents.add(str(parent))
        args += ["--ro-bind", root, root]
    args += ["--perms", "0755", "--dir", "/home"]
    home_size = str(limits.disk_mb * MIB + home_extra_bytes)
    args += ["--size", home_size, "--perms", "0777", "--tmpfs", SANDBOX_HOME]
    parts = Path(runtime_sandbox).relative_to(SANDBOX_HOME).parts
    for depth in range(1, len(parts)):
        args += ["--perms", "0777", "--dir", str(Path(SANDBOX_HOME, *parts[:depth]))]
    args += ["--bind", runtime_host, runtime_sandbox]
    made = {SANDBOX_HOME}
    for fd, target in [*files, (None, f"{workdir}/-")]:
        parent = Path(target).parent
        for ancestor in reversed([parent, *parent.parents]):
            if str(ancestor).startswith(SANDBOX_HOME) and str(ancestor) not in made:
                args += ["--perms", "0777", "--dir", str(ancestor)]
                made.add(str(ancestor))
        if fd is None:
            continue
        mode = "0644" if target.startswith("/etc/") else "0666"
        copy = "--ro-bind-data" if target.startswith("/etc/") else "--file"
        args += ["--perms", mode, copy, str(fd), target]
    args += ["--chdir", workdir, "--clearenv"]
    for key, value in env.items():
        args += ["--setenv", key, value]
    return args


def command(*, uid: int | None, limits: Limits, args_fd: int, kernel_argv: list[str]) -> list[str]:
    """Full host command: prlimit → bwrap → (setpriv to the sandbox uid) → kernel.

    Without root, bwrap's own user namespace maps the sandbox to the caller's uid instead.
    """
    prefix = [tool("prlimit"), *rlimit_args(limits), "--", tool("bwrap"), "--args", str(args_fd)]
    if uid is None:
        return [*prefix, "--unshare-user", "--disable-userns", "--", *kernel_argv]
    drop = [tool("setpriv"), f"--reuid={uid}", f"--regid={uid}", "--clear-groups"]
    drop += ["--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"]
    return [*prefix, "--", *drop, *kernel_argv]
