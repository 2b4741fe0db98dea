"""collect: Moodle zips in every naming, plain files and folders; hostile entries refused."""

from __future__ import annotations

import json
import os
import zipfile
from datetime import UTC, datetime

import pytest

from grader import collect
from grader.course import Course
from grader.errors import GraderError
from grader.gradebook import open_gradebook
from tests.grader.moodle_zips import add_online_text, moodle_zip


def _zip(path, entries: dict[str, str], when=(2025, 3, 1, 12, 0, 0)):
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in entries.items():
            zf.writestr(zipfile.ZipInfo(name, when), text)
    return path


def _students(course) -> dict:
    with open_gradebook(Course.open(course).db_url) as gb:
        return {s.id: (s.first_name, s.last_name, s.email) for s in gb.students}


def _stamp(course, student, assignment) -> str:
    return (course / "submitted" / student / assignment / "timestamp.txt").read_text().strip()


@pytest.mark.parametrize("style", ["4.x", "3.x", "flat"])
def test_every_moodle_naming(style, course, exercise, cohort, tmp_path, utc):
    nb = cohort["anna_right"][0]
    archive = moodle_zip(
        tmp_path / "download.zip",
        [
            ("Анна Иванова", 101, "my work.ipynb", nb),
            ("Ivanov Petr_Sergeevich", 102, f"{exercise.id}.ipynb", nb),
            ("Gleb Orlov", 104, "report.docx", "docx"),
        ],
        style,
    )
    add_online_text(archive, "Vera Smirnova", 103, style)
    summary = collect.main(assignment=exercise.id, source=archive, course=course)
    assert sorted(s for s, _ in summary.imported) == ["Ivanov_Petr_Sergeevich", "Анна_Иванова"]
    reasons = dict(summary.skipped)
    assert len(reasons) == 2
    assert [r for o, r in reasons.items() if o.startswith("Vera")] == [
        "Moodle onlinetext submission, not a file"
    ]
    gleb = (
        "not a notebook (.docx)"
        if style == "flat"
        else "no .ipynb notebook in it (found: report.docx)"
    )
    assert [r for o, r in reasons.items() if o.startswith("Gleb")] == [gleb]
    # the full name as Moodle shows it, never split into a guessed first name
    assert _students(course)["Анна_Иванова"] == (None, "Анна Иванова", None)
    # a Moodle zip's entry time is when Moodle made the zip, never before the submission
    assert _stamp(course, "Анна_Иванова", exercise.id) == "2025-03-05 09:00:00.000000 UTC"
    mapping = json.loads((course / "moodle_participants.json").read_text())
    assert mapping == {exercise.id: {"101": "Анна_Иванова", "102": "Ivanov_Petr_Sergeevich"}}
    again = collect.main(assignment=exercise.id, source=archive, course=course)
    assert not again.imported and len(again.unchanged) == 2


def test_worksheet_names_emails_and_times(course, exercise, cohort, tmp_path, utc):
    from tests.grader.conftest import FIXTURES

    nb = cohort["anna_right"][0]
    archive = moodle_zip(
        tmp_path / "d.zip",
        [("Анна Иванова", 101, "a.ipynb", nb), ("Somebody Else", 999, "b.ipynb", nb)],
        "4.x",
    )
    sheet = FIXTURES / "moodle" / "worksheet_en.csv"
    summary = collect.main(assignment=exercise.id, source=archive, course=course, worksheet=sheet)
    assert dict(summary.skipped) == {
        "Somebody Else_999_assignsubmission_file": "participant 999 is not in the worksheet"
    }
    assert _students(course)["Анна_Иванова"] == (None, "Анна Иванова", "anna@example.org")
    # Moodle's own submission time from the worksheet ("Saturday, 1 March 2025, 9:05 AM")
    assert _stamp(course, "Анна_Иванова", exercise.id) == "2025-03-01 09:05:00.000000 UTC"
    assert any("before the release" in note for _, note in summary.flagged)


def test_imitated_display_name_never_displaces(course, exercise, cohort, tmp_path):
    right, blank = cohort["anna_right"][0], cohort["vera_blank"][0]
    archive = moodle_zip(
        tmp_path / "d.zip",
        [
            ("Ivan Petrov", 1004, "a.ipynb", right),
            ("Ivan Petrov", 1005, "a.ipynb", right),
            ("Ivan Petrov 1004", 2000, "a.ipynb", blank),  # imitates the id of the first
        ],
        "4.x",
    )
    summary = collect.main(assignment=exercise.id, source=archive, course=course)
    got = dict(summary.imported)
    assert sorted(got) == ["Ivan_Petrov_1004", "Ivan_Petrov__1004", "Ivan_Petrov__1005"]
    sub = course / "submitted"
    assert (sub / "Ivan_Petrov__1004" / exercise.id / f"{exercise.id}.ipynb").read_text() == right
    assert (sub / "Ivan_Petrov_1004" / exercise.id / f"{exercise.id}.ipynb").read_text() == blank


