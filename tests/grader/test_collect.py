"""collect: Moodle zips, plain files and folders; skips reported with reasons."""

from __future__ import annotations

import json
import zipfile

import pytest

from grader import collect
from grader.errors import GraderError


def _zip(path, entries: dict[str, str]):
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in entries.items():
            zf.writestr(zipfile.ZipInfo(name, (2025, 3, 1, 12, 0, 0)), text)
    return path


def _moodle_download(nb: str) -> dict[str, str]:
    """A Moodle "download all submissions" layout (synthetic fixture): folders, files, noise."""
    return {
        "Анна Иванова_101_assignsubmission_file_/my work.ipynb": nb,
        "Boris Petrov_102_assignsubmission_file_/notes.pdf": "%PDF",
        "Boris Petrov_102_assignsubmission_file_/ex.ipynb": nb,
        "Vera Smirnova_103_assignsubmission_onlinetext_/onlinetext.html": "<p>hi</p>",
        "Gleb Orlov_104_assignsubmission_file_report.docx": "docx",
        "Dina Kim_105_assignsubmission_file_/a.ipynb": nb,
        "Dina Kim_105_assignsubmission_file_/b.ipynb": nb,
        "plain_student.ipynb": nb,
    }


def test_moodle_zip_and_plain_forms(course, exercise, cohort, tmp_path):
    nb = cohort["anna_right"][0]
    archive = _zip(
        tmp_path / "download.zip",
        {
            **_moodle_download(nb),
            "../evil.ipynb": nb,
        },
    )
    with pytest.raises(GraderError, match="points outside the zip"):
        collect.main(assignment=exercise.id, source=archive, course=course)
    assert not (course / "submitted").exists(), "nothing half-written"

    archive.unlink()
    _zip(
        archive,
        {
            **_moodle_download(nb),
            "folder student/sub/ex.ipynb": nb,
        },
    )
    summary = collect.main(assignment=exercise.id, source=archive, course=course)
    imported = sorted(s for s, _ in summary.imported)
    assert imported == ["Boris_Petrov", "folder_student", "plain_student", "Анна_Иванова"]
    skipped = dict(summary.skipped)
    assert skipped["Vera Smirnova_103_assignsubmission_onlinetext_"].startswith("Moodle onlinetext")
    assert skipped["Gleb Orlov_104_assignsubmission_file_report.docx"] == "not a notebook (.docx)"
    assert "2 notebooks (a.ipynb, b.ipynb)" in skipped["Dina Kim_105_assignsubmission_file_"]
    folder = course / "submitted" / "Анна_Иванова" / exercise.id
    assert (folder / f"{exercise.id}.ipynb").read_text() == nb
    stamp = (folder / "timestamp.txt").read_text().strip()
    assert stamp.endswith("UTC") and stamp.startswith("2025-03-01")
    # the report of skips is kept for `report`
    log = [json.loads(x) for x in (course / "grading_log.jsonl").read_text().splitlines()]
    assert {r["kind"] for r in log} == {"collect"} and len(log) == 3

    # collecting the same download again changes nothing
    again = collect.main(assignment=exercise.id, source=archive, course=course)
    assert not again.imported and len(again.unchanged) == 4

    from grader.course import Course
    from grader.gradebook import open_gradebook

    with open_gradebook(Course.open(course).db_url) as gb:
        anna = gb.find_student("Анна_Иванова")
        assert (anna.first_name, anna.last_name) == ("Анна", "Иванова")


def test_collect_errors(course, exercise, tmp_path):
    with pytest.raises(GraderError, match="unknown assignment 'nope'"):
        collect.main(assignment="nope", source=tmp_path, course=course)
    with pytest.raises(GraderError, match="no such file or folder"):
        collect.main(assignment=exercise.id, source=tmp_path / "missing.zip", course=course)
    (tmp_path / "x.pdf").write_text("pdf")
    with pytest.raises(GraderError, match="not a folder, a .zip or a notebook"):
        collect.main(assignment=exercise.id, source=tmp_path / "x.pdf", course=course)
    with pytest.raises(GraderError, match="does not exist"):
        collect.main(assignment=exercise.id, source=tmp_path, course=tmp_path / "nocourse")
