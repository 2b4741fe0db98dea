"""The file system a warm sandbox sees, built from nothing in a fresh mount namespace.

The same whitelist as the cold path's bubblewrap command (``bwrap.bwrap_args``): the operating
system (``/usr``, ``/etc``) and the Python installation read-only, size-capped tmpfs for the
learner's home, ``/tmp`` and ``/dev/shm``, a private ``/proc`` of the sandbox's own pid
namespace, a minimal ``/dev``. Every mount is made on a tmpfs root that no other sandbox ever
shares, then the process pivots into it and the host's tree is detached, so no path outside
the whitelist exists any more.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path

from grader.sandbox.isolation import syscalls as sc

_DEVICES = ("null", "zero", "full", "random", "urandom", "tty")
_DEV_LINKS = {
    "fd": "/proc/self/fd",
    "stdin": "/proc/self/fd/0",
    "stdout": "/proc/self/fd/1",
    "stderr": "/proc/self/fd/2",
    "ptmx": "pts/ptmx",
}
_PROC_COVERED = ("sys", "sysrq-trigger", "irq", "bus")
_TOP_LEVEL = ("bin", "lib", "lib64", "sbin", "lib32", "libx32")


@dataclass
class RootPlan:
    """Everything the new root holds; plain data, made by the trusted grader (JSON-safe)."""

    root: str  # an empty private host folder to build on
    python_roots: list[str]
    tmp_bytes: int
    home: str
    home_bytes: int
    runtime_host: str
    runtime_sandbox: str
    workdir: str
    files: list[tuple[str, str]] = field(default_factory=list)  # (host file, sandbox path)
    etc_files: dict[str, str] = field(default_factory=dict)  # sandbox path -> text

    def as_dict(self) -> dict:
        """The plan as JSON-safe data."""
        return asdict(self)


def _makedirs(path: str, mode: int) -> None:
    """Create missing folders with exactly ``mode`` (the umask must not narrow it)."""
    missing = []
    current = Path(path)
    while not current.exists():
        missing.append(current)
        current = current.parent
    for folder in reversed(missing):
        folder.mkdir()
        folder.chmod(mode)


def _tmpfs(target: str, size: int, mode: str) -> None:
    _makedirs(target, 0o755)
    sc.mount("tmpfs", target, "tmpfs", sc.MS_NOSUID | sc.MS_NODEV, f"size={size},mode={mode}")


def _dev(root: str, shm_bytes: int) -> None:
    dev = f"{root}/dev"
    _tmpfs(dev, 1 << 20, "0755")
    for name in _DEVICES:
        Path(dev, name).touch()
        # a bare bind (no remount): the host mount's flags, so the device stays usable
        sc.mount(f"/dev/{name}", f"{dev}/{name}", None, sc.MS_BIND)
    for name, target in _DEV_LINKS.items():
        os.symlink(target, f"{dev}/{name}")
    _makedirs(f"{dev}/pts", 0o755)
    options = "newinstance,ptmxmode=0666,mode=620"
    with contextlib.suppress(sc.SyscallError):  # no pseudo-terminals then: never needed
        sc.mount("devpts", f"{dev}/pts", "devpts", sc.MS_NOSUID | sc.MS_NOEXEC, options)
    _tmpfs(f"{dev}/shm", shm_bytes, "1777")


def _proc(root: str) -> None:
    proc = f"{root}/proc"
    _makedirs(proc, 0o555)
    sc.mount("proc", proc, "proc", sc.MS_NOSUID | sc.MS_NODEV | sc.MS_NOEXEC)
    for name in _PROC_COVERED:
        if os.path.exists(f"{proc}/{name}"):
            sc.bind(f"{proc}/{name}", f"{proc}/{name}")


def build(plan: RootPlan, hostname: str) -> None:
    """Build the new root and pivot into it; the caller is pid 1 of a fresh pid namespace."""
    root = plan.root
    sc.mount(None, "/", None, sc.MS_REC | sc.MS_PRIVATE)
    sc.mount("tmpfs", root, "tmpfs", sc.MS_NOSUID | sc.MS_NODEV, "size=4194304,mode=0755")
    os.umask(0)
    for system in ("/usr", "/etc"):
        _makedirs(root + system, 0o755)
        sc.bind(system, root + system)
    # /usr/local holds site tools; hide it, then re-add Python (as the cold path does)
    sc.mount(
        "tmpfs", f"{root}/usr/local", "tmpfs", sc.MS_NOSUID | sc.MS_NODEV, "size=1048576,mode=0755"
    )
    for name in _TOP_LEVEL:
        host = f"/{name}"
        if os.path.islink(host):
            os.symlink(os.readlink(host), root + host)
        elif os.path.isdir(host):
            _makedirs(root + host, 0o755)
            sc.bind(host, root + host)
    _proc(root)
    _dev(root, plan.tmp_bytes)
    # /tmp before Python: a virtualenv under /tmp is then bound on top of the tmpfs
    _tmpfs(f"{root}/tmp", plan.tmp_bytes, "1777")
    for python in plan.python_roots:
        _makedirs(root + python, 0o755)
        sc.bind(python, root + python)
    _makedirs(f"{root}/home", 0o755)
    _tmpfs(root + plan.home, plan.home_bytes, "0777")
    _makedirs(root + plan.runtime_sandbox, 0o777)
    sc.bind(plan.runtime_host, root + plan.runtime_sandbox, readonly=False)
    _makedirs(root + plan.workdir, 0o777)
    for host, target in plan.files:
        _makedirs(str(Path(root + target).parent), 0o777)
        shutil.copyfile(host, root + target)
        os.chmod(root + target, 0o666)
    for number, (target, text) in enumerate(sorted(plan.etc_files.items())):
        if not os.path.isfile(root + target):
            continue  # nothing to cover: the read-only /etc cannot gain a file
        staged = f"{root}/.etc-{number}"
        Path(staged).write_text(text, encoding="utf-8")
        os.chmod(staged, 0o644)
        sc.bind(staged, root + target)
        os.unlink(staged)  # the mount keeps the file; its name must not stay visible
    sc.sethostname(hostname)
    old = f"{root}/.old-root"
    os.mkdir(old)
    sc.pivot_root(root, old)
    os.chdir("/")
    sc.umount_detach("/.old-root")
    os.rmdir("/.old-root")
    sc.mount(
        None, "/", None, sc.MS_REMOUNT | sc.MS_BIND | sc.MS_RDONLY | sc.MS_NOSUID | sc.MS_NODEV
    )
    os.umask(0o022)
