"""``feedback``: one self-contained HTML page per learner, without the hidden tests.

Each page shows the learner's answers, the score of every graded item (manual grades and
the trainer's comments included, from the gradebook), and what the visible checks said.
The hidden tests are cut out first (:mod:`grader.hidden`) and the page is checked for any
hidden line before it is written. The page loads nothing from the network: no require.js,
no widget manager, and MathJax inlined from ``node_modules/mathjax`` only when needed.
Output goes where nbgrader's ``release_feedback`` expects it:
``feedback/<student>/<ID>/<notebook>.html`` plus ``timestamp.txt``.
"""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path
from typing import Any

import nbformat

from grader import gradelog, hidden
from grader.course import Course, atomic_write_text, repo_root
from grader.errors import GraderError
from grader.gradebook import open_gradebook

log = logging.getLogger(__name__)

_MATH = re.compile(r"\$\$|\$[^$\n]+\$|\\\(|\\\[")
_TEMPLATES = Path(__file__).parent / "templates"
_HTML_TAGS = [
    *[
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "code",
        "div",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "li",
        "ol",
        "p",
        "pre",
        "span",
    ],
    *["strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul"],
]
_HTML_ATTRIBUTES = {
    "*": ["class", "title"],
    "a": ["href"],
    "td": ["colspan", "rowspan"],
    "th": ["colspan", "rowspan"],
    "table": ["border"],
}
_EMBEDDED = re.compile(r"<(style|script)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


def _drop_embedded_blocks(nb: nbformat.NotebookNode) -> None:
    """Remove <style>/<script> blocks with their content from HTML outputs."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/html" in data:
                html = data["text/html"]
                text = "".join(html) if isinstance(html, list) else html
                data["text/html"] = _EMBEDDED.sub("", text)


def main(
    *,
    assignment: str,
    course: Path = Path("course"),
    db: str | None = None,
    students: list[str] | None = None,
    node_modules: Path | None = None,
) -> list[Path]:
    """Write feedback pages for the graded submissions of ``assignment``.

    Returns:
        The pages written.

    Raises:
        GraderError: unknown assignment, missing course directory, unreachable gradebook,
            or a page that would reveal hidden test code (then nothing is written for it).
    """
    target = Course.open(course, db=db)
    notebook = target.notebook_name(assignment)
    source = nbformat.read(target.source_dir(assignment) / f"{notebook}.ipynb", as_version=4)
    secrets = hidden.secret_lines(source)
    failures = gradelog.read(target.log_path, assignment=assignment, kind="grade")
    written = []
    with open_gradebook(target.db_url, target.course_id) as gb:
        for student in students or target.students(assignment):
            graded = target.autograded_dir(student, assignment) / f"{notebook}.ipynb"
            if not graded.is_file():
                log.warning("no graded notebook for %s; run autograde first", student)
                continue
            scores = _scores(gb, assignment, notebook, student)
            record = failures.get(student, {})
            page = render(
                nbformat.read(graded, as_version=4),
                scores=scores,
                title=f"{assignment}: feedback for {student}",
                notes=record.get("reasons", []) if record.get("status") == "failed" else [],
                secrets=secrets,
                node_modules=node_modules,
            )
            out_dir = target.feedback_dir(student, assignment)
            atomic_write_text(out_dir / f"{notebook}.html", page)
            submitted = target.submitted_dir(student, assignment)
            # nbgrader's release_feedback pairs each page with the submission's secret.
            for name in ("timestamp.txt", "submission_secret.txt"):
                if (submitted / name).is_file():
                    shutil.copy2(submitted / name, out_dir / name)
            written.append(out_dir / f"{notebook}.html")
    return written


def _scores(gb: Any, assignment: str, notebook: str, student: str) -> dict[str, dict]:
    """grade id -> score, max score, pending flag and the trainer's comment."""
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
        }
        for g in nb.grades
    }


def _score_cell(grade_id: str, info: dict) -> nbformat.NotebookNode:
    if info["pending"]:
        text = f"**{grade_id}**: waiting for your trainer's grade (out of {info['max']:g})"
    else:
        text = f"**{grade_id}**: {info['score']:g} / {info['max']:g} points"
    if info.get("comment"):
        text += f"\n\n> {info['comment']}"
    return nbformat.v4.new_markdown_cell(text, metadata={"tags": ["grader-score"]})


def _annotate(nb: nbformat.NotebookNode, scores: dict, title: str, notes: list[str]) -> None:
    done = [s for s in scores.values() if not s["pending"]]
    total = sum(s["score"] for s in done)
    header = [
        f"# {title}",
        "",
        f"Score so far: **{total:g} / {sum(s['max'] for s in scores.values()):g}**",
    ]
    if any(s["pending"] for s in scores.values()):
        header.append("(written answers still to be graded by your trainer)")
    header += [f"\n> {note}" for note in notes]
    cells = [nbformat.v4.new_markdown_cell("\n".join(header))]
    for cell in nb.cells:
        cells.append(cell)
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.metadata.get("nbgrader", {}).get("grade") and grade_id in scores:
            cells.append(_score_cell(grade_id, scores[grade_id]))
    nb.cells = cells


def _mathjax(nb: nbformat.NotebookNode, node_modules: Path | None) -> str:
    """Inline MathJax when the notebook has math; '' otherwise."""
    if not any(c.cell_type == "markdown" and _MATH.search(c.source) for c in nb.cells):
        return ""
    script = (node_modules or repo_root() / "node_modules") / "mathjax" / "es5" / "tex-svg.js"
    if not script.is_file():
        log.warning("%s not found: formulas stay as TeX source (run `npm ci`)", script)
        return ""
    config = (
        # autoload/require would fetch missing TeX extensions from MathJax's default CDN path.
        "window.MathJax={tex:{inlineMath:[['$','$'],['\\\\(','\\\\)']],"
        "packages:{'[-]':['autoload','require']}},"
        "svg:{fontCache:'global'},startup:{typeset:true}};"
    )
    code = script.read_text(encoding="utf-8").replace("</script", "<\\/script")
    return f"<script>{config}</script>\n<script>{code}</script>"


def render(
    graded: nbformat.NotebookNode,
    *,
    scores: dict[str, dict],
    title: str,
    notes: list[str],
    secrets: list[str],
    node_modules: Path | None = None,
) -> str:
    """HTML feedback for one graded notebook (hidden tests removed, checked for leaks)."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors.sanitize import SanitizeHTML

    nb = hidden.redact_notebook(graded, secrets)
    safe_notes = [n for n in notes if not hidden.leaks(n, secrets)]
    _annotate(nb, scores, title, safe_notes)
    _drop_embedded_blocks(nb)
    # Learners' markdown and outputs may carry <script> or remote content: keep only plain
    # formatting and tables (pandas renders DataFrames as HTML tables).
    nb, _ = SanitizeHTML(tags=_HTML_TAGS, attributes=_HTML_ATTRIBUTES, strip=True).preprocess(
        nb, {}
    )
    leaked = hidden.leaks(nbformat.writes(nb), secrets)
    exporter = HTMLExporter(
        template_name="lab",
        extra_template_paths=[str(_TEMPLATES)],
        template_file="feedback.html.j2",
        embed_images=True,
    )
    page, _ = exporter.from_notebook_node(
        nb, resources={"grader_mathjax": _mathjax(nb, node_modules), "metadata": {"name": title}}
    )
    leaked += hidden.leaks(page, secrets)
    if leaked:
        raise GraderError(f"feedback for '{title}' would show hidden test code; not written")
    return page
