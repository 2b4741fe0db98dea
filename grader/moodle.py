"""Moodle's assignment grading worksheet ("Download grading worksheet"), read and filled.

The worksheet is the CSV that Moodle's ``assign_grading_table`` writes when the
assignment's feedback type "Offline grading worksheet" is on, and that
``assignfeedback_offline`` reads back. What that code fixes (moodle/moodle,
``mod/assign/gradingtable.php``, ``mod/assign/feedback/offline/importgradeslib.php``):

- columns are found by their header, in the language the worksheet was downloaded in:
  ``Identifier`` (``Participant 12345``; Russian ``Участник12345``, no space), ``Full name``,
  identity fields such as ``Email address``, ``Status``, ``Grade``, ``Maximum grade``, …,
  ``Last modified (grade)``, one column per feedback plugin (``Feedback comments``);
- the number after the participant word is the participant id of Moodle's
  ``assign_user_mapping``: one per user *and assignment*, the same as in the submissions zip;
- grades are written with ``format_float`` (the grade item's decimals, the decimal
  separator of the downloader's language) and read back with ``unformat_float``, which
  turns the *importing* user's separator into a point: a point is read right whatever the
  language, a comma only when the importing user's language uses one (otherwise "7,5"
  becomes 7). So grades are written with a point, with the worksheet's decimals.
- the file starts with a UTF-8 byte-order mark (Moodle's CSV writer adds one); it is kept.

Every byte outside the Grade and Feedback comments cells is written back unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from grader.errors import GraderError

BOM = "\ufeff"
# header -> role; English (Moodle's own strings) and Russian (Moodle's ru language pack)
HEADERS = {
    "Identifier": "id",
    "Идентификатор": "id",
    "Full name": "name",
    "Полное имя": "name",
    "Email address": "email",
    "Адрес электронной почты": "email",
    "ID number": "idnumber",
    "Индивидуальный номер": "idnumber",
    "Grade": "grade",
    "Оценка": "grade",
    "Maximum grade": "max",
    "Максимальная оценка": "max",
    "Last modified (submission)": "submitted",
    "Feedback comments": "feedback",
    "Отзыв в виде комментария": "feedback",
}
_PARTICIPANT = re.compile(r"^\D*?(\d+)$")
_MONTHS = {
    **{
        m: i
        for i, m in enumerate(
            [
                "january",
                "february",
                "march",
                "april",
                "may",
                "june",
                "july",
                "august",
                "september",
                "october",
                "november",
                "december",
            ],
            1,
        )
    },
    **{
        m: i
        for i, m in enumerate(
            [
                "января",
                "февраля",
                "марта",
                "апреля",
                "мая",
                "июня",
                "июля",
                "августа",
                "сентября",
                "октября",
                "ноября",
                "декабря",
            ],
            1,
        )
    },
}
_USERDATE = re.compile(
    r"(\d{1,2})\s+([^\s\d,]+)\s+(\d{4}),?\s+(\d{1,2}):(\d{2})(?:\s*([AaPp][Mm]))?"
)


@dataclass
class Worksheet:
    """A downloaded worksheet: raw records (for byte-exact rewriting) and parsed values."""

    path: Path
    bom: bool
    records: list[list[str]]  # raw cells, quotes included
    ends: list[str]  # the line ending after each record
    columns: dict[str, int] = field(default_factory=dict)  # role -> index

    def value(self, row: int, role: str) -> str:
        """The unquoted value of ``role`` in data row ``row`` ('' if the column is absent)."""
        index = self.columns.get(role)
        cells = self.records[row + 1]
        return unquote(cells[index]) if index is not None and index < len(cells) else ""

    @property
    def rows(self) -> int:
        """Number of data rows."""
        return len(self.records) - 1

    def participant(self, row: int) -> str:
        """The participant id of a data row ('' when the identifier has none)."""
        match = _PARTICIPANT.match(self.value(row, "id").strip())
        return match.group(1) if match else ""

    def by_participant(self) -> dict[str, int]:
        """participant id -> data row."""
        return {self.participant(r): r for r in range(self.rows) if self.participant(r)}

    def text(self) -> str:
        """The worksheet as text, byte for byte what was read unless cells were set."""
        body = "".join(
            ",".join(cells) + end for cells, end in zip(self.records, self.ends, strict=True)
        )
        return (BOM if self.bom else "") + body

    def set(self, row: int, role: str, value: str) -> None:
        """Set one cell of a data row, quoted the way Moodle's writer (PHP fputcsv) quotes."""
        self.records[row + 1][self.columns[role]] = quote(value)


