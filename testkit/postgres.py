"""A throwaway PostgreSQL server on 127.0.0.1 for gradebook tests and benchmarks (Debian ``postgresql``).

The cluster lives in a temp directory, listens on a free loopback port, runs as the
unprivileged ``postgres`` user when the tests run as root (the server refuses root), and
is stopped and deleted afterwards.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def pg_bin() -> Path | None:
    """Folder holding initdb/pg_ctl/createdb, or None if PostgreSQL is not installed."""
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(versions[-1]).parent if versions else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def throwaway_postgres(*, durable: bool = False) -> Iterator[str]:
    """Start a cluster; yield ``postgresql+psycopg://postgres@127.0.0.1:<port>``.

    Tests run it with ``fsync=off`` (fast, nothing to lose); ``durable=True`` keeps a real
    server's commit costs, for benchmarks.
    """
    bindir = pg_bin()
    if bindir is None:
        raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
    as_user: list[str] = []
    root = Path(tempfile.mkdtemp(prefix="grader-pg-"))
    if os.geteuid() == 0:
        import pwd

        user = pwd.getpwnam("postgres")
        os.chown(root, user.pw_uid, user.pw_gid)
        as_user = ["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--clear-groups"]
    data, port = root / "data", _free_port()

    def sh(*args: str) -> None:
        subprocess.run([*as_user, *args], check=True, capture_output=True, cwd=root)

    sh(str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
    sh(
        str(bindir / "pg_ctl"),
        "-D",
        str(data),
        "-l",
        str(root / "log"),
        "-w",
        "-t",
        "60",
        "-o",
        f"-h 127.0.0.1 -p {port} -k {root} -c fsync={'on' if durable else 'off'}",
        "start",
    )
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        sh(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)


def create_database(base_url: str, name: str) -> str:
    """Create database ``name`` on the server; return its SQLAlchemy URL."""
    import psycopg

    plain = base_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(f"{plain}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base_url}/{name}"
