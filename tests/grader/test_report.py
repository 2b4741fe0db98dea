"""``report`` on a gradebook built from the hand-computed cohort of test_items.py.

The gradebook is written through nbgrader's own API (no grading run needed), so
``report --format json`` can be checked against the values derived by hand there.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import shutil

import pytest

from grader import cli, report
from tests.grader.test_items import POINTS, ROWS

ID = "ex_items"
STAMP = "2025-03-01 10:00:00.000000 UTC"


@pytest.fixture(scope="module")
def _template_db(tmp_path_factory):
    """The assignment and its graded cells in a fresh gradebook (creating one runs
    nbgrader's migrations, which is slow: once per module, copied per test)."""
    from grader.gradebook import open_gradebook

    db = tmp_path_factory.mktemp("gradebook") / "gradebook.db"
    with open_gradebook(f"sqlite:///{db}") as gb:
        gb.add_assignment(ID)
        gb.add_notebook(ID, ID)
        for item, points in POINTS.items():
            kind = "markdown" if item == "C" else "code"
            gb.add_grade_cell(item, ID, ID, max_score=points, cell_type=kind)
    return db


@pytest.fixture
def make_course(tmp_path, _template_db):
    def make(rows=ROWS, log=()):
        from grader.gradebook import open_gradebook

        course = tmp_path / "course"
        (course / "source" / ID).mkdir(parents=True)
        (course / "source" / ID / f"{ID}.ipynb").write_text("{}")
        shutil.copy(_template_db, course / "gradebook.db")
        with open_gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
            for student, scores in rows.items():
                gb.add_student(student)
                gb.add_submission(ID, student, timestamp=STAMP)
                for item, score in zip("ABCD", scores, strict=True):
                    grade = gb.find_grade(item, ID, ID, student)
                    grade.auto_score = float(score)
                    grade.needs_manual_grade = False
            gb.db.commit()
        with (course / "grading_log.jsonl").open("w") as fh:
            for record in log:
                fh.write(json.dumps({"kind": "grade", "assignment": ID, **record}) + "\n")
        return course

    return make


def _cells(student):
    reasons = {"s3": "gave a fraction, not per cent", "s4": "gave a fraction, not per cent"}
    reasons |= {"s5": "gave a fraction, not per cent", "s6": "no answer"}
    return [{"grade_id": "C", "score": 0, "max_score": 2, "reason": reasons.get(student)}]


LOG = [{"student": s, "status": "graded", "reasons": [], "cells": _cells(s)} for s in ROWS] + [
    {
        "student": "s6",
        "status": "graded",
        "reasons": [
            "cell 4: kernel stopped (exit status 1)",
            "execution stopped: kernel stopped (exit status 1); what did not run scores 0",
        ],
        "cells": _cells("s6"),
    }
]


def test_json_agrees_with_the_hand_computed_values(make_course, tmp_path, capsys):
    course = make_course(log=LOG)
    assert cli.run(["report", ID, "--course", str(course), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    analysis = data["item_analysis"]
    got = {i["item"]: i for i in analysis["items"]}
    assert analysis["method"] == "Cronbach's alpha" and analysis["n"] == 6
    assert analysis["reliability"] == pytest.approx(4 / 15)
    assert analysis["sem"] == pytest.approx(math.sqrt(22 / 15))
    assert analysis["unstable"] is True
    assert got["A"]["r_corrected"] == pytest.approx(5 / 8)
    assert got["D"]["r_corrected"] == pytest.approx(-7 / math.sqrt(160))
    assert [got[i]["facility"] for i in "ABCD"] == pytest.approx([2 / 3, 2 / 3, 1 / 2, 2 / 3])
    assert [got[i]["d_index"] for i in "ABCD"] == pytest.approx([1, 0.5, 1, -0.5])
    assert got["D"]["if_deleted"] == pytest.approx(3 / 4)
    assert got["C"]["flags"] == ["one_reason"] and got["C"]["common_failure_count"] == 3
    assert analysis["thresholds"]["too_easy_facility_above"] == 0.9
    # the crashed submission is listed, and counted
    assert {"student": "s6", "kind": "crashed"}.items() <= data["problems"][0].items()
    assert data["summary"]["crashed"] == 1


def test_csv_same_statistics_and_formula_safe(make_course, tmp_path):
    rows = {**ROWS, "=HYPERLINK(1)": (0, 0, 0, 0)}
    course = make_course(rows=rows)
    out = report.main(assignment=ID, course=course, format="csv", out=tmp_path / "items.csv")
    table = list(csv.DictReader(io.StringIO(out.read_text())))
    assert [r["item"] for r in table] == list("ABCD")
    assert {r["reliability_method"] for r in table} == {"Cronbach's alpha"}
    assert float(table[0]["facility"]) == pytest.approx(4 / 7)  # seven submissions now
    assert report.csv_cell("=1+1") == "'=1+1"


def test_html_page(make_course, tmp_path):
    course = make_course(log=LOG)
    page = report.main(assignment=ID, course=course, out=tmp_path / "r.html").read_text()
    assert "<td>crashed (kernel stopped)</td><td>1</td>" in page
    assert "kernel stopped (exit status 1)" in page
    assert "<thead><tr><th></th>" not in page and "<th></th>" not in page  # no blank header
    assert "<td>yes</td>" in page or "<td>no</td>" in page
    assert "True" not in page.split("<body>")[1].split("<script")[0]  # booleans in words
    assert 'id="unstable"' in page and "Only 6 submissions" in page
    assert "too easy when facility &gt; 0.9" in page
    spec = json.loads(
        re.search(r'id="spec-scores">(.*?)</script>', page).group(1)
    )  # whole-number counts, and the installed vega-lite's schema (no version warning)
    assert spec["encoding"]["y"]["axis"] == {"format": "d", "tickMinStep": 1}
    assert spec["$schema"].endswith("/v6.4.1.json")
    items = json.loads(re.search(r'id="spec-items">(.*?)</script>', page).group(1))
    assert [layer["mark"]["type"] for layer in items["layer"]] == ["bar", "text"]  # 0 % shows
    assert "vegaEmbed('#chart-analysis'" in page


def test_russian_labels(make_course, tmp_path, monkeypatch):
    course = make_course()
    monkeypatch.setenv("COURSE_LANG", "ru")
    page = report.main(assignment=ID, course=course, out=tmp_path / "r.html").read_text()
    assert '<html lang="ru">' in page and "Анализ заданий" in page
    assert "0,67" in page  # decimal comma


def test_learner_text_is_escaped(make_course, tmp_path):
    hostile = '<img src=x onerror="alert(1)">'
    log = [{"student": "s1", "status": "failed", "reasons": [hostile], "cells": []}]
    course = make_course(log=log)
    page = report.main(assignment=ID, course=course, out=tmp_path / "r.html").read_text()
    assert hostile not in page and "&lt;img src=x" in page


def test_empty_cohort_says_so(make_course, tmp_path, capsys):
    course = make_course(rows={})
    out = tmp_path / "r.html"
    assert cli.run(["report", ID, "--course", str(course), "--out", str(out)]) == 0
    page = out.read_text()
    assert "No graded submissions yet" in page
    assert "vegaEmbed" not in page and "<svg" not in page
    assert capsys.readouterr().err == ""  # no warnings


@pytest.mark.parametrize("where", ["dir", "missing_parent", "unwritable"])
def test_bad_out_is_one_error_line(make_course, tmp_path, capsys, where):
    course = make_course()
    out = {
        "dir": tmp_path,
        "missing_parent": tmp_path / "nope" / "r.html",
        "unwritable": "/proc/self/report.html",  # read-only even for root
    }[where]
    assert cli.run(["report", ID, "--course", str(course), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error:")
    assert not list(tmp_path.glob(".*.tmp"))


def test_phone_width_no_sideways_scroll_no_console_warnings(make_course, tmp_path):
    """At 390 px the page does not scroll sideways; the charts draw with no console
    warning (vega version, autosize) and no request leaves the file."""
    pytest.importorskip("playwright")
    from playwright.sync_api import sync_playwright

    from tests.site.sitetools import CHROMIUM, launch

    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} missing (make system-deps)")
    course = make_course(log=LOG)
    page_file = report.main(assignment=ID, course=course, out=tmp_path / "r.html")
    messages, requests = [], []
    with sync_playwright() as pw:
        browser = launch(pw)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 800})
            page.on("console", lambda m: messages.append(f"{m.type}: {m.text}"))
            page.on("pageerror", lambda e: messages.append(f"error: {e}"))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(page_file.as_uri())
            page.wait_for_function("document.querySelectorAll('.chart svg').length === 3")
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
        finally:
            browser.close()
    assert messages == []
    assert [u for u in requests if not u.startswith("file:")] == []


def test_language_from_the_course_config(make_course, tmp_path, monkeypatch):
    monkeypatch.delenv("COURSE_LANG", raising=False)
    course = make_course()
    (course / "nbgrader_config.py").write_text("c = get_config()  # noqa\nc.Course.lang = 'ru'\n")
    page = report.main(assignment=ID, course=course, out=tmp_path / "r.html").read_text()
    assert '<html lang="ru">' in page
    english = report.main(assignment=ID, course=course, out=tmp_path / "e.html", lang="en")
    assert '<html lang="en">' in english.read_text()
