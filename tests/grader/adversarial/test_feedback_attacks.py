"""Attacks on the feedback step (issue 15, classes 1, 2 and 6): SYNTHETIC hostile notebooks.

Class 1: a learner's markdown or output names a trainer file (relative, absolute, file:,
through <img> or markdown) -- nothing outside the notebook reaches the page, and the hidden-test
guard also reads base64. Class 2: script through links and sources never survives rendering.
Class 6: pathological markdown is rendered under a time limit (plain fallback), a page that
trips the guard is withheld, and every other learner still gets a page.
"""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path

import nbformat
import pytest

from grader import feedback, hidden
from grader.feedback import PageLimits
from grader.sanitise import clean_html, markdown_html

CANARY = "TRAINER-ONLY-CANARY-7f3a"
PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 16).decode()
SCORES = {"q1_mean_score": {"score": 2.0, "max": 2.0, "pending": False, "comment": None}}


def _graded(mini_exercise) -> nbformat.NotebookNode:
    return mini_exercise.source()


def _render(nb, mini_exercise, **kwargs) -> str:
    secrets = hidden.secret_lines(mini_exercise.source())
    return feedback.render(nb, scores=SCORES, title="t", notes=[], secrets=secrets, **kwargs)


def _md(source: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_markdown_cell(source)
    cell.pop("id")  # the fixture notebook is nbformat 4.4 (no cell ids)
    return cell


def _output_cell(data: dict) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell("show()")
    cell.pop("id")
    cell.outputs = [nbformat.v4.new_output("display_data", data=data)]
    return cell


# -- class 1: trainer files never enter a page ---------------------------------------------------
@pytest.fixture
def trainer_files(tmp_path, monkeypatch) -> Path:
    """A working directory full of trainer files holding the canary (SYNTHETIC)."""
    for name in ("gradebook.db", "solution.png", "rubric.md", "source/ex_mini/ex_mini.ipynb"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{CANARY} {name}\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_c1_paths_in_markdown_and_outputs_are_never_read(mini_exercise, trainer_files):
    nb = _graded(mini_exercise)
    absolute = trainer_files / "gradebook.db"
    refs = ["gradebook.db", "solution.png", "./rubric.md", "source/ex_mini/ex_mini.ipynb"]
    refs += [str(absolute), f"file://{absolute}", "../" + trainer_files.name + "/rubric.md"]
    markdown = "\n\n".join(f"![x]({r}) <img src='{r}'>" for r in refs)
    nb.cells.append(_md(markdown))
    nb.cells.append(_output_cell({"text/html": f"<img src='{refs[0]}'>", "text/plain": "x"}))
    nb.cells.append(_output_cell({"text/markdown": f"![m]({refs[1]})", "text/plain": "x"}))
    page = _render(nb, mini_exercise)
    encoded = base64.b64encode(f"{CANARY} gradebook.db".encode()).decode()[:20]
    assert CANARY not in page and encoded not in page
    # every image source left is data inside the page (the paths were dropped, alt kept)
    assert all(src.startswith("data:image/") for src in re.findall(r'src="([^"]*)"', page))
    assert 'alt="x"' in page


def test_c1_attachments_come_only_from_the_notebook(mini_exercise, trainer_files):
    nb = _graded(mini_exercise)
    cell = _md("![own](attachment:plot.png) ![trick](attachment:../gradebook.db)")
    cell["attachments"] = {"plot.png": {"image/png": PNG}}
    nb.cells.append(cell)
    page = _render(nb, mini_exercise)
    assert f'src="data:image/png;base64,{PNG}"' in page
    assert CANARY not in page and page.count("data:image/png") == 1


def test_c1_guard_reads_base64_data_uris(mini_exercise):
    secret = hidden.secret_lines(mini_exercise.source())[0]
    blob = base64.b64encode(f"<svg>{secret}</svg>".encode()).decode()
    assert hidden.leaks(f'<img src="data:image/svg+xml;base64,{blob}">', [secret]) == [secret]
    urlsafe = base64.urlsafe_b64encode(secret.encode()).decode()
    assert hidden.leaks(f"x {urlsafe} y", [secret]) == [secret]
    assert hidden.leaks(html.escape(secret).replace("a", "&#97;"), [secret]) == [secret]
    nb = _graded(mini_exercise)
    nb.cells.append(_output_cell({"image/svg+xml": f"<svg><text>{secret}</text></svg>"}))
    with pytest.raises(feedback.GraderError, match="hidden test"):
        _render(nb, mini_exercise)


# -- class 2: no script through links ------------------------------------------------------------
PAYLOADS = [
    "[a](javascript:alert(1))",
    "[a](JaVaScRiPt:alert(1))",
    "[a](jav&#x61;script:alert(1))",
    "[a](java\tscript:alert(1))",
    "<a href='java\nscript:alert(1)'>n</a>",
    "<a href='&#106;&#97;vascript:alert(1)'>e</a>",
    "<a href=' &#x09;javascript:alert(1)'>t</a>",
    "[v](vbscript:msgbox(1))",
    "<a href='VBScript:msgbox(1)'>v</a>",
    "[d](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<a href='data:text/html,<script>alert(1)</script>'>d</a>",
    "![i](javascript:alert(1))",
    "<img src='data:text/html;base64,PHNjcmlwdD4='>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)></svg>",
    "<iframe src='javascript:alert(1)'></iframe>",
    "<script>alert(1)</script>",
    "<object data='javascript:alert(1)'></object>",
    '<a href="javascript&colon;alert(1)">c</a>',
    "<form action='javascript:alert(1)'><button>b</button></form>",
    "<div style=\"background:url('javascript:alert(1)')\">s</div>",
    "[ref]\n\n[ref]: javascript:alert(1)",
]


def _scriptable(page: str) -> list[str]:
    """Whatever could run script, looking through entities, case and whitespace."""
    text = re.sub(r"\s+", "", html.unescape(html.unescape(page))).lower()
    found = [w for w in ("javascript:", "vbscript:", "data:text/html") if w in text]
    found += re.findall(r"<(?:script|iframe|object|embed|svg|form)\b", page, re.I)
    found += re.findall(r"\son\w+\s*=", page, re.I)
    found += re.findall(r"\sstyle\s*=", page, re.I)
    return found


@pytest.mark.parametrize("payload", PAYLOADS)
def test_c2_no_script_from_markdown_or_outputs(mini_exercise, payload):
    nb = _graded(mini_exercise)
    nb.cells.append(_md(payload))
    nb.cells.append(_output_cell({"text/markdown": payload, "text/plain": "m"}))
    nb.cells.append(_output_cell({"text/html": payload, "text/plain": "h"}))
    page = _render(nb, mini_exercise)
    assert _scriptable(page) == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_c2_the_reusable_sanitiser_is_safe_alone(payload):
    assert _scriptable(markdown_html(payload)) == []
    assert _scriptable(clean_html(payload)) == []


def test_c2_safe_links_and_formatting_survive():
    out = markdown_html("**b** [site](https://example.org) [top](#q1)\n\n| a |\n|---|\n| 1 |")
    assert "<strong>b</strong>" in out and 'href="https://example.org"' in out
    assert 'href="#q1"' in out and "<table>" in out


# -- class 6: feedback for all, whatever one learner wrote ---------------------------------------
SLOW_MARKDOWN = "*a " * 50000  # minutes of CPU in a CommonMark emphasis parser


def test_c6_pathological_markdown_falls_back_to_plain_text_in_time(mini_exercise, tmp_path):
    nb = _graded(mini_exercise)
    nb.cells.append(_md(SLOW_MARKDOWN))
    nb.cells.append(_output_cell({"text/html": "<b>" * 40000, "text/plain": "deep"}))
    path = tmp_path / "graded.ipynb"
    path.write_text(nbformat.writes(nb))
    secrets = hidden.secret_lines(mini_exercise.source())
    page = feedback.render_limited(
        path,
        limits=PageLimits(seconds=3, memory_mb=512),
        scores=SCORES,
        title="t",
        notes=[],
        secrets=secrets,
    )
    assert "shown as plain text" in page
    assert "*a *a *a" in page  # the learner still sees what they wrote


def test_c6_deeply_nested_graded_notebook_is_withheld_not_fatal(mini_exercise, tmp_path):
    path = tmp_path / "graded.ipynb"
    path.write_text('{"cells": ' + "[" * 200000 + "]" * 200000 + "}")
    with pytest.raises(feedback.GraderError, match="could not be rendered"):
        feedback.render_limited(
            path, limits=PageLimits(seconds=10), scores={}, title="t", notes=[], secrets=[]
        )


def _append_cells(course: Path, exercise, student: str, cells: list) -> None:
    path = course / "autograded" / student / exercise.id / f"{exercise.id}.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.extend(cells)
    path.write_text(nbformat.writes(nb))


def test_c6_one_bad_page_never_stops_the_others(graded_course, exercise, cohort, caplog):
    course = graded_course
    secret = hidden.secret_lines(exercise.source())[0]
    leaky = base64.b64encode(secret.encode()).decode()
    students = sorted(cohort)
    _append_cells(course, exercise, students[0], [_md(SLOW_MARKDOWN)])
    _append_cells(course, exercise, students[1], [_md(f"![x](data:image/png;base64,{leaky})")])
    stale = course / "feedback" / students[1] / exercise.id / f"{exercise.id}.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("an old page")
    pages = feedback.main(
        assignment=exercise.id, course=course, limits=PageLimits(seconds=8, memory_mb=768)
    )
    written = sorted(p.parts[-3] for p in pages)
    assert written == [students[0], students[2]]
    assert list(pages.withheld) == [students[1]]
    assert "hidden test" in pages.withheld[students[1]]
    assert not stale.exists(), "an older page must not be released instead"
    assert "withheld" in caplog.text
    log = (course / "grading_log.jsonl").read_text()
    assert '"kind": "feedback"' in log and '"status": "withheld"' in log
    first = (course / "feedback" / students[0] / exercise.id / f"{exercise.id}.html").read_text()
    assert "shown as plain text" in first