def read(path: Path) -> Worksheet:
    """Read a worksheet as Moodle writes it.

    Raises:
        GraderError: unreadable, not UTF-8, or without the Identifier and Grade columns.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise GraderError(f"--worksheet {path}: cannot be read ({exc.strerror})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise GraderError(f"--worksheet {path}: not UTF-8 text (is it Moodle's CSV?)") from None
    bom = text.startswith(BOM)
    records, ends = split_records(text[1:] if bom else text)
    if not records:
        raise GraderError(f"--worksheet {path}: empty file")
    sheet = Worksheet(path, bom, records, ends)
    for index, cell in enumerate(records[0]):
        role = HEADERS.get(unquote(cell).strip())
        if role and role not in sheet.columns:
            sheet.columns[role] = index
    missing = [
        h for h, role in (("Identifier", "id"), ("Grade", "grade")) if role not in sheet.columns
    ]
    if missing:
        found = ", ".join(unquote(c) for c in records[0][:8])
        raise GraderError(
            f"--worksheet {path}: no {' or '.join(missing)} column (found: {found}); download "
            "it with Assignment > View all submissions > Download grading worksheet"
        )
    return sheet


def split_records(text: str) -> tuple[list[list[str]], list[str]]:
    """CSV records as raw cells (quotes kept) and the line ending after each record."""
    records: list[list[str]] = []
    ends: list[str] = []
    cells: list[str] = []
    start = i = 0
    quoted = False
    n = len(text)
    while i < n:
        ch = text[i]
        if quoted:
            if ch == '"':
                if i + 1 < n and text[i + 1] == '"':
                    i += 1
                else:
                    quoted = False
        elif ch == '"':
            quoted = True
        elif ch == ",":
            cells.append(text[start:i])
            start = i + 1
        elif ch in "\r\n":
            end = "\r\n" if text.startswith("\r\n", i) else ch
            cells.append(text[start:i])
            records.append(cells)
            ends.append(end)
            cells = []
            i += len(end)
            start = i
            continue
        i += 1
    if start < n or cells:
        cells.append(text[start:])
        records.append(cells)
        ends.append("")
    return records, ends


def unquote(cell: str) -> str:
    """The value of a raw CSV cell."""
    if len(cell) >= 2 and cell.startswith('"') and cell.endswith('"'):
        return cell[1:-1].replace('""', '"')
    return cell


def quote(value: str) -> str:
    """A cell quoted as PHP's fputcsv does (Moodle's CSV writer): only when needed."""
    if value and any(c in value for c in ',"\n\r\t '):
        return '"' + value.replace('"', '""') + '"'
    return value


def parse_number(text: str) -> Decimal | None:
    """A Moodle-formatted number ("10.00", "10,00", "1 000,50"); None if it is not one."""
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not cleaned:
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def decimals_of(text: str) -> int:
    """Decimals shown in a Moodle-formatted number (the grade item's setting)."""
    match = re.search(r"[.,](\d+)\s*$", text.strip())
    return len(match.group(1)) if match else 0


def format_grade(value: Decimal, decimals: int) -> str:
    """A grade as Moodle reads it back in any language: point, ``decimals`` places, half up."""
    step = Decimal(1).scaleb(-decimals)
    return str(value.quantize(step, rounding=ROUND_HALF_UP))


def parse_userdate(text: str, tz) -> datetime | None:
    """A Moodle ``userdate`` ("Saturday, 1 March 2025, 9:05 AM" or "суббота, 1 марта 2025,
    09:05") as UTC, read in the time zone ``tz``; None when it is not one ("-")."""
    match = _USERDATE.search(text)
    if not match:
        return None
    day, month, year, hour, minute, ampm = match.groups()
    number = _MONTHS.get(month.lower())
    if not number:
        return None
    hour_i = int(hour) % 12 + (12 if ampm and ampm.lower() == "pm" else 0) if ampm else int(hour)
    try:
        local = datetime(int(year), number, int(day), hour_i, int(minute), tzinfo=tz)
    except ValueError:
        return None
    return local.astimezone(UTC)
