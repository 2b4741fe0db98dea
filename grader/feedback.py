"""``feedback``: one self-contained HTML page per learner, without the hidden tests.

Each page shows the learner's answers, the score of every graded item (manual grades,
overrides and the trainer's comments included, from the gradebook), and what the visible
checks said, in the cohort's language (:func:`grader.labels.language`). The hidden tests are
cut out first (:mod:`grader.hidden`); all learner content goes through an allow-list
(:mod:`grader.feedback_page`, :mod:`grader.sanitise`); nothing is read from the trainer's file
system on the learner's behalf. Each page is rendered in a forked child under a time and
memory limit: when the rich rendering does not fit, the page is rendered again with the
learner's markdown as plain text; a page that still does not fit, or that would show a
hidden line, is withheld with a reason (logged, and in ``grading_log.jsonl``) while every
other learner gets theirs. Output goes where nbgrader's ``release_feedback`` expects it:
``feedback/<student>/<ID>/<notebook>.html`` plus ``timestamp.txt``.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from grader import feedback_page, gradelog, hidden, labels
from grader.course import Course, atomic_write_text
from grader.errors import GraderError
from grader.gradebook import open_gradebook
from grader.isolate import IsolationError, run_limited

log = logging.getLogger(__name__)

PAGE_SECONDS = 60.0
PAGE_MEMORY_MB = 1024


class FeedbackPages(list):
    """The pages written (a list of paths), plus the learners whose page was withheld."""

    def __init__(self) -> None:
        super().__init__()
        self.withheld: dict[str, str] = {}


@dataclass(frozen=True)
class PageLimits:
    """Wall clock and extra memory one page may use while it is rendered."""

    seconds: float = PAGE_SECONDS
    memory_mb: int = PAGE_MEMORY_MB


def main(
    *,
    assignment: str,
    course: Path = Path("course"),
    db: str | None = None,
    students: list[str] | None = None,
    node_modules: Path | None = None,
    lang: str | None = None,
    limits: PageLimits | None = None,
) -> FeedbackPages:
    """Write feedback pages for the graded submissions of ``assignment``.

    Returns:
        The pages written; ``.withheld`` maps a learner to why their page was not written.

    Raises:
        GraderError: unknown assignment, missing course directory, unreachable gradebook,
            or a ``--student`` who has no graded submission (nothing is written then).
    """
    target = Course.open(course, db=db)
    notebook = target.notebook_name(assignment)
    source = nbformat.read(target.source_dir(assignment) / f"{notebook}.ipynb", as_version=4)
    secrets = hidden.secret_lines(source)
    failures = gradelog.read(target.log_path, assignment=assignment, kind="grade")
    words = feedback_page.labels(labels.language(target.root, lang))
    limits = limits or PageLimits()
    out = FeedbackPages()
    with open_gradebook(target.db_url, target.course_id) as gb:
        chosen = students or target.students(assignment)
        if students:  # asked for by name: all must exist before anything is written
            _require_graded(target, gb, assignment, notebook, students)
        for student in chosen:
            graded = target.autograded_dir(student, assignment) / f"{notebook}.ipynb"
            if not graded.is_file():
                log.warning("no graded notebook for %s; run autograde first", student)
                continue
            try:
                scores = _scores(gb, assignment, notebook, student)
            except GraderError as error:  # graded notebook without a gradebook entry
                log.warning("%s; run autograde again", error)
                continue
            record = failures.get(student, {})
            title = words["title"].format(assignment=assignment, student=student)
            page_path = target.feedback_dir(student, assignment) / f"{notebook}.html"
            try:
                page = render_limited(
                    graded,
                    scores=scores,
                    title=title,
                    notes=record.get("reasons", []) if record.get("status") == "failed" else [],
                    secrets=secrets,
                    node_modules=node_modules,
                    language=words["lang"],
                    limits=limits,
                )
            except GraderError as error:
                _withhold(target, assignment, student, str(error), page_path, out)
                continue
            atomic_write_text(page_path, page)
            _copy_release_files(target, student, assignment)
            gradelog.append(
                target.log_path,
                {"kind": "feedback", "assignment": assignment, "student": student,
                 "status": "written", "reasons": []},
            )  # fmt: skip
            out.append(page_path)
    return out


def _require_graded(target, gb, assignment: str, notebook: str, students: list[str]) -> None:
    from nbgrader.api import MissingEntry

    missing = []
    for student in students:
        graded = target.autograded_dir(student, assignment) / f"{notebook}.ipynb"
        try:
            gb.find_submission_notebook(notebook, assignment, student)
        except MissingEntry:
            missing.append(student)
            continue
        if not graded.is_file():
            missing.append(student)
    if missing:
        raise GraderError(
            f"no graded submission of {assignment} for: {', '.join(sorted(missing))} "
            "(unknown learner, or autograde has not run for them)"
        )


def _copy_release_files(target: Course, student: str, assignment: str) -> None:
    out_dir = target.feedback_dir(student, assignment)
    submitted = target.submitted_dir(student, assignment)
    # nbgrader's release_feedback pairs each page with the submission's secret.
    for name in ("timestamp.txt", "submission_secret.txt"):
        if (submitted / name).is_file() and not (submitted / name).is_symlink():
            shutil.copy2(submitted / name, out_dir / name, follow_symlinks=False)


def _withhold(target, assignment: str, student: str, reason: str, page: Path, out) -> None:
    log.warning("feedback for %s withheld: %s", student, reason)
    out.withheld[student] = reason
    # an older page must not be released in place of the one withheld now
    page.unlink(missing_ok=True)
    gradelog.append(
        target.log_path,
        {"kind": "feedback", "assignment": assignment, "student": student,
         "status": "withheld", "reasons": [reason]},
    )  # fmt: skip


def _scores(gb: Any, assignment: str, notebook: str, student: str) -> dict[str, dict]:
    """grade id -> score, max score, pending flag, override and the trainer's comment."""
    from nbgrader.api import MissingEntry

    try:
        nb = gb.find_submission_notebook(notebook, assignment, student)
    except MissingEntry:
        raise GraderError(f"{student} has no graded submission of {assignment}") from None
    comments = {c.name: c.manual_comment or c.auto_comment for c in nb.comments}
    return {
        g.name: {
            "score": g.score,
            "max": g.max_score,
            "pending": g.needs_manual_grade,
            "comment": comments.get(g.name),
            # a trainer's score on an autograded cell replaces the automatic one
            "auto": g.auto_score if g.manual_score is not None else None,
        }
        for g in nb.grades
    }


