"""Reading points out of an exercise's ``rubric.md``.

Format (documented in docs/trainers.md): one section per written task, whose heading
names the task's grade id; its criteria are table rows whose last column is the points,
or list items ending in "N points" (also "pts", "балл", "балла", "баллов"). A total in the
heading ("(4 points)") is optional and, if present, is checked too.
"""

from __future__ import annotations

import re

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_POINTS = re.compile(r"(\d+(?:[.,]\d+)?)\s*(?:points?|pts?|балл\w*)", re.IGNORECASE)
_TOTAL = re.compile(r"^(total|sum|итого|всего)\b", re.IGNORECASE)
_NUMBER = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(?:points?|pts?|балл\w*)?\s*$", re.IGNORECASE)


def _num(text: str) -> float:
    return float(text.replace(",", "."))


def sections(text: str) -> dict[str, list[str]]:
    """Heading text -> the lines under it (up to the next heading of any level)."""
    out: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        match = _HEADING.match(line)
        if match:
            current = match.group(2).strip()
            out[current] = []
        elif current is not None:
            out[current].append(line)
    return out


def _criterion_points(line: str) -> float | None:
    stripped = line.strip()
    if stripped.startswith("|"):
        cells = [c.strip().strip("*_").strip() for c in stripped.strip("|").split("|")]
        if len(cells) < 2 or set(cells[-1]) <= set("-: "):
            return None  # separator row
        if any(_TOTAL.match(c) for c in cells):
            return None  # the total row repeats the sum
        match = _NUMBER.match(cells[-1])
        return _num(match.group(1)) if match else None
    if re.match(r"^([-*+]|\d+\.)\s", stripped):
        found = _POINTS.findall(stripped)
        return _num(found[-1]) if found else None
    return None


def rubric_points(text: str, grade_id: str) -> tuple[float | None, float | None]:
    """(sum of the criteria's points, total stated in the heading) for ``grade_id``.

    Either is None when absent; both None when no heading names ``grade_id``.
    """
    for heading, lines in sections(text).items():
        if not re.search(rf"(?<![\w]){re.escape(grade_id)}(?![\w])", heading):
            continue
        points = [p for p in (_criterion_points(line) for line in lines) if p is not None]
        stated = _POINTS.findall(heading.replace(grade_id, ""))
        return (sum(points) if points else None, _num(stated[-1]) if stated else None)
    return None, None