def test_plain_entries_claiming_one_id_are_all_skipped(course, exercise, cohort, tmp_path):
    nb = cohort["anna_right"][0]
    src = tmp_path / "from"
    (src / "ivanova").mkdir(parents=True)
    (src / "ivanova" / "x.ipynb").write_text(nb)
    (src / "ivanova.ipynb").write_text(nb)
    summary = collect.main(assignment=exercise.id, source=src, course=course)
    assert not summary.imported and summary.exit_status == 1
    assert all("several entries claim student ivanova" in r for _, r in summary.skipped)


def test_folder_times_are_collection_times(course, exercise, cohort, tmp_path):
    src = tmp_path / "from"
    src.mkdir()
    nb = src / "ivanova.ipynb"
    nb.write_text(cohort["anna_right"][0])
    os.utime(nb, (0, 0))  # a learner-controlled time (1970) must not count
    before = datetime.now(UTC).replace(microsecond=0)
    collect.main(assignment=exercise.id, source=src, course=course)
    stamp = datetime.strptime(_stamp(course, "ivanova", exercise.id), collect.STAMP_FORMAT)
    assert stamp.replace(tzinfo=UTC) >= before


def test_links_and_hardlinks_are_refused(course, exercise, cohort, tmp_path):
    nb = cohort["anna_right"][0]
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "submission_secret.txt").write_text("TOPSECRET")
    (secret / "other.ipynb").write_text('{"TOPSECRET": 1}')
    src = tmp_path / "from"
    src.mkdir()
    (src / "honest.ipynb").write_text(nb)
    (src / "linked.ipynb").symlink_to(secret / "other.ipynb")
    (src / "dirlink").symlink_to(secret, target_is_directory=True)
    (src / "inner").mkdir()
    (src / "inner" / "x.ipynb").symlink_to(secret / "other.ipynb")
    (src / "hard.ipynb").hardlink_to(secret / "other.ipynb")
    summary = collect.main(assignment=exercise.id, source=src, course=course)
    assert [s for s, _ in summary.imported] == ["honest"]
    reasons = dict(summary.skipped)
    assert reasons["linked.ipynb"] == "a symbolic link (links are never followed)"
    assert reasons["dirlink"] == "a symbolic link (links are never followed)"
    assert reasons["inner"] == "inner/x.ipynb: a symbolic link (links are never followed)"
    assert reasons["hard.ipynb"] == "a file with several hard links (links are never followed)"
    copied = b"".join(p.read_bytes() for p in (course / "submitted").rglob("*") if p.is_file())
    assert b"TOPSECRET" not in copied
    with pytest.raises(GraderError, match="a symbolic link"):
        collect.main(assignment=exercise.id, source=src / "dirlink", course=course)


def test_zip_clash_escape_and_code_pages(course, exercise, cohort, tmp_path):
    nb = cohort["anna_right"][0]
    clash = _zip(tmp_path / "clash.zip", {"anna": "file", "anna/x.ipynb": nb})
    with pytest.raises(GraderError, match="'anna' is both a file and a folder"):
        collect.main(assignment=exercise.id, source=clash, course=course)
    escape = _zip(tmp_path / "escape.zip", {"ok.ipynb": nb, "../evil.ipynb": nb})
    with pytest.raises(GraderError, match="points outside the zip"):
        collect.main(assignment=exercise.id, source=escape, course=course)
    assert not (course / "submitted").exists(), "nothing half-written"

    legacy = tmp_path / "cp866.zip"  # Russian Windows archivers: cp866 names, no UTF-8 flag
    with zipfile.ZipFile(legacy, "w") as zf:
        info = zipfile.ZipInfo("x.ipynb", (2025, 3, 1, 12, 0, 0))
        zf.writestr(info, nb)
    raw = legacy.read_bytes().replace(b"x.ipynb", "Ж.ipynb".encode("cp866") + b"")
    # same length: one cp866 byte for one ASCII byte
    legacy.write_bytes(raw)
    summary = collect.main(assignment=exercise.id, source=legacy, course=course)
    assert [s for s, _ in summary.imported] == ["Ж"]
    legacy.write_bytes(raw.replace("Ж".encode("cp866"), b"\xb0"))  # a box-drawing byte: no name
    with pytest.raises(GraderError, match="neither UTF-8 nor cp866"):
        collect.main(assignment=exercise.id, source=legacy, course=course)

    linked = tmp_path / "link.zip"
    with zipfile.ZipFile(linked, "w") as zf:
        info = zipfile.ZipInfo("mallory/x.ipynb", (2025, 3, 1, 12, 0, 0))
        info.external_attr = 0o120777 << 16  # a symbolic link entry
        zf.writestr(info, "../../../../etc/shadow")
        zf.writestr("honest.ipynb", nb)
    summary = collect.main(assignment=exercise.id, source=linked, course=course)
    assert dict(summary.skipped) == {"mallory": "mallory/x.ipynb: a symbolic link in the zip"}


