"""The Moodle round trip: a 4.x download and its worksheet in, the files Moodle reads out."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest

from grader import autograde, collect, export, moodle, moodlesheet
from grader.course import Course
from grader.errors import GraderError
from grader.gradebook import open_gradebook
from testkit.cohort import make_submission
from tests.grader.conftest import FIXTURES
from tests.grader.moodle_zips import add_online_text, moodle_zip

SHEET_EN = FIXTURES / "moodle" / "worksheet_en.csv"
SHEET_RU = FIXTURES / "moodle" / "worksheet_ru.csv"
HEADER = (
    'Identifier,"Full name","Email address",Status,Grade,"Maximum grade","Grade can be changed",'
    '"Last modified (submission)","Last modified (grade)","Feedback comments"'
)


def _row(participant, name, email, grade, submitted, feedback=""):
    return (
        f'"Participant {participant}","{name}",{email},"Submitted for grading",{grade},10.00,Yes,'
        f'"{submitted}",-,{feedback}'
    )


def _grade_by_hand(course: Path, assignment: str, student: str, points: float, comment: str):
    """What a trainer does in formgrader: score the written answers, leave a comment."""
    with open_gradebook(Course.open(course).db_url) as gb:
        sub = gb.find_submission(assignment, student)
        for nb in sub.notebooks:
            for grade in nb.grades:
                if grade.cell.cell_type == "markdown":
                    grade.manual_score, grade.needs_manual_grade = points, False
            for c in nb.comments:
                if c.name.startswith("w"):  # the written task's solution cell
                    c.manual_comment = comment
        gb.db.commit()


def test_whole_loop_from_moodle_download_to_import_files(course, exercise, tmp_path, utc):
    for nb in (course / "release" / exercise.id).glob("*.ipynb"):  # released 1 Feb 2025
        os.utime(nb, (1738368000, 1738368000))
    right, _ = make_submission(exercise, "right")
    partial, expected_partial = make_submission(exercise, "partial")
    blank, _ = make_submission(exercise, "blank")
    download = moodle_zip(
        tmp_path / "COURSE-ex03-42.zip",
        [
            ("Анна Иванова", 101, f"{exercise.id}.ipynb", right),
            ("Борис Петров", 102, "my answers.ipynb", partial),
            ("Вера Смирнова", 103, "x.ipynb", blank),
        ],
        "4.x",
    )
    add_online_text(download, "Dina Kim", 104, "4.x")

    summary = collect.main(
        assignment=exercise.id, source=download, course=course, worksheet=SHEET_EN
    )
    assert [s for s, _ in summary.imported] == ["Анна_Иванова", "Борис_Петров", "Вера_Смирнова"]
    assert summary.flagged == []  # Moodle's times, after the release, not in the future
    graded = autograde.main(assignment=exercise.id, course=course, workers=2)
    assert len(graded.graded) == 3, graded.lines()
    _grade_by_hand(course, exercise.id, "Анна_Иванова", 4.5, "Clear, but name both sources.")

    filled = export.main(
        format="moodle-worksheet",
        out=tmp_path / "filled.csv",
        course=course,
        assignments=[exercise.id],
        worksheet=SHEET_EN,
    )
    lines = filled.out.read_bytes().decode("utf-8").split("\n")
    points = exercise.points()
    code = sum(p for p, kind in points.values() if kind == "code")
    total = sum(p for p, _ in points.values())
    # e.g. (14 code + 4.5 written) / 20 * 10 = 9.25: the grade item's 2 decimals, a point
    anna = moodle.format_grade((Decimal(code) + Decimal("4.5")) / Decimal(total) * 10, 2)
    assert lines == [
        "\ufeff" + HEADER,
        _row(
            101,
            "Анна Иванова",
            "anna@example.org",
            anna,
            "Saturday, 1 March 2025, 9:05 AM",
            '"w1_two_monologues: Clear, but name both sources."',
        ),
        _row(102, "Борис Петров", "boris@example.org", "", "Saturday, 1 March 2025, 10:15 AM"),
        _row(
            103, "Вера Смирнова", "vera@example.org", "0.00", "Friday, 28 February 2025, 11:40 PM"
        ),
        '"Participant 104","Dina Kim",dina@example.org,"No submission",,10.00,Yes,-,-,',
        "",
    ]
    assert filled.notes == [
        "filled 2 grade(s) of 4 worksheet row(s)",
        "held back 1 submission(s) still awaiting manual grading (grade left empty; "
        "--include-partial exports them): Борис_Петров",
    ]

    gradebook = export.main(
        format="moodle",
        out=tmp_path / "gradebook.csv",
        course=course,
        worksheet=SHEET_EN,
    )
    assert gradebook.out.read_text(encoding="utf-8") == (
        f"Email address,{exercise.id}\n"
        f"anna@example.org,{code + 4.5:g}\n"
        "boris@example.org,\n"
        "vera@example.org,0\n"
    )
    partial_points = sum(v for v in expected_partial.values() if v is not None)
    everything = export.main(
        format="moodle-worksheet",
        course=course,
        assignments=[exercise.id],
        worksheet=SHEET_EN,
        out=tmp_path / "all.csv",
        include_partial=True,
    )
    boris = everything.out.read_text(encoding="utf-8").split("\n")[2]
    scaled = moodle.format_grade(Decimal(partial_points) / Decimal(total) * 10, 2)
    assert boris == _row(
        102, "Борис Петров", "boris@example.org", scaled, "Saturday, 1 March 2025, 10:15 AM"
    )


def test_russian_worksheet_decimal_comma_and_bytes_kept(tmp_path):
    course = Course(root=tmp_path, db_url="sqlite://")
    (tmp_path / "moodle_participants.json").write_text('{"ex": {"201": "ivan", "202": "maria"}}')
    rows = [
        {
            "student_id": "ivan",
            "score": "12.25",
            "max_score": "19",
            "needs_manual_grade": "false",
            "comments": 'q1: "nice"\nq2: redo',
        },
        {
            "student_id": "maria",
            "score": "",
            "max_score": "19",
            "needs_manual_grade": "false",
            "comments": "",
        },
    ]
    notes: list[str] = []
    text = moodlesheet.fill(course, "ex", rows, SHEET_RU, False, notes)
    original = SHEET_RU.read_text(encoding="utf-8").split("\n")
    got = text.split("\n")
    assert got[0] == original[0] and got[0].startswith("\ufeffИдентификатор")
    # 12.25 / 19 * 100 = 64.47...: a point, which every language's unformat_float reads
    assert got[1:4] == [
        'Участник201,"Петров Иван",ivan@example.org,"Отправлено для оценивания",64.47,"100,00",'
        'Да,"суббота, 1 марта 2025, 09:05",-,"q1: ""nice""',
        'q2: redo"',
        original[2],  # no submission collected: Maria's row is left exactly as Moodle wrote it
    ]
    assert notes == ["filled 1 grade(s) of 2 worksheet row(s)"]
    sheet = moodle.read(SHEET_RU)
    assert sheet.text() == SHEET_RU.read_text(encoding="utf-8")  # read + write = same bytes
    assert [sheet.participant(r) for r in range(sheet.rows)] == ["201", "202"]
    assert moodle.parse_userdate("суббота, 1 марта 2025, 09:05", moodle.UTC).hour == 9


def test_worksheet_that_does_not_fit(tmp_path):
    course = Course(root=tmp_path, db_url="sqlite://")
    (tmp_path / "moodle_participants.json").write_text('{"ex": {"555": "x"}}')
    rows = [
        {
            "student_id": "x",
            "score": "1",
            "max_score": "1",
            "needs_manual_grade": "false",
            "comments": "",
        }
    ]
    with pytest.raises(GraderError, match="no row for participant\\(s\\) 555"):
        moodlesheet.fill(course, "ex", rows, SHEET_EN, False, [])
    bad = tmp_path / "other.csv"
    bad.write_text("Name,Score\nA,1\n")
    with pytest.raises(GraderError, match="no Identifier or Grade column"):
        moodle.read(bad)
    bad.write_bytes(b"Identifier,Grade\n\xff\xfe\n")
    with pytest.raises(GraderError, match="not UTF-8"):
        moodle.read(bad)


def test_number_rules():
    assert moodle.quote("a b") == '"a b"' and moodle.quote("x") == "x" and moodle.quote("") == ""
    assert moodle.parse_number("1 000,50") == Decimal("1000.50")
    assert moodle.decimals_of("100,00") == 2 and moodle.decimals_of("10") == 0
    assert moodle.format_grade(Decimal("2.345"), 2) == "2.35"  # half up, as PHP's round
    assert moodle.format_grade(Decimal("7"), 0) == "7"
    when = moodle.parse_userdate("Friday, 28 February 2025, 11:40 PM", moodle.UTC)
    assert (when.day, when.hour, when.minute) == (28, 23, 40)
    assert moodle.parse_userdate("-", moodle.UTC) is None


def test_worksheet_without_bom_and_with_crlf_keeps_its_form(tmp_path):
    """Older Moodle writers (and a spreadsheet's re-save) drop the BOM or use CRLF: kept as is."""
    text = SHEET_EN.read_text(encoding="utf-8").lstrip("\ufeff").replace("\n", "\r\n")
    sheet_path = tmp_path / "ws.csv"
    sheet_path.write_bytes(text.encode("utf-8"))
    (tmp_path / "moodle_participants.json").write_text('{"ex": {"103": "vera"}}')
    rows = [{"student_id": "vera", "score": "19", "max_score": "19",
             "needs_manual_grade": "false", "comments": ""}]  # fmt: skip
    out = moodlesheet.fill(
        Course(root=tmp_path, db_url="sqlite://"), "ex", rows, sheet_path, False, []
    )
    expected = text.replace(
        '"Submitted for grading",,10.00,Yes,"Friday',
        '"Submitted for grading",10.00,10.00,Yes,"Friday',
    )
    assert out == expected and not out.startswith("\ufeff") and out.count("\r\n") == 5
