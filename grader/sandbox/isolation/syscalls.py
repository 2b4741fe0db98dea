"""The Linux calls a warm sandbox needs and Python 3.11's ``os`` lacks (ctypes over libc).

bubblewrap makes these same calls for the cold path; the warm path makes them itself because
its kernel is a fork of a running interpreter, which no command can be handed over to.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import fcntl
import os
import socket
import struct

_libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)

CLONE_NEWNS = 0x00020000
CLONE_NEWCGROUP = 0x02000000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000

MS_RDONLY = 0x1
MS_NOSUID = 0x2
MS_NODEV = 0x4
MS_NOEXEC = 0x8
MS_REMOUNT = 0x20
MS_BIND = 0x1000
MS_REC = 0x4000
MS_PRIVATE = 0x40000
MNT_DETACH = 0x2

PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_CAPBSET_DROP = 24
PR_SET_NO_NEW_PRIVS = 38
_SYS_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41}
_SIOCGIFFLAGS, _SIOCSIFFLAGS = 0x8913, 0x8914
_IFF_UP = 0x1


class SyscallError(OSError):
    """A namespace or mount call failed (errno and the call's description)."""


def _check(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise SyscallError(errno, f"{what}: {os.strerror(errno)}")


def unshare(flags: int) -> None:
    """Move this process into new namespaces (``unshare(2)``)."""
    _check(_libc.unshare(flags), "unshare")


def mount(source: str | None, target: str, fstype: str | None, flags: int, data: str = "") -> None:
    """``mount(2)``; ``data`` is the file system's option string (e.g. ``size=…,mode=…``)."""

    def arg(text: str | None) -> bytes | None:
        return None if text is None else text.encode()

    result = _libc.mount(arg(source), arg(target), arg(fstype), flags, arg(data or None))
    _check(result, f"mount {source or fstype} on {target}")


def bind(source: str, target: str, *, readonly: bool = True) -> None:
    """Bind ``source`` on ``target`` (not recursive), then make it read-only, nosuid, nodev."""
    mount(source, target, None, MS_BIND)
    flags = MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV | (MS_RDONLY if readonly else 0)
    mount(None, target, None, flags)


def umount_detach(target: str) -> None:
    """Lazily detach the mount at ``target`` and everything below it."""
    _check(_libc.umount2(target.encode(), MNT_DETACH), f"umount {target}")


def pivot_root(new_root: str, put_old: str) -> None:
    """``pivot_root(2)`` (no libc wrapper: a raw system call)."""
    number = _SYS_PIVOT_ROOT.get(os.uname().machine)
    if number is None:
        raise SyscallError(0, f"pivot_root: unknown system call number on {os.uname().machine}")
    _check(_libc.syscall(number, new_root.encode(), put_old.encode()), "pivot_root")


def sethostname(name: str) -> None:
    """Set the host name of this (new) UTS namespace."""
    data = name.encode()
    _check(_libc.sethostname(data, len(data)), "sethostname")


def prctl(option: int, value: int) -> None:
    """``prctl(2)`` with one argument."""
    _check(_libc.prctl(option, value, 0, 0, 0), f"prctl {option}")


def drop_bounding_set() -> None:
    """Empty the capability bounding set: nothing run later can ever regain a capability."""
    cap = 0
    while True:
        if _libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            if ctypes.get_errno() == 22:  # EINVAL: past the last capability this kernel knows
                return
            _check(-1, f"drop capability {cap}")
        cap += 1


def loopback_up() -> None:
    """Bring up ``lo`` in a new network namespace, as bubblewrap does (no other interface)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack("16sH14x", b"lo", 0)
        flags = struct.unpack("16sH14x", fcntl.ioctl(sock, _SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(sock, _SIOCSIFFLAGS, struct.pack("16sH14x", b"lo", flags | _IFF_UP))


def _fill(start: int, end: int, items: list[str]) -> None:
    data = b"\0".join(item.encode() for item in items) + b"\0"
    if not start or len(data) > end - start:
        raise SyscallError(0, f"the new text needs {len(data)} bytes, {end - start} available")
    ctypes.memmove(start, data.ljust(end - start, b"\0"), end - start)


def rewrite_command_line(argv: list[str], env: dict[str, str]) -> None:
    """Make ``/proc/self/cmdline`` and ``/proc/self/environ`` show ``argv`` and ``env``.

    A fork keeps its parent's command line and start-up environment in memory, and those two
    files read that memory; it is overwritten in place (as ``setproctitle`` does), so a kernel
    forked from the zygote shows what a kernel started by ``python -m ipykernel_launcher``
    would. The zygote's own command line is padded to leave room.
    """
    with open("/proc/self/stat", encoding="ascii") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    # fields 48–51 of proc(5): arg_start, arg_end, env_start, env_end ("state" is field 3)
    arg_start, arg_end, env_start, env_end = (int(fields[n - 3]) for n in (48, 49, 50, 51))
    _fill(arg_start, arg_end, argv)
    _fill(env_start, env_end, [f"{key}={value}" for key, value in env.items()])


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [
        ("effective", ctypes.c_uint32),
        ("permitted", ctypes.c_uint32),
        ("inheritable", ctypes.c_uint32),
    ]


def clear_capabilities() -> None:
    """Empty the effective, permitted and inheritable sets (``capset(2)``, version 3).

    Changing uids inside a new user namespace does not clear them by itself when the old uid
    (the host's root) has no name in that namespace.
    """
    header = _CapHeader(0x20080522, 0)
    data = (_CapData * 2)()
    _check(_libc.capset(ctypes.byref(header), data), "capset")


def capabilities_left() -> list[str]:
    """The non-empty capability sets of this process (``/proc/self/status``), e.g. ``CapEff``."""
    with open("/proc/self/status", encoding="ascii") as handle:
        lines = [line.split() for line in handle if line.startswith("Cap")]
    return [name.rstrip(":") for name, value in lines if int(value, 16) != 0]
