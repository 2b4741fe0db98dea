"""``grading_log.jsonl``: one JSON object per line recording what happened to a submission.

Written only by the parent process (append, one ``write`` per record); ``report`` reads
it for failures, time-outs and skipped files; :func:`incidents` tells which reasons mean a
crash or a time-out. A line cut short by a crash is ignored,
and when a submission was graded more than once the latest record wins.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def append(path: Path, record: dict[str, Any]) -> None:
    """Append ``record`` (plus a ``logged_at`` UTC time) as one line."""
    line = json.dumps({**record, "logged_at": datetime.now(UTC).isoformat()}, ensure_ascii=False)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, (line + "\n").encode("utf-8"))
    finally:
        os.close(fd)


def read(path: Path, *, assignment: str, kind: str) -> dict[str, dict[str, Any]]:
    """Latest record of ``kind`` ("grade" or "collect") per student for ``assignment``."""
    latest: dict[str, dict[str, Any]] = {}
    if not path.is_file():
        return latest
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            log.warning("%s:%d is not a complete record; ignored", path, number)
            continue
        if record.get("assignment") == assignment and record.get("kind") == kind:
            latest[record["student"]] = record
    return latest


# phrases of grader.sandbox (kernel.py, execute.py) that mean the kernel died or hit a limit
_CRASH = ("kernel stopped", "kernel killed", "kernel died", "could not start", "out of memory")
_TIMEOUT = ("time limit", "exceeded", "timed out")


def incidents(reasons: Iterable[str]) -> dict[str, str]:
    """``{"crash": reason, "timeout": reason}`` for the first reason of each kind found."""
    found: dict[str, str] = {}
    for reason in reasons:
        text = str(reason)
        if "out of memory" not in text and any(p in text for p in _TIMEOUT):
            found.setdefault("timeout", text)
        elif any(p in text for p in _CRASH):
            found.setdefault("crash", text)
    return found
