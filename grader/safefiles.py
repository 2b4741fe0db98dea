"""Reading learner-controlled files of the course folder without following links.

``submitted/`` is filled by ``collect``, by nbgrader's exchange or by hand; a learner (or a
careless copy) can leave a symbolic link, a hard link or garbage there. These helpers open
files with ``O_NOFOLLOW``, check the opened file is a regular file with one link, and never
echo what they read into a message.
"""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path


def read_timestamp(
    folder: Path, *, released: datetime | None = None
) -> tuple[datetime | None, str]:
    """The submission time in ``folder/timestamp.txt``: (time, note) or (None, reason).

    The file is opened without following a link and must be a plain, singly linked file
    of at most 100 bytes holding one time nbgrader can parse; otherwise the reason says so
    without quoting the content (it could be another file's). A time in the future or
    before ``released`` comes back with a note.
    """
    from nbgrader.utils import parse_utc

    path = folder / "timestamp.txt"
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return None, ""
    except OSError:
        return None, "timestamp.txt is a link or cannot be read; refused"
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_nlink > 1:
            return None, "timestamp.txt is not a plain file (a link?); refused"
        raw = fh.read(101)
    try:
        text = raw.decode("ascii").strip()
        if len(raw) > 100 or not text:
            raise ValueError
        stamp = parse_utc(text)
    except (ValueError, OverflowError, TypeError):
        return None, "timestamp.txt does not hold a date and time; refused"
    now = datetime.now(UTC)
    aware = stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp
    if aware > now + timedelta(minutes=5):
        return stamp, f"submission time {aware:%Y-%m-%d %H:%M} UTC is in the future"
    if released and aware < released:
        return stamp, f"submission time {aware:%Y-%m-%d %H:%M} UTC is before the release"
    return stamp, ""


def copy_plain_file(src: Path, dest_dir: Path) -> bool:
    """Copy ``src`` into ``dest_dir`` only if it is a regular, singly linked file (no link
    is followed); False when it is absent or refused."""
    try:
        fd = os.open(src, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return False
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_nlink > 1 or info.st_size > 2**20:
            return False
        data = fh.read()
    dest = dest_dir / src.name
    dest.unlink(missing_ok=True)
    dest.write_bytes(data)
    return True