def test_zip_bomb_is_stopped_while_inflating(course, exercise, tmp_path, monkeypatch):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("big.ipynb", b"0" * (3 * 2**20))  # 3 MiB of zeros, a few KiB packed
        zf.writestr("big.pdf", b"0" * (50 * 2**20))  # never inflated: not a notebook
    assert bomb.stat().st_size < 100_000
    monkeypatch.setattr(collect, "MAX_NOTEBOOK_BYTES", 2**20)
    summary = collect.main(assignment=exercise.id, source=bomb, course=course)
    assert dict(summary.skipped) == {
        "big.ipynb": "big.ipynb: notebook larger than 1 MiB",
        "big.pdf": "not a notebook (.pdf)",
    }
    monkeypatch.setattr(collect, "_MAX_ZIP_BYTES", 2**20)
    monkeypatch.setattr(collect, "MAX_NOTEBOOK_BYTES", 4 * 2**20)
    with pytest.raises(GraderError, match="unpacks to more than 1 MiB"):
        collect.main(assignment=exercise.id, source=bomb, course=course)


def test_non_utf8_file_names(course, exercise, cohort, tmp_path):
    src = tmp_path / "from"
    src.mkdir()
    (src / "ok.ipynb").write_text(cohort["anna_right"][0])
    bad = os.path.join(os.fsencode(src), b"\xff\xfe.ipynb")
    with open(bad, "w") as fh:
        fh.write(cohort["anna_right"][0])
    summary = collect.main(assignment=exercise.id, source=src, course=course)
    assert [s for s, _ in summary.imported] == ["ok"]
    assert dict(summary.skipped) == {
        "\ufffd\ufffd.ipynb": "the file name is not valid UTF-8 (rename it)"
    }
    "\n".join(summary.lines()).encode("utf-8")  # printable


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
    empty = tmp_path / "empty.zip"
    zipfile.ZipFile(empty, "w").close()
    with pytest.raises(GraderError, match=f"no submissions found in {empty}"):
        collect.main(assignment=exercise.id, source=empty, course=course)
    (tmp_path / "corrupt.zip").write_bytes(b"PK\x03\x04 this is not a zip")
    with pytest.raises(GraderError, match="not a valid zip file"):
        collect.main(assignment=exercise.id, source=tmp_path / "corrupt.zip", course=course)
    locked = tmp_path / "locked.zip"
    with zipfile.ZipFile(locked, "w") as zf:
        zf.writestr("anna/x.ipynb", "{}")
        zf.writestr("boris.ipynb", "{}")
    data = bytearray(locked.read_bytes())
    data[6] |= 1  # the first entry's "encrypted" flag, local header and central directory
    data[data.find(b"PK\x01\x02") + 8] |= 1
    locked.write_bytes(bytes(data))
    summary = collect.main(assignment=exercise.id, source=locked, course=course)
    assert dict(summary.skipped) == {
        "anna": "anna/x.ipynb: password-protected or packed in an unsupported way"
    }
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(damaged, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("x.ipynb", '{"a": 1}' * 1000)
    data = bytearray(damaged.read_bytes())
    data[40:60] = b"\xff" * 20
    damaged.write_bytes(bytes(data))
    with pytest.raises(GraderError, match="not a valid zip file"):
        collect.main(assignment=exercise.id, source=damaged, course=course)
    (tmp_path / "emptydir").mkdir()
    with pytest.raises(GraderError, match="no submissions found in"):
        collect.main(assignment=exercise.id, source=tmp_path / "emptydir", course=course)


def test_names_are_safe_on_a_terminal(course, exercise, cohort, tmp_path):
    src = tmp_path / "from"
    src.mkdir()
    (src / "evil\x1b]0;pwned\x07\x1b[2J.pdf").write_text("x")
    (src / "ok.ipynb").write_text(cohort["anna_right"][0])
    text = "\n".join(collect.main(assignment=exercise.id, source=src, course=course).lines())
    assert "\x1b" not in text and "\x07" not in text
