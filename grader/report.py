"""``report``: a cohort dashboard for the trainer, as one offline HTML page (or JSON/CSV).

Reads the gradebook (scores per submission and per graded item) and the grading log
(failures, crashes, time-outs, files skipped at collection) and writes score
distribution, pass rate per graded item, item analysis (:mod:`grader.items`) and the list
of problems. The page is built by :mod:`grader.report_page`; its Altair charts need the
vega libraries from the repository's ``node_modules/`` (inlined, never fetched). Without
them the page still has every number, as tables, and says how to get the charts.
``--format json|csv`` writes the item analysis as data instead.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader import gradelog, items
from grader.course import Course, atomic_write_text
from grader.errors import GraderError
from grader.gradebook import open_gradebook
from grader.labels import language
from grader.textsafe import csv_cell

log = logging.getLogger(__name__)

_TIMEOUT_WORDS = ("timeout", "timed out", "time limit", "exceeded")
# what grader.sandbox writes when the learner's kernel ends (os._exit, a segfault, OOM)
_CRASH_WORDS = ("kernel stopped", "kernel died", "kernel killed", "kernel could not start")
FORMATS = ("html", "json", "csv")


@dataclass
class CohortData:
    """Everything the report shows, as plain rows."""

    assignment: str
    max_score: float
    submissions: list[dict[str, Any]] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)
    problems: list[dict[str, str]] = field(default_factory=list)
    scores: dict[str, dict[str, float | None]] = field(default_factory=dict)
    analysis: items.AssignmentStats = field(
        default_factory=lambda: items.AssignmentStats(0, None, None, None, True)
    )

    def summary(self) -> list[dict[str, Any]]:
        """The summary rows: label key and value."""
        scores = [s["score"] for s in self.submissions]
        count = {kind: sum(p["kind"] == kind for p in self.problems) for kind in _KINDS}
        rows = [
            ("graded submissions", len(scores)),
            ("maximum score", self.max_score),
            ("mean score", statistics.fmean(scores) if scores else None),
            ("median score", float(statistics.median(scores)) if scores else None),
            ("awaiting manual grading", sum(s["pending"] for s in self.submissions)),
            ("failed to grade", count["failed"] + count["not graded"]),
            ("crashed", count["crashed"]),
            ("with time-outs", count["time-out"]),
            ("files not collected", count["not collected"]),
        ]
        return [{"key": k, "value": v} for k, v in rows]


_KINDS = ("failed", "not graded", "crashed", "time-out", "not collected")


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
        points: dict[str, float] = {}
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
            row = data.scores.setdefault(sub.student.id, {})
            for nb in sub.notebooks:
                for grade in nb.grades:
                    points[grade.name] = float(grade.max_score)
                    row[grade.name] = None if grade.needs_manual_grade else float(grade.score)
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
    kinds = {i["item"]: i["kind"] for i in data.items}
    data.analysis = items.analyse(data.scores, points, kinds, _failures(course, assignment, data))
    return data


def _failures(course: Course, assignment: str, data: CohortData) -> dict[str, list[str]]:
    """Per item, the logged reason of every submission that scored below full points."""
    out: dict[str, list[str]] = {}
    graded = gradelog.read(course.log_path, assignment=assignment, kind="grade")
    for student, record in graded.items():
        row = data.scores.get(student, {})
        for cell in record.get("cells", []):
            gid, reason = cell.get("grade_id"), cell.get("reason")
            score, top = row.get(gid), cell.get("max_score")
            if reason and score is not None and top is not None and score < float(top):
                out.setdefault(gid, []).append(str(reason)[:300])
    return out


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
        elif crashes := [r for r in reasons if _is_crash(r)]:
            problems.append({"student": student, "kind": "crashed", "reason": crashes[-1]})
    skipped = gradelog.read(course.log_path, assignment=assignment, kind="collect")
    for origin, record in sorted(skipped.items()):
        problems.append({"student": origin, "kind": "not collected", "reason": record["reason"]})
    return problems


def _is_timeout(reason: str) -> bool:
    return any(word in reason.lower() for word in _TIMEOUT_WORDS)


def _is_crash(reason: str) -> bool:
    return any(word in reason.lower() for word in _CRASH_WORDS)


def as_json(data: CohortData) -> str:
    """Summary, items, item analysis (with its thresholds) and problems as JSON."""
    return json.dumps(
        {
            "assignment": data.assignment,
            "summary": {row["key"]: row["value"] for row in data.summary()},
            "items": data.items,
            "item_analysis": data.analysis.as_dict(),
            "problems": data.problems,
        },
        ensure_ascii=False,
        indent=2,
    )


CSV_COLUMNS = [
    "assignment",
    "item",
    "kind",
    "points",
    "n",
    "facility",
    "share_zero",
    "share_full",
    "dichotomous",
    "r_corrected",
    "d_index",
    "if_deleted",
    "flags",
    "common_failure",
    "common_failure_count",
    "reliability_method",
    "reliability",
    "sem",
    "unstable",
]


def as_csv(data: CohortData) -> str:
    """One row per analysed item; the assignment's reliability repeated on every row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    a = data.analysis
    for item in a.items:
        row = {
            **vars(item),
            "assignment": data.assignment,
            "flags": ";".join(item.flags),
            "reliability_method": a.method,
            "reliability": a.reliability,
            "sem": a.sem,
            "unstable": a.unstable,
        }
        writer.writerow([csv_cell("" if row[c] is None else row[c]) for c in CSV_COLUMNS])
    return out.getvalue()


def main(
    *,
    assignment: str,
    out: Path | None = None,
    format: str = "html",  # noqa: A002 - the CLI flag's name
    lang: str | None = None,
    course: Path = Path("course"),
    db: str | None = None,
    node_modules: Path | None = None,
) -> Path | None:
    """Write the cohort report of ``assignment`` to ``out`` (JSON/CSV: stdout without it).

    Raises:
        GraderError: unknown assignment or format, missing course directory, unreachable
            gradebook, an ``out`` that is a directory or cannot be written.
    """
    from grader import report_page

    if format not in FORMATS:
        raise GraderError(f"unknown format {format!r}: use one of {', '.join(FORMATS)}")
    if out is None and format == "html":
        raise GraderError("--out FILE.html is needed for the HTML report")
    if out is not None:
        _check_out(Path(out))
    target = Course.open(course, db=db)
    target.notebook_name(assignment)  # unknown assignment -> clear error
    lang = language(target.root, lang)
    data = gather(target, assignment)
    if format == "json":
        text = as_json(data) + "\n"
    elif format == "csv":
        text = as_csv(data)
    else:
        text = report_page.render(data, node_modules=node_modules, lang=lang)
    if out is None:
        sys.stdout.write(text)
        return None
    try:
        atomic_write_text(Path(out), text)
    except OSError as exc:
        raise GraderError(f"cannot write {out}: {exc.strerror or exc}") from None
    return Path(out)


def _check_out(out: Path) -> None:
    """Refuse an output path that cannot become a file, before any work is done."""
    if out.is_dir():
        raise GraderError(f"--out {out} is a directory; give a file name")
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise GraderError(f"--out {out}: folder {parent} does not exist")
