"""export: spreadsheet-safe CSV, unmapped learners, unwritable --out; nothing half-written."""

from __future__ import annotations

import csv
import os

import pytest

from grader import export
from grader.cli import run
from grader.course import Course
from grader.errors import GraderError
from grader.gradebook import open_gradebook
from testkit.cohort import COHORT


def _rename(course, student, **fields):
    with open_gradebook(Course.open(course).db_url) as gb:
        gb.update_or_create_student(student, **fields)


def test_csv_cells_cannot_become_formulas(graded_course, tmp_path):
    _rename(graded_course, "anna_right", last_name='=HYPERLINK("http://x","y")', first_name="@me")
    out = export.main(format="csv", out=tmp_path / "g.csv", course=graded_course).out
    rows = {r["student_id"]: r for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert rows["anna_right"]["last_name"] == '\'=HYPERLINK("http://x","y")'
    assert rows["anna_right"]["first_name"] == "'@me"
    assert rows["vera_blank"]["score"] == "0"  # numbers stay numbers


def test_unmapped_learner_is_one_error_before_writing(graded_course, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id,email,idnumber\nanna_right,anna@example.org,A1\n")
    out = tmp_path / "moodle.csv"
    with pytest.raises(GraderError) as err:
        export.main(format="moodle", out=out, course=graded_course, roster=roster)
    assert "no email address in --roster for 2 learner(s): boris_partial, vera_blank" in str(
        err.value
    )
    assert not out.exists()
    with pytest.raises(GraderError, match="no email address in the gradebook for 3 learner"):
        export.main(format="moodle", out=out, course=graded_course)
    roster.write_text(
        "student_id,idnumber\n" + "".join(f"{s},N{i}\n" for i, s in enumerate(sorted(COHORT)))
    )
    result = export.main(
        format="moodle", out=out, course=graded_course, roster=roster, key="idnumber"
    )
    lines = out.read_text().splitlines()
    assert lines[0].startswith("ID number,") and lines[1].startswith("N0,")
    # anna's written answer waits for the trainer: empty grade, counted, named
    assert lines[1] == "N0,"
    assert result.notes[0].startswith("held back 2 submission(s)")


def test_out_that_cannot_be_written(graded_course, tmp_path, capsys):
    folder = tmp_path / "adir"
    folder.mkdir()
    code = run(["export", "--course", str(graded_course), "--out", str(folder)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and err == [f"error: --out {folder} is a folder; give a file name"]
    code = run(["export", "--course", str(graded_course), "--out", "/proc/grader-test/x.csv"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and err[0].startswith("error: --out /proc/grader-test")
    if os.geteuid() != 0:  # root writes into read-only folders; /proc stands in above
        ro = tmp_path / "ro"
        ro.mkdir(mode=0o555)
        assert run(["export", "--course", str(graded_course), "--out", str(ro / "x.csv")]) == 2
    code = run(
        ["export", "--course", str(graded_course), "--format", "moodle-worksheet", "--out", "x"]
    )
    assert code == 2
    assert "needs --worksheet FILE and one --assignment ID" in capsys.readouterr().err


def test_notes_go_to_stderr_when_the_export_goes_to_stdout(graded_course, tmp_path, capsys):
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id,email\n" + "".join(f"{s},{s}@x.org\n" for s in COHORT))
    assert run(["export", "--course", str(graded_course), "--format", "moodle",
                "--roster", str(roster)]) == 0  # fmt: skip
    captured = capsys.readouterr()
    assert captured.out.startswith("Email address,")
    assert captured.err.startswith("held back")


def test_hub_logins_from_moodle_are_the_import_key(graded_course, tmp_path):
    """Learners who logged in over LTI have their Moodle username as student id: no roster."""
    out = tmp_path / "moodle.csv"
    export.main(format="moodle", out=out, course=graded_course, key="username")
    lines = out.read_text().splitlines()
    assert lines[0].startswith("Username,")
    assert sorted(line.split(",")[0] for line in lines[1:]) == sorted(COHORT)
