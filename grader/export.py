"""``export``: grades as CSV, as Moodle's filled grading worksheet, or as a gradebook import.

- ``csv``: one row per student and assignment (students without a submission included,
  with an empty score), with the score, maximum and whether manual grading is pending.
  Every cell is made safe for spreadsheets (``grader.textsafe.csv_cell``).
- ``moodle-worksheet``: the assignment's own grading worksheet, downloaded from Moodle,
  with its Grade (scaled to its "Maximum grade") and "Feedback comments" cells filled,
  rows matched by participant id (``grader.moodlesheet``).
- ``moodle``: one row per student for the course gradebook's CSV import, keyed by e-mail
  address or ID number from a roster; one column per assignment with its points.

A submission whose written answers still wait for manual grading is exported with an
empty grade (Moodle reads that as "no grade") and counted as held back, unless
``include_partial``. Every check runs before anything is written; the file is written
whole (temporary file + rename) or not at all.
"""

from __future__ import annotations

import csv
import io
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader import moodlesheet
from grader.course import Course, atomic_write_text
from grader.errors import GraderError
from grader.gradebook import open_gradebook
from grader.textsafe import csv_cell

FORMATS = ("csv", "moodle", "moodle-worksheet")
CSV_COLUMNS = [
    "student_id",
    "first_name",
    "last_name",
    "email",
    "assignment",
    "timestamp",
    "raw_score",
    "late_submission_penalty",
    "score",
    "max_score",
    "needs_manual_grade",
]


@dataclass
class ExportResult:
    """Where the export went and what the trainer should know about it."""

    out: Path | None
    notes: list[str] = field(default_factory=list)
    exit_status: int = 0

    def lines(self) -> list[str]:
        """``wrote FILE`` (when written to a file) and the notes."""
        return ([f"wrote {self.out}"] if self.out else []) + self.notes


def collect_rows(gb: Any, assignments: Sequence[str] | None) -> tuple[list[str], list[dict]]:
    """Assignment ids and one dict per (student, assignment) from the gradebook."""
    known = [a.name for a in gb.assignments]
    chosen = list(assignments) if assignments else known
    unknown = [a for a in chosen if a not in known]
    if unknown:
        raise GraderError(
            f"unknown assignment {', '.join(unknown)} (in the gradebook: {', '.join(known) or 'none'})"
        )
    rows = []
    for name in chosen:
        assignment = gb.find_assignment(name)
        submissions = {s.student.id: s for s in assignment.submissions}
        for student in gb.students:
            sub = submissions.get(student.id)
            penalty = (sub.late_submission_penalty or 0) if sub else 0
            rows.append(
                {
                    "student_id": student.id,
                    "first_name": student.first_name or "",
                    "last_name": student.last_name or "",
                    "email": student.email or "",
                    "assignment": name,
                    "timestamp": sub.timestamp.isoformat() if sub and sub.timestamp else "",
                    "raw_score": _number(sub.score) if sub else "",
                    "late_submission_penalty": _number(penalty) if sub else "",
                    # as nbgrader's own export: the grade is the raw score less the penalty
                    "score": _number(max(sub.score - penalty, 0)) if sub else "",
                    "max_score": _number(assignment.max_score),
                    "needs_manual_grade": str(bool(sub and sub.needs_manual_grade)).lower(),
                    "comments": _comments(sub) if sub else "",
                }
            )
    return chosen, rows


def _comments(sub: Any) -> str:
    """The trainer's formgrader comments of a submission, as plain text, one per line."""
    lines = []
    for nb in sub.notebooks:
        for comment in sorted(nb.comments, key=lambda c: c.name):
            text = (comment.manual_comment or "").strip()
            if text:
                lines.append(f"{comment.name}: {text}")
    return "\n".join(lines)


def _number(value: float) -> str:
    return f"{value:g}"


def to_csv(rows: list[dict]) -> str:
    """Long format, one row per student and assignment, spreadsheet-safe."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows({k: csv_cell(v) for k, v in row.items()} for row in rows)
    return buf.getvalue()


def _check_out(out: Path | None) -> None:
    """Refuse an ``--out`` that cannot be written, before any work is done."""
    if out is None:
        return
    out = Path(out)
    if out.is_dir():
        raise GraderError(f"--out {out} is a folder; give a file name")
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise GraderError(f"--out {out}: folder {parent} does not exist")
    if not os.access(parent, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise GraderError(f"--out {out}: not writable")


def main(
    *,
    format: str = "csv",  # noqa: A002 - mirrors the --format option
    out: Path | None = None,
    course: Path = Path("course"),
    db: str | None = None,
    assignments: Sequence[str] | None = None,
    worksheet: Path | None = None,
    roster: Path | None = None,
    key: str = "email",
    include_partial: bool = False,
) -> ExportResult:
    """Export grades to ``out`` (stdout when None).

    Raises:
        GraderError: unknown format or assignment, missing course, unreachable gradebook,
            ``out`` not writable, a worksheet or roster that does not fit, a learner with
            no e-mail/ID number for ``moodle``.
    """
    if format not in FORMATS:
        raise GraderError(f"unknown export format {format!r} ({', '.join(FORMATS)})")
    _check_out(out)
    target = Course.open(course, db=db)
    result = ExportResult(Path(out) if out else None)
    with open_gradebook(target.db_url, target.course_id) as gb:
        chosen, rows = collect_rows(gb, assignments)
    if format == "csv":
        text = to_csv(rows)
    elif format == "moodle-worksheet":
        if worksheet is None or len(chosen) != 1:
            raise GraderError(
                "--format moodle-worksheet needs --worksheet FILE and one --assignment ID"
            )
        text = moodlesheet.fill(target, chosen[0], rows, worksheet, include_partial, result.notes)
    else:
        people = moodlesheet.roster(target, rows, roster=roster, worksheet=worksheet, key=key)
        text = moodlesheet.gradebook_import(
            chosen, rows, people, key, include_partial, result.notes
        )
    if out is None:
        sys.stdout.write(text)
        return result
    try:
        atomic_write_text(Path(out), text)
    except OSError as exc:
        raise GraderError(f"--out {out}: cannot be written ({exc.strerror})") from None
    return result
