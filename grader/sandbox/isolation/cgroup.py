"""Optional control group around one sandbox: total memory and process count of ALL its processes.

rlimits are per process: 60 forked children of 2 GB each would still exhaust the host. When
the machine lets us create cgroups (root with cgroup v1 ``memory`` and ``pids`` hierarchies,
or a delegated cgroup v2 subtree), the whole sandbox goes into a child of the grader's OWN
cgroup, so limits nest inside whatever the host already imposes on the grader. Without that
permission grading still works, with per-process rlimits only (docs/security.md says so).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)
ROOT = Path("/sys/fs/cgroup")


def _own_path(controller: str) -> str | None:
    """This process's cgroup path for a v1 controller ("" key = v2), from /proc/self/cgroup."""
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        if controller in controllers.split(","):
            return path
    return None


class SandboxCgroup:
    """Memory and pids limits for one sandbox; :meth:`enter_command` puts the sandbox in it."""

    def __init__(self, name: str, *, memory_bytes: int, pids: int) -> None:
        """Create the groups (best effort; ``self.dirs`` stays empty if not permitted)."""
        self.dirs: list[Path] = []
        try:
            self._create(name, memory_bytes, pids)
        except OSError as error:
            log.warning("no cgroup limits for the sandbox (%s); rlimits only", error)
            self.remove()
            self.dirs = []

    def _create(self, name: str, memory_bytes: int, pids: int) -> None:
        if (ROOT / "cgroup.controllers").exists():  # unified (v2) hierarchy
            base = ROOT / (_own_path("") or "/").lstrip("/")
            group = self._fresh(base / name)
            (group / "memory.max").write_text(str(memory_bytes))
            if (group / "memory.swap.max").exists():
                (group / "memory.swap.max").write_text("0")
            (group / "pids.max").write_text(str(pids))
            return
        for controller, files in (
            ("memory", {"memory.limit_in_bytes": memory_bytes}),
            ("pids", {"pids.max": pids}),
        ):
            own = _own_path(controller)
            if own is None or not (ROOT / controller).is_dir():
                raise OSError(f"cgroup controller {controller} not available")
            group = self._fresh(ROOT / controller / own.lstrip("/") / name)
            for file, value in files.items():
                (group / file).write_text(str(value))
            swap = group / "memory.memsw.limit_in_bytes"
            if swap.exists():
                # no swap: memory + swap may not exceed the memory limit
                with contextlib.suppress(OSError):
                    swap.write_text(str(memory_bytes))

    def _fresh(self, group: Path) -> Path:
        if group.exists():  # left over by a grader killed mid-run: empty and reuse
            self._kill_members(group)
        else:
            group.mkdir()
        self.dirs.append(group)
        return group

    @staticmethod
    def _kill_members(group: Path) -> None:
        with contextlib.suppress(OSError):
            for pid in (group / "cgroup.procs").read_text().split():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(int(pid), signal.SIGKILL)

    def enter_command(self) -> list[str]:
        """A shell prefix that moves itself into the groups, then execs the real command."""
        if not self.dirs:
            return []
        moves = " && ".join(f"echo $$ > '{d}/cgroup.procs'" for d in self.dirs)
        return ["/bin/sh", "-c", f'{moves} && exec "$@"', "sandbox"]

    def oom_killed(self) -> bool:
        """Whether the memory limit forced the kernel's OOM killer inside this group."""
        for group in self.dirs:
            for name in ("memory.oom_control", "memory.events"):
                with contextlib.suppress(OSError):
                    text = (group / name).read_text()
                    for line in text.splitlines():
                        key, _, value = line.partition(" ")
                        if key == "oom_kill" and value.strip().isdigit() and int(value) > 0:
                            return True
        return False

    def remove(self) -> None:
        """Kill anything still inside and delete the groups (killed processes may take a while
        to release gigabytes, so keep trying for up to 15 s; a leftover is swept later)."""
        for group in self.dirs:
            deadline = time.monotonic() + 15
            while True:
                self._kill_members(group)
                try:
                    group.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        log.warning("could not remove cgroup %s", group)
                        break
                    time.sleep(0.05)
        self.dirs = []

    def sweep_stale(self, is_stale: Callable[[str], bool]) -> None:
        """Delete empty sibling groups left by graders that were killed (``is_stale(name)``)."""
        for group in self.dirs:
            for sibling in group.parent.glob("sandbox-*"):
                if sibling == group or not is_stale(sibling.name):
                    continue
                with contextlib.suppress(OSError):
                    if not (sibling / "cgroup.procs").read_text().strip():
                        sibling.rmdir()
