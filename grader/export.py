"""``export``: grades per student and assignment, as CSV or as a Moodle grade import.

- ``csv``: one row per student and assignment (students without a submission included,
  with an empty score), with the score, maximum and whether manual grading is pending.
- ``moodle``: one row per student: an ``Identifier`` column (the nbgrader student id,
  which Moodle's "Import grades > CSV file" maps to a user field such as username or ID
  number), ``Email address`` and one column per assignment holding its points.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from grader.course import Course, atomic_write_text
from grader.errors import GraderError
from grader.gradebook import open_gradebook

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
            rows.append(
                {
                    "student_id": student.id,
                    "first_name": student.first_name or "",
                    "last_name": student.last_name or "",
                    "email": student.email or "",
                    "assignment": name,
                    "timestamp": sub.timestamp.isoformat() if sub and sub.timestamp else "",
                    "raw_score": _number(sub.score) if sub else "",
                    "late_submission_penalty": _number(sub.late_submission_penalty or 0)
                    if sub
                    else "",
                    # as nbgrader's own export: the grade is the raw score less the penalty
                    "score": _number(max(sub.score - (sub.late_submission_penalty or 0), 0))
                    if sub
                    else "",
                    "max_score": _number(assignment.max_score),
                    "needs_manual_grade": str(bool(sub and sub.needs_manual_grade)).lower(),
                }
            )
    return chosen, rows


def _number(value: float) -> str:
    return f"{value:g}"


def to_csv(rows: list[dict]) -> str:
    """Long format, one row per student and assignment."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def to_moodle(assignments: list[str], rows: list[dict]) -> str:
    """Wide format for Moodle's CSV grade import: identifier, email, one column per item."""
    table: dict[str, dict[str, str]] = {}
    for row in rows:
        entry = table.setdefault(
            row["student_id"], {"Identifier": row["student_id"], "Email address": row["email"]}
        )
        entry[row["assignment"]] = row["score"]
    buf = io.StringIO()
    writer = csv.DictWriter(
        buf, fieldnames=["Identifier", "Email address", *assignments], lineterminator="\n"
    )
    writer.writeheader()
    writer.writerows(table[s] for s in sorted(table))
    return buf.getvalue()


def main(
    *,
    format: str = "csv",  # noqa: A002 - mirrors the --format option
    out: Path | None = None,
    course: Path = Path("course"),
    db: str | None = None,
    assignments: Sequence[str] | None = None,
) -> Path | None:
    """Export grades; returns ``out`` (or None after writing to stdout).

    Raises:
        GraderError: unknown format or assignment, missing course, unreachable gradebook.
    """
    if format not in ("csv", "moodle"):
        raise GraderError(f"unknown export format {format!r} (csv or moodle)")
    target = Course.open(course, db=db)
    with open_gradebook(target.db_url, target.course_id) as gb:
        chosen, rows = collect_rows(gb, assignments)
    text = to_csv(rows) if format == "csv" else to_moodle(chosen, rows)
    if out is None:
        sys.stdout.write(text)
        return None
    atomic_write_text(Path(out), text)
    return Path(out)
