"""``formgrader``: nbgrader's formgrader on the right course, reachable only from this machine.

nbgrader's formgrader takes its course from the folder the server starts in: started from
the repository root it finds no course and creates an empty ``gradebook.db`` there. This
verb starts JupyterLab (or Notebook) *in* the course directory, with the course root and
the gradebook URL set explicitly, listening on 127.0.0.1 only, behind a fresh random token,
and prints the URL to open.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import sys
from pathlib import Path

from grader.course import Course, ensure_tools_on_path, redact
from grader.errors import GraderError

FRONTENDS = ("lab", "notebook")


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def command(course: Course, *, port: int, token: str, frontend: str = "lab") -> list[str]:
    """The Jupyter command line that serves the formgrader of ``course``."""
    if frontend not in FRONTENDS:
        raise GraderError(f"unknown frontend {frontend!r} (lab or notebook)")
    ensure_tools_on_path()
    exe = shutil.which(f"jupyter-{frontend}")
    if exe is None:
        raise GraderError(f"jupyter-{frontend} is not installed in this environment")
    return [
        exe,
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={course.root}",
        f"--IdentityProvider.token={token}",
        f"--CourseDirectory.root={course.root}",
        f"--CourseDirectory.db_url={course.db_url}",
        f"--CourseDirectory.course_id={course.course_id}",
        # Jupyter refuses root unless told; the grading sandbox needs root anyway
        *(["--allow-root"] if os.geteuid() == 0 else []),
    ]


def main(
    *,
    course: Path = Path("course"),
    db: str | None = None,
    port: int | None = None,
    frontend: str = "lab",
    dry_run: bool = False,
) -> list[str]:
    """Start the formgrader and wait until it stops (Ctrl-C); returns the printed lines.

    Raises:
        GraderError: missing course directory or Jupyter frontend.
    """
    target = Course.open(course, db=db)
    if not (target.root / "source").is_dir():
        raise GraderError(
            f"{target.root} holds no released assignment (run `python -m grader release`)"
        )
    token = secrets.token_urlsafe(24)
    port = port or free_port()
    argv = command(target, port=port, token=token, frontend=frontend)
    lines = [
        f"formgrader for {target.root} (gradebook {redact(target.db_url)})",
        f"open http://127.0.0.1:{port}/formgrader?token={token}",
    ]
    if dry_run:
        return [*lines, " ".join(argv)]
    for line in lines:
        print(line, flush=True)
    print("stop it with Ctrl-C", file=sys.stderr, flush=True)
    os.chdir(target.root)
    # Become Jupyter rather than wait for it: a Ctrl-C, or a SIGTERM from whatever started this
    # command, then reaches Jupyter itself, and no server is left running behind a stopped command.
    os.execvp(argv[0], argv)
    return []  # not reached
