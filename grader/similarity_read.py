"""Reading submissions for ``similarity``: learner-written code and written answers.

Submitted notebooks are learners' files: a link, an oversized or unreadable notebook is
skipped with its reason (never followed, never fatal), and only the fields needed are
taken from the JSON, each defensively (any cell may be malformed).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from grader.course import Course

MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024  # larger files are skipped, with the reason
MAX_TEXT = 200_000  # characters of code or of one answer kept per submission


@dataclass
class Submission:
    label: str
    cohort: str  # "" for the cohort under study, else the earlier course's folder name
    code: str = ""
    answers: dict[str, str] = field(default_factory=dict)


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return ("".join(src) if isinstance(src, list) else str(src))[:MAX_TEXT]


def _cells(path: Path) -> list[dict]:
    if path.is_symlink() or not path.is_file():
        raise ValueError("notebook missing or a link")
    if path.stat().st_size > MAX_NOTEBOOK_BYTES:
        raise ValueError(f"notebook larger than {MAX_NOTEBOOK_BYTES // 2**20} MiB")
    try:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    except (ValueError, AttributeError, RecursionError) as exc:
        raise ValueError(f"not a readable notebook ({type(exc).__name__})") from None
    if not isinstance(cells, list):
        raise ValueError("not a readable notebook (no cell list)")
    return [c for c in cells if isinstance(c, dict)]


def _meta(cell: dict) -> dict:
    meta = cell.get("metadata", {})
    nbg = meta.get("nbgrader", {}) if isinstance(meta, dict) else {}
    return nbg if isinstance(nbg, dict) else {}


def template(course: Course, assignment: str, notebook: str):
    """Released code cells (boilerplate), written-answer grade id -> its template, prompts."""
    cells = _cells(course.release_dir(assignment) / f"{notebook}.ipynb")
    code = [_source(c) for c in cells if c.get("cell_type") == "code"]
    written = {
        _meta(c)["grade_id"]: _source(c)
        for c in cells
        if c.get("cell_type") == "markdown" and _meta(c).get("grade") and _meta(c).get("grade_id")
    }
    prompts = "\n\n".join(_source(c) for c in cells if c.get("cell_type") == "markdown")
    return code, written, prompts


def read_submission(path: Path, label: str, cohort: str, given: set[str], written) -> Submission:
    """The learner-written code and the written answers of one submitted notebook."""
    cells = _cells(path)
    code = [
        _source(c)
        for c in cells
        if c.get("cell_type") == "code" and _source(c).strip() not in given
    ]
    answers = {}
    for c in cells:
        gid = _meta(c).get("grade_id")
        if c.get("cell_type") == "markdown" and gid in written and gid not in answers:
            answers[gid] = _source(c)
    return Submission(label, cohort, "\n\n".join(code)[:MAX_TEXT], answers)


def collect(course: Course, assignment: str, notebook: str, given, written, cohort=""):
    """Every readable submission of ``course``; unreadable ones as (label, reason)."""
    subs, skipped = [], []
    prefix = f"{cohort}/" if cohort else ""
    for student in course.students(assignment):
        label = prefix + student
        check = getattr(course, "submission_problem", None)
        problem = check(student, assignment) if check else ""
        if problem:
            skipped.append((label, problem))
            continue
        path = course.submitted_dir(student, assignment) / f"{notebook}.ipynb"
        try:
            subs.append(read_submission(path, label, cohort, given, written))
        except (ValueError, OSError) as exc:
            skipped.append((label, str(exc)))
    return subs, skipped
