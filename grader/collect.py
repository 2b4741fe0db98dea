"""``collect``: import downloaded submissions into ``submitted/<student>/<ID>/``.

Each imported submission gets the assignment's notebook name and a ``timestamp.txt``: the
submission time, defined per source (see docs/trainers.md, "Submission times"):

- Moodle download (a zip whose entries are Moodle's): the worksheet's "Last modified
  (submission)" when ``--worksheet`` is given, else the zip entry's time, which Moodle sets
  to the moment the zip was made: never earlier than the real submission, so late work
  cannot look early;
- anything else (a folder, a learner-made zip, one notebook): file times there are under
  the learner's control, so the submission time is the time of this ``collect``; collecting
  the same notebook again keeps the first time.

Times in the future or before the assignment's release are flagged. Everything that could
not be imported is listed with its reason, printed and appended to the grading log.
"""

from __future__ import annotations

import logging
import os
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from grader import gradelog, identity, unzip
from grader.course import Course, staged_dir
from grader.errors import GraderError
from grader.gradebook import ensure_student, open_gradebook
from grader.submissions import Found, link_problem, scan
from grader.textsafe import terminal

log = logging.getLogger(__name__)

MAX_NOTEBOOK_BYTES = 100 * 2**20
_MAX_ZIP_BYTES = 4 * 2**30
STAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f UTC"


@dataclass
class CollectSummary:
    """What ``collect`` did, entry by entry."""

    assignment: str
    imported: list[tuple[str, str]] = field(default_factory=list)
    unchanged: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    flagged: list[tuple[str, str]] = field(default_factory=list)

    @property
    def exit_status(self) -> int:
        """0 when at least one submission is in place, else 1."""
        return 0 if self.imported or self.unchanged else 1

    def lines(self) -> list[str]:
        """A human-readable report (learner-made names made safe for a terminal)."""
        out = [
            f"{self.assignment}: {len(self.imported)} imported, {len(self.unchanged)} unchanged, "
            f"{len(self.skipped)} skipped"
        ]
        out += [f"  imported {student} <- {origin}" for student, origin in self.imported]
        out += [f"  skipped {origin}: {reason}" for origin, reason in self.skipped]
        out += [f"  check the time of {student}: {note}" for student, note in self.flagged]
        return [terminal(line) for line in out]


def main(
    *,
    assignment: str,
    source: Path,
    course: Path = Path("course"),
    db: str | None = None,
    worksheet: Path | None = None,
) -> CollectSummary:
    """Import the submissions in ``source`` (folder, .zip or single .ipynb) for ``assignment``.

    ``worksheet``: the assignment's Moodle grading worksheet, for names, e-mail addresses
    and submission times by participant id.

    Raises:
        GraderError: unknown assignment, missing course directory, unreadable ``source``
            or worksheet, a zip that is corrupt, empty, clashing or too large, unreachable
            gradebook.
    """
    target = Course.open(course, db=db)
    notebook = target.notebook_name(assignment)
    sheet = identity.SheetPeople.read(worksheet) if worksheet else None
    source = Path(source)
    now = datetime.now(UTC)
    released = target.release_time(assignment)
    with tempfile.TemporaryDirectory(prefix="grader-collect-") as tmp:
        root, times, refused = _as_folder(source, Path(tmp))
        found = scan(root, notebook)
        if not found:
            raise GraderError(f"no submissions found in {source}")
        for item in found:
            if item.origin in refused and not item.reason:
                item.reason = refused[item.origin]
        summary = CollectSummary(assignment)
        with open_gradebook(target.db_url, target.course_id) as gb:
            identity.assign_ids(found, sheet, gb)
            _check_sizes(found)
            participants = {}
            for item in found:
                if item.reason:
                    summary.skipped.append((item.origin, item.reason))
                    continue
                stamp = _submission_time(item, root, times, sheet, now)
                try:
                    changed = _import(target, assignment, notebook, item, stamp, root)
                except OSError as exc:
                    summary.skipped.append((item.origin, f"cannot be read ({exc.strerror})"))
                    continue
                (summary.imported if changed else summary.unchanged).append(
                    (item.student, item.origin)
                )
                note = _time_note(stamp, now, released) if changed else ""
                if note:
                    summary.flagged.append((item.student, note))
                ensure_student(gb, item.student, **item.names)
                if item.participant:
                    participants[item.participant] = item.student
        identity.save_participants(target, assignment, participants)
    for origin, reason in summary.skipped:
        gradelog.append(
            target.log_path,
            {"kind": "collect", "assignment": assignment, "student": origin, "reason": reason},
        )
    for student, note in summary.flagged:
        gradelog.append(
            target.log_path,
            {"kind": "time", "assignment": assignment, "student": student, "reason": note},
        )
    return summary


