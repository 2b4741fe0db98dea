"""The two routes back into Moodle, built from export rows (see docs/trainers.md, "Moodle").

1. ``fill``: the assignment's offline grading worksheet, downloaded from Moodle, with its
   Grade and Feedback comments cells set; rows matched by the participant ids that
   ``collect`` recorded from the submissions zip; every other byte unchanged.
2. ``gradebook_import``: a CSV for the course gradebook's import (Grades > Import > CSV
   file), keyed by e-mail address or ID number, one column per assignment in points.

Both refuse, before anything is written, what Moodle would reject or silently lose.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

from grader import identity, moodle
from grader.course import Course
from grader.errors import GraderError
from grader.textsafe import csv_cell, terminal

# "username": the student ids are Moodle usernames (learners logged in to the hub from Moodle
# over LTI 1.3, deploy/jupyterhub/course_lti.py), so no roster is needed.
KEYS = {"email": "Email address", "idnumber": "ID number", "username": "Username"}


def _grade_value(row: dict, include_partial: bool) -> Decimal | None:
    """Points less late penalty; None when there is no submission or it is held back."""
    if row["score"] == "":
        return None
    if row["needs_manual_grade"] == "true" and not include_partial:
        return None
    return Decimal(row["score"])


def _held_back_note(held: list[str]) -> list[str]:
    if not held:
        return []
    return [
        f"held back {len(held)} submission(s) still awaiting manual grading (grade left "
        f"empty; --include-partial exports them): {', '.join(terminal(s) for s in held)}"
    ]


def fill(
    course: Course,
    assignment: str,
    rows: list[dict],
    worksheet: Path,
    include_partial: bool,
    notes: list[str],
) -> str:
    """The worksheet's text with grades and comments of ``assignment`` filled in."""
    sheet = moodle.read(worksheet)
    if "max" not in sheet.columns:
        raise GraderError(
            f"--worksheet {worksheet}: no 'Maximum grade' column; the assignment must be "
            "graded by points (Grade > Type: Point), not a scale"
        )
    by_student = {r["student_id"]: r for r in rows if r["score"] != ""}
    mapping = identity.participants(course, assignment)  # participant -> student
    rows_of = sheet.by_participant()
    missing = sorted(p for p, s in mapping.items() if p not in rows_of and s in by_student)
    if missing:
        raise GraderError(
            f"--worksheet {worksheet}: no row for participant(s) {', '.join(missing)} collected "
            f"for {assignment}; is it the worksheet of this assignment?"
        )
    if not mapping:
        raise GraderError(
            f"no Moodle participant ids recorded for {assignment}: collect its Moodle "
            "download with `python -m grader collect` first"
        )
    held, filled = [], 0
    for participant, index in sorted(rows_of.items(), key=lambda kv: kv[1]):
        row = by_student.get(mapping.get(participant, ""))
        if row is None:
            continue
        maximum = moodle.parse_number(sheet.value(index, "max"))
        if maximum is None:
            raise GraderError(
                f"--worksheet {worksheet}: 'Maximum grade' of Participant {participant} is "
                f"not a number ({terminal(sheet.value(index, 'max'))!r})"
            )
        value = _grade_value(row, include_partial)
        if value is None:
            held.append(row["student_id"])
            sheet.set(index, "grade", "")
        else:
            top = Decimal(row["max_score"])
            scaled = value / top * maximum if top else Decimal(0)
            places = moodle.decimals_of(sheet.value(index, "max"))
            sheet.set(index, "grade", moodle.format_grade(scaled, places))
            filled += 1
        if "feedback" in sheet.columns:
            sheet.set(index, "feedback", row["comments"])
    notes.append(f"filled {filled} grade(s) of {sheet.rows} worksheet row(s)")
    if "feedback" not in sheet.columns and any(r["comments"] for r in by_student.values()):
        notes.append(
            "the worksheet has no 'Feedback comments' column: comments not exported (turn on "
            "the feedback type Feedback comments and download the worksheet again)"
        )
    notes += _held_back_note(held)
    return sheet.text()


def roster(
    course: Course,
    rows: list[dict],
    *,
    roster: Path | None,
    worksheet: Path | None,
    key: str,
) -> dict[str, str]:
    """student id -> e-mail address or ID number (``key``) for every exported learner.

    From ``roster`` (CSV with ``student_id`` and ``email``/``idnumber`` columns), else the
    worksheet(s) through the recorded participant ids, else the gradebook's e-mail
    addresses (which ``collect --worksheet`` fills).

    Raises:
        GraderError: a learner without a value, naming every such learner.
    """
    if key not in KEYS:
        raise GraderError(f"unknown --key {key!r} (email, idnumber or username)")
    people: dict[str, str] = {}
    if roster is not None:
        people = _read_roster(roster, key)
    elif worksheet is not None:
        from grader.identity import SheetPeople

        sheet = SheetPeople.read(worksheet)
        for mapping in identity.load_all(course).values():
            for participant, student in mapping.items():
                value = sheet.people.get(participant, {}).get(key, "")
                if value:
                    people.setdefault(student, value)
    elif key == "email":
        people = {r["student_id"]: r["email"] for r in rows if r["email"]}
    elif key == "username":
        people = {r["student_id"]: r["student_id"] for r in rows}
    students = sorted({r["student_id"] for r in rows})
    unmapped = [s for s in students if not people.get(s)]
    if unmapped:
        where = "--roster" if roster else "--worksheet" if worksheet else "the gradebook"
        raise GraderError(
            f"no {KEYS[key].lower()} in {where} for {len(unmapped)} learner(s): "
            f"{', '.join(terminal(s) for s in unmapped)}; Moodle would reject the whole "
            "import, nothing written"
        )
    return people


def _read_roster(path: Path, key: str) -> dict[str, str]:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise GraderError(f"--roster {path}: cannot be read as UTF-8 text ({exc})") from None
    reader = csv.DictReader(io.StringIO(text))
    columns = reader.fieldnames or []
    if "student_id" not in columns or key not in columns:
        raise GraderError(
            f"--roster {path}: needs columns student_id and {key} (found: {', '.join(columns)})"
        )
    return {r["student_id"].strip(): (r[key] or "").strip() for r in reader}


def gradebook_import(
    assignments: list[str],
    rows: list[dict],
    people: dict[str, str],
    key: str,
    include_partial: bool,
    notes: list[str],
) -> str:
    """CSV for Moodle's gradebook import: key column, one column of points per assignment."""
    table: dict[str, dict[str, str]] = {}
    held: list[str] = []
    for row in rows:
        student = row["student_id"]
        entry = table.setdefault(student, {KEYS[key]: csv_cell(people[student])})
        value = _grade_value(row, include_partial)
        if value is None and row["score"] != "":
            held.append(f"{student} ({row['assignment']})")
        entry[row["assignment"]] = "" if value is None else row["score"]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=[KEYS[key], *assignments], lineterminator="\n")
    writer.writeheader()
    writer.writerows(table[s] for s in sorted(table))
    notes += _held_back_note(held)
    return buf.getvalue()