def render(
    graded: nbformat.NotebookNode,
    *,
    scores: dict[str, dict],
    title: str,
    notes: list[str],
    secrets: list[str],
    node_modules: Path | None = None,
    language: str = "en",
    plain: bool = False,
) -> str:
    """HTML feedback for one graded notebook (hidden tests removed, checked for leaks).

    Raises:
        GraderError: the page would show a hidden test line (nothing is returned then).
    """
    words = feedback_page.labels(language)
    nb = hidden.redact_notebook(graded, secrets, hidden_failed=words["hidden_failed"])
    safe_notes = [n for n in notes if not hidden.leaks(str(n), secrets)]
    if plain:
        safe_notes.append(words["plain_note"])
    items = []
    for cell in nb.cells:
        items.append(feedback_page.cell_item(cell, plain=plain, words=words))
        meta = cell.metadata.get("nbgrader", {})
        grade_id = meta.get("grade_id")
        if meta.get("grade") and grade_id in scores:
            info = scores[grade_id]
            box = feedback_page.score_html(grade_id, info, words)
            missed = not info["pending"] and (info["score"] or 0) < info["max"]
            items.append(
                {"kind": "score", "pending": info["pending"], "missed": missed, "html": box}
            )
    header = feedback_page.header_html(title, scores, safe_notes, words)
    body = "\n".join([header, *(_item_text(i) for i in items)])
    leaked = hidden.leaks(nbformat.writes(nb), secrets) + hidden.leaks(body, secrets)
    if leaked:
        raise GraderError("the page would show hidden test code")
    page = feedback_page.render_page(
        title=title,
        header=header,
        items=[{**i, "html": feedback_page.Markup(i.get("html", ""))} for i in items],
        language=words["lang"],
        mathjax="" if plain else feedback_page.mathjax(nb, node_modules),
    )
    return page


def _item_text(item: dict) -> str:
    return "\n".join(str(item.get(k, "")) for k in ("html", "code") if item.get(k)) + "\n".join(
        str(o) for o in item.get("outputs", [])
    )


def render_limited(graded_path: Path, *, limits: PageLimits, **kwargs: Any) -> str:
    """:func:`render` of the notebook at ``graded_path`` in a child under ``limits``.

    The notebook is read in the child too: a file nested deeply enough to break the reader
    costs that child, not the run. Rich rendering first; if it runs out of time or memory,
    plain rendering; if that fails as well, a :class:`GraderError` with the reason.
    """
    last = ""
    for plain in (False, True):
        try:
            return run_limited(
                _render_file,
                str(graded_path),
                dict(kwargs, plain=plain),
                seconds=limits.seconds,
                memory_mb=limits.memory_mb,
            )
        except IsolationError as error:
            last = str(error)
            if error.kind == "raised":
                break
    raise GraderError(f"feedback could not be rendered ({last})")


def _render_file(path: str, kwargs: dict) -> str:
    return render(nbformat.read(path, as_version=4), **kwargs)