def _as_folder(source: Path, tmp: Path) -> tuple[Path, dict[str, float] | None, dict[str, str]]:
    """A folder whose top-level entries are the submissions, Moodle zip times, refusals."""
    if source.is_symlink():
        raise GraderError(f"--from {source}: a symbolic link; give the folder or file itself")
    if source.is_dir():
        return source, None, {}
    if not source.is_file():
        raise GraderError(f"--from {source}: no such file or folder")
    if source.suffix.lower() == ".ipynb":
        (tmp / "single").mkdir()
        (tmp / "single" / source.name).write_bytes(source.read_bytes())
        return tmp / "single", None, {}
    if zipfile.is_zipfile(source) or source.suffix.lower() == ".zip":
        unpacked = unzip.unpack(
            source,
            tmp / "unzipped",
            notebook_limit=MAX_NOTEBOOK_BYTES,
            total_limit=_MAX_ZIP_BYTES,
        )
        top = {Path(p).parts[0] for p in unpacked.times}
        moodle = all(identity.is_moodle_entry(name) for name in top)
        return unpacked.root, unpacked.times if moodle else None, unpacked.refused
    raise GraderError(f"--from {source}: not a folder, a .zip or a notebook")


def _check_sizes(found: list[Found]) -> None:
    for item in found:
        if not item.reason and item.notebook.lstat().st_size > MAX_NOTEBOOK_BYTES:
            item.reason = f"notebook larger than {MAX_NOTEBOOK_BYTES // 2**20} MiB"


def _submission_time(item: Found, root: Path, times, sheet, now: datetime) -> datetime:
    """The submission time of one entry, by source (module docstring)."""
    if sheet and item.participant:
        when = sheet.submitted(item.participant)
        if when:
            return when
    if times is not None:  # a Moodle download: the zip's own time of the entry
        stamp = times.get(item.notebook.relative_to(root).as_posix())
        if stamp is not None:
            return datetime.fromtimestamp(stamp, UTC)
    return now


def _time_note(stamp: datetime, now: datetime, released: datetime | None) -> str:
    if stamp > now + timedelta(minutes=5):
        return f"submission time {stamp:%Y-%m-%d %H:%M} UTC is in the future"
    if released and stamp < released:
        return f"submission time {stamp:%Y-%m-%d %H:%M} UTC is before the release"
    return ""


def _read_plain(path: Path, top: Path) -> bytes:
    """The bytes of a regular, singly linked file, opened without following a link."""
    problem = link_problem(path, top=top)
    if problem:
        raise OSError(0, problem)
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if info.st_nlink > 1:
            raise OSError(0, "a file with several hard links")
        return fh.read(MAX_NOTEBOOK_BYTES + 1)


def _import(
    course: Course, assignment: str, notebook: str, item: Found, stamp: datetime, root: Path
) -> bool:
    """Copy the notebook in; False when an identical one is already there."""
    dest = course.submitted_dir(item.student, assignment)
    data = _read_plain(item.notebook, root)
    current = dest / f"{notebook}.ipynb"
    if current.is_file() and not current.is_symlink() and current.read_bytes() == data:
        return False
    with staged_dir(dest) as stage:
        (stage / f"{notebook}.ipynb").write_bytes(data)
        (stage / "timestamp.txt").write_text(stamp.strftime(STAMP_FORMAT) + "\n")
    log.info("imported %s -> %s", item.origin, dest)
    return True
