"""``report``: a cohort dashboard for the trainer, as one offline HTML page.

Reads the gradebook (scores per submission and per graded item) and the grading log
(failures, time-outs, files skipped at collection) and writes score distribution, pass
rate per graded item and the list of problems. The page is built by
:mod:`grader.report_page`; its Altair charts need the vega libraries from the
repository's ``node_modules/`` (inlined, never fetched). Without them the page still has
every number, as tables, and says how to get the charts.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader import gradelog
from grader.course import Course, atomic_write_text
from grader.errors import GraderError
from grader.gradebook import open_gradebook

log = logging.getLogger(__name__)

_TIMEOUT_WORDS = ("timeout", "timed out", "time limit", "exceeded")


@dataclass
class CohortData:
    """Everything the report shows, as plain rows."""

    assignment: str
    max_score: float
    submissions: list[dict[str, Any]] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)
    problems: list[dict[str, str]] = field(default_factory=list)


def gather(course: Course, assignment: str) -> CohortData:
    """Scores from the gradebook, problems from the grading log."""
    from nbgrader.api import MissingEntry

    with open_gradebook(course.db_url, course.course_id) as gb:
        try:
            db_assignment = gb.find_assignment(assignment)
        except MissingEntry:
            raise GraderError(f"unknown assignment {assignment!r} in the gradebook") from None
        data = CohortData(assignment, float(db_assignment.max_score))
        per_item: dict[str, dict[str, Any]] = {}
        for sub in db_assignment.submissions:
            if sub.timestamp is None:
                continue  # created but never finished grading (run interrupted)
            data.submissions.append(
                {
                    "student": sub.student.id,
                    "score": float(sub.score),
                    "max_score": float(sub.max_score),
                    "pending": bool(sub.needs_manual_grade),
                }
            )
            for nb in sub.notebooks:
                for grade in nb.grades:
                    item = per_item.setdefault(
                        grade.name,
                        {
                            "item": grade.name,
                            "kind": "written" if grade.cell.cell_type == "markdown" else "code",
                            "max_score": float(grade.max_score),
                            "graded": 0,
                            "full": 0,
                            "pending": 0,
                            "total": 0.0,
                        },
                    )
                    if grade.needs_manual_grade:
                        item["pending"] += 1
                        continue
                    item["graded"] += 1
                    item["total"] += float(grade.score)
                    item["full"] += float(grade.score) >= float(grade.max_score)
    for item in per_item.values():
        item["pass_rate"] = item["full"] / item["graded"] if item["graded"] else None
        item["mean_score"] = item["total"] / item["graded"] if item["graded"] else None
    data.items = sorted(per_item.values(), key=lambda i: i["item"])
    data.problems = _problems(course, assignment)
    return data


def _problems(course: Course, assignment: str) -> list[dict[str, str]]:
    problems = []
    graded = gradelog.read(course.log_path, assignment=assignment, kind="grade")
    for student, record in sorted(graded.items()):
        reasons = list(record.get("reasons", []))
        cell_reasons = [c.get("reason") or "" for c in record.get("cells", [])]
        timeouts = [r for r in [*reasons, *cell_reasons] if _is_timeout(r)]
        if record.get("status") == "failed":
            problems.append({"student": student, "kind": "failed", "reason": "; ".join(reasons)})
        elif record.get("status") == "error":
            problems.append(
                {"student": student, "kind": "not graded", "reason": "; ".join(reasons)}
            )
        elif timeouts:
            problems.append({"student": student, "kind": "time-out", "reason": timeouts[0]})
    skipped = gradelog.read(course.log_path, assignment=assignment, kind="collect")
    for origin, record in sorted(skipped.items()):
        problems.append({"student": origin, "kind": "not collected", "reason": record["reason"]})
    return problems


def _is_timeout(reason: str) -> bool:
    return any(word in reason.lower() for word in _TIMEOUT_WORDS)


def main(
    *,
    assignment: str,
    out: Path,
    course: Path = Path("course"),
    db: str | None = None,
    node_modules: Path | None = None,
) -> Path:
    """Write the cohort dashboard of ``assignment`` to ``out``.

    Raises:
        GraderError: unknown assignment, missing course directory, unreachable gradebook.
    """
    from grader import report_page

    target = Course.open(course, db=db)
    target.notebook_name(assignment)  # unknown assignment -> clear error
    data = gather(target, assignment)
    page = report_page.render(data, node_modules=node_modules)
    atomic_write_text(Path(out), page)
    return Path(out)
