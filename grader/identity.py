"""Who a submission belongs to: student ids that a display name cannot forge.

Student ids come from the name on the submission (a Moodle full name, a file or folder
name), because that is what a trainer recognises and what stays the same from one
assignment to the next. A display name is chosen by the learner, though, so:

- with the grading worksheet, a Moodle entry whose e-mail address belongs to a student
  already in the gradebook gets that student's id, whatever name it shows;
- an id already held in the gradebook by a student with another e-mail address, and an
  id that several entries of one download claim, are told apart by the participant id:
  ``<id>__<participant>``. Moodle turns ``_`` in names into spaces and ``sanitize_id``
  turns runs of spaces into one ``_``, so no Moodle display name can produce ``__``:
  "Ivan Petrov 1004" becomes ``Ivan_Petrov_1004``, never ``Ivan_Petrov__1004``;
- any clash left (only possible between non-Moodle entries) skips *every* entry that
  claims the id, with a reason: no entry silently displaces another.

The participant id is per assignment (Moodle's ``assign_user_mapping``), so it is stored
per assignment in ``moodle_participants.json`` for ``export --format moodle-worksheet``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from grader import moodle
from grader.course import Course, atomic_write_text
from grader.submissions import Found, parse_moodle, sanitize_id

PARTICIPANTS_FILE = "moodle_participants.json"


def is_moodle_entry(name: str) -> bool:
    """True for a top-level entry named the way Moodle's download names them."""
    return parse_moodle(name) is not None


@dataclass
class SheetPeople:
    """Names, e-mail addresses, ID numbers and submission times by participant id."""

    people: dict[str, dict[str, str]] = field(default_factory=dict)
    times: dict[str, datetime] = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path) -> SheetPeople:
        """From a Moodle grading worksheet (times read in this machine's time zone)."""
        sheet = moodle.read(path)
        tz = datetime.now().astimezone().tzinfo
        out = cls()
        for row in range(sheet.rows):
            participant = sheet.participant(row)
            if not participant:
                continue
            out.people[participant] = {
                "name": " ".join(sheet.value(row, "name").split()),
                "email": sheet.value(row, "email").strip(),
                "idnumber": sheet.value(row, "idnumber").strip(),
            }
            when = moodle.parse_userdate(sheet.value(row, "submitted"), tz)
            if when:
                out.times[participant] = when
        return out

    def submitted(self, participant: str) -> datetime | None:
        """Moodle's own submission time of ``participant``, if the worksheet had one."""
        return self.times.get(participant)


def assign_ids(found: list[Found], sheet: SheetPeople | None, gb: Any) -> None:
    """Give every entry its final student id, or a reason (module docstring)."""
    by_email = {s.email.lower(): s.id for s in gb.students if s.email}
    emails = {s.id: (s.email or "").lower() for s in gb.students}
    fixed: set[int] = set()
    for index, item in enumerate(found):
        if item.reason or not item.moodle:
            continue
        if sheet is not None:
            person = sheet.people.get(item.participant)
            if person is None:
                item.reason = f"participant {item.participant} is not in the worksheet"
                continue
            names = {"last_name": person["name"]} if person["name"] else {}
            item.names = {**names, "email": person["email"]} if person["email"] else names
            email = person["email"].lower()
            if email and email in by_email:
                item.student, fixed = by_email[email], fixed | {index}
            elif email and emails.get(item.student, email) not in ("", email):
                item.student = f"{item.student}__{item.participant}"
                fixed.add(index)
    claims: dict[str, list[int]] = defaultdict(list)
    for index, item in enumerate(found):
        if not item.reason:
            claims[item.student].append(index)
    for student, indices in claims.items():
        if len(indices) < 2:
            continue
        for index in indices:
            item = found[index]
            if item.moodle and index not in fixed:
                item.student = f"{student}__{item.participant}"
    claims.clear()
    for index, item in enumerate(found):
        if not item.reason:
            claims[item.student].append(index)
    for student, indices in claims.items():
        if len(indices) > 1:
            origins = ", ".join(found[i].origin for i in indices)
            for index in indices:
                found[index].reason = f"several entries claim student {student} ({origins})"


def save_participants(course: Course, assignment: str, mapping: dict[str, str]) -> None:
    """Remember participant id -> student id for ``assignment`` (merged with earlier runs)."""
    if not mapping:
        return
    path = course.root / PARTICIPANTS_FILE
    data = load_all(course)
    data.setdefault(assignment, {}).update(mapping)
    atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n")


def load_all(course: Course) -> dict[str, dict[str, str]]:
    """Every assignment's participant id -> student id mapping."""
    path = course.root / PARTICIPANTS_FILE
    if not path.is_file() or path.is_symlink():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {}


def participants(course: Course, assignment: str) -> dict[str, str]:
    """participant id -> student id for ``assignment`` (empty if nothing was collected)."""
    return load_all(course).get(assignment, {})


__all__ = ["SheetPeople", "assign_ids", "is_moodle_entry", "participants", "sanitize_id"]
