"""export (csv, moodle) and report (offline charts or tables) on a graded cohort."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from grader import export, report
from grader.errors import GraderError
from testkit.cohort import COHORT


def _max_code(exercise):
    return sum(p for p, kind in exercise.points().values() if kind == "code")


def test_csv_and_moodle_exports(graded_course, exercise, tmp_path):
    out = export.main(format="csv", out=tmp_path / "grades.csv", course=graded_course).out
    rows = {r["student_id"]: r for r in csv.DictReader(out.open())}
    assert sorted(rows) == sorted(COHORT)
    assert float(rows["anna_right"]["score"]) == _max_code(exercise)
    assert float(rows["vera_blank"]["score"]) == 0
    assert rows["anna_right"]["needs_manual_grade"] == "true"
    assert float(rows["anna_right"]["max_score"]) == sum(p for p, _ in exercise.points().values())

    roster = tmp_path / "roster.csv"
    roster.write_text("student_id,email\n" + "".join(f"{s},{s}@example.org\n" for s in COHORT))
    moodle = export.main(
        format="moodle",
        out=tmp_path / "moodle.csv",
        course=graded_course,
        roster=roster,
        include_partial=True,
    ).out
    table = list(csv.reader(io.StringIO(moodle.read_text())))
    assert table[0] == ["Email address", exercise.id]
    assert {r[0]: float(r[1]) for r in table[1:]}["anna_right@example.org"] == _max_code(exercise)

    with pytest.raises(GraderError, match="unknown assignment"):
        export.main(format="csv", course=graded_course, assignments=["nope"])


def test_report_offline_charts_and_tables(graded_course, exercise, tmp_path):
    skipped = {
        "kind": "collect",
        "assignment": exercise.id,
        "student": "x.pdf",
        "reason": "not a notebook (.pdf)",
    }
    with (graded_course / "grading_log.jsonl").open("a") as fh:
        fh.write(json.dumps(skipped) + '\n{"kind": "grade", "assign')  # cut short by a crash
    page = report.main(assignment=exercise.id, out=tmp_path / "r.html", course=graded_course)
    html = page.read_text()
    assert not re.search(r"<script[^>]+src=", html), "everything inline"
    assert html.count("vegaEmbed('#chart-") == 3  # scores, items, item analysis
    assert "not a notebook (.pdf)" in html
    for gid in exercise.points():
        assert f"<td>{gid}</td>" in html
    assert f"<td>graded submissions</td><td>{len(COHORT)}</td>" in html

    plain = report.main(
        assignment=exercise.id,
        out=tmp_path / "plain.html",
        course=graded_course,
        node_modules=tmp_path / "no_node_modules",
    )
    text = plain.read_text()
    assert "vegaEmbed" not in text and "npm ci" in text
    assert f"<td>graded submissions</td><td>{len(COHORT)}</td>" in text


def test_report_pass_rates(graded_course, exercise):
    from grader.course import Course

    data = report.gather(Course.open(graded_course), exercise.id)
    rates = {i["item"]: i["pass_rate"] for i in data.items}
    code = [gid for gid, (_, kind) in exercise.points().items() if kind == "code"]
    # anna right everywhere, boris wrong only on the last item, vera blank
    assert rates[code[0]] == pytest.approx(2 / 3)
    assert rates[code[-1]] == pytest.approx(1 / 3)
