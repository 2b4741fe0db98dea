"""``collect``: import downloaded submissions into ``submitted/<student>/<ID>/``.

Each imported submission gets the assignment's notebook name and a ``timestamp.txt``
(the file's modification time, so re-collecting the same download changes nothing).
Everything that could not be imported is listed with its reason, printed and appended
to the grading log, where ``report`` shows it.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from grader import gradelog
from grader.course import Course, staged_dir
from grader.errors import GraderError
from grader.gradebook import ensure_student, open_gradebook
from grader.submissions import Found, scan

log = logging.getLogger(__name__)

MAX_NOTEBOOK_BYTES = 100 * 2**20
_MAX_ZIP_BYTES = 4 * 2**30


@dataclass
class CollectSummary:
    """What ``collect`` did, entry by entry."""

    assignment: str
    imported: list[tuple[str, str]] = field(default_factory=list)
    unchanged: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def exit_status(self) -> int:
        """0 when at least one submission is in place, else 1."""
        return 0 if self.imported or self.unchanged else 1

    def lines(self) -> list[str]:
        """A human-readable report."""
        out = [
            f"{self.assignment}: {len(self.imported)} imported, {len(self.unchanged)} unchanged, "
            f"{len(self.skipped)} skipped"
        ]
        out += [f"  imported {student} <- {origin}" for student, origin in self.imported]
        out += [f"  skipped {origin}: {reason}" for origin, reason in self.skipped]
        return out


def main(
    *, assignment: str, source: Path, course: Path = Path("course"), db: str | None = None
) -> CollectSummary:
    """Import the submissions in ``source`` (folder, .zip or single .ipynb) for ``assignment``.

    Raises:
        GraderError: unknown assignment, missing course directory, unreadable ``source``,
            unreachable gradebook.
    """
    target = Course.open(course, db=db)
    notebook = target.notebook_name(assignment)
    source = Path(source)
    with tempfile.TemporaryDirectory(prefix="grader-collect-") as tmp:
        root = _as_folder(source, Path(tmp))
        found = _resolve_clashes(scan(root, notebook))
        summary = CollectSummary(assignment)
        with open_gradebook(target.db_url, target.course_id) as gb:
            for item in found:
                if item.reason:
                    summary.skipped.append((item.origin, item.reason))
                    continue
                if _import(target, assignment, notebook, item):
                    summary.imported.append((item.student, item.origin))
                else:
                    summary.unchanged.append((item.student, item.origin))
                ensure_student(gb, item.student, **item.names)
    for origin, reason in summary.skipped:
        gradelog.append(
            target.log_path,
            {"kind": "collect", "assignment": assignment, "student": origin, "reason": reason},
        )
    return summary


def _as_folder(source: Path, tmp: Path) -> Path:
    """A folder whose top-level entries are the submissions."""
    if source.is_dir():
        return source
    if not source.is_file():
        raise GraderError(f"--from {source}: no such file or folder")
    if source.suffix.lower() == ".ipynb":
        (tmp / "single").mkdir()
        shutil.copy2(source, tmp / "single" / source.name)
        return tmp / "single"
    if zipfile.is_zipfile(source):
        _safe_extract(source, tmp / "unzipped")
        return tmp / "unzipped"
    raise GraderError(f"--from {source}: not a folder, a .zip or a notebook")


def _safe_extract(archive: Path, dest: Path) -> None:
    """Extract ``archive`` refusing paths that escape ``dest`` and absurd total sizes."""
    dest.mkdir()
    try:
        with zipfile.ZipFile(archive) as zf:
            members = zf.infolist()
            if sum(m.file_size for m in members) > _MAX_ZIP_BYTES:
                raise GraderError(f"{archive}: unpacks to more than 4 GiB; refusing it")
            for member in members:
                path = (dest / member.filename).resolve()
                if not path.is_relative_to(dest.resolve()):
                    raise GraderError(
                        f"{archive}: entry {member.filename!r} points outside the zip"
                    )
                zf.extract(member, dest)
                if not member.is_dir():
                    # Keep the submission time the LMS packed, so re-collecting is a no-op.
                    stamp = datetime(*member.date_time).timestamp()
                    os.utime(path, (stamp, stamp))
    except zipfile.BadZipFile as exc:
        raise GraderError(f"{archive}: not a readable zip ({exc})") from None


def _resolve_clashes(found: list[Found]) -> list[Found]:
    """Two entries mapping to one student id: tell namesakes apart by Moodle participant."""
    seen: dict[str, Found] = {}
    counts: dict[str, int] = {}
    for item in found:
        if not item.reason:
            counts[item.student] = counts.get(item.student, 0) + 1
    for item in found:
        if item.reason:
            continue
        if counts[item.student] > 1 and item.participant:
            item.student = f"{item.student}_{item.participant}"
        if item.student in seen:
            item.reason = (
                f"a second submission for student {item.student} ({seen[item.student].origin})"
            )
        else:
            seen[item.student] = item
    for item in found:
        if not item.reason and item.notebook.stat().st_size > MAX_NOTEBOOK_BYTES:
            item.reason = f"notebook larger than {MAX_NOTEBOOK_BYTES // 2**20} MiB"
    return found


def _import(course: Course, assignment: str, notebook: str, item: Found) -> bool:
    """Copy the notebook in; False when an identical one is already there."""
    dest = course.submitted_dir(item.student, assignment)
    data = item.notebook.read_bytes()
    current = dest / f"{notebook}.ipynb"
    if current.is_file() and current.read_bytes() == data:
        return False
    stamp = datetime.fromtimestamp(item.notebook.stat().st_mtime, UTC)
    with staged_dir(dest) as stage:
        (stage / f"{notebook}.ipynb").write_bytes(data)
        (stage / "timestamp.txt").write_text(stamp.strftime("%Y-%m-%d %H:%M:%S.%f UTC\n"))
    log.info("imported %s -> %s", item.origin, dest)
    return True
