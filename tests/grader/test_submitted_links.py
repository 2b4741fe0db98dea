"""autograde on a hostile submitted/ folder: links, hard links and bad timestamp.txt files fail
their own submission with a reason, never leak what they point at, never stop the batch."""

from __future__ import annotations

import json
import os

from grader import autograde
from testkit.cohort import GRADED_STAMP, gradebook_scores, make_submission, put_submissions

SECRET = "TOP-SECRET-CONTENT-42"


def test_links_and_bad_timestamps_fail_alone(course, exercise, tmp_path):
    right, _ = make_submission(exercise, "right")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET)
    (outside / "other.ipynb").write_text(right)
    names = ["honest", "nb_link", "dir_link", "hard", "ts_garbage", "ts_link", "secret_link"]
    put_submissions(course, exercise.id, dict.fromkeys(names, right), GRADED_STAMP)
    sub = course / "submitted"
    nb = f"{exercise.id}.ipynb"
    (sub / "nb_link" / exercise.id / nb).unlink()
    (sub / "nb_link" / exercise.id / nb).symlink_to(outside / "other.ipynb")
    target = sub / "dir_link" / exercise.id
    for p in target.iterdir():
        p.unlink()
    target.rmdir()
    target.symlink_to(sub / "honest" / exercise.id, target_is_directory=True)
    (sub / "hard" / exercise.id / nb).unlink()
    os.link(outside / "other.ipynb", sub / "hard" / exercise.id / nb)
    (sub / "ts_garbage" / exercise.id / "timestamp.txt").write_text("\x00\x01 not a date " * 50)
    (sub / "ts_link" / exercise.id / "timestamp.txt").unlink()
    (sub / "ts_link" / exercise.id / "timestamp.txt").symlink_to(outside / "secret.txt")
    (sub / "secret_link" / exercise.id / "submission_secret.txt").symlink_to(outside / "secret.txt")

    summary = autograde.main(assignment=exercise.id, course=course, workers=2)
    failed = dict(summary.failed)
    assert sorted(failed) == [
        "dir_link", "hard", "nb_link", "secret_link", "ts_garbage", "ts_link"
    ]  # fmt: skip
    assert (
        failed["nb_link"]
        == f"nb_link/{exercise.id}/{nb}: a symbolic link (links are never followed)"
    )
    assert (
        failed["dir_link"] == f"dir_link/{exercise.id}: a symbolic link (links are never followed)"
    )
    assert "several hard links" in failed["hard"]
    assert failed["ts_garbage"] == "timestamp.txt does not hold a date and time; refused"
    assert failed["ts_link"] == (
        f"ts_link/{exercise.id}/timestamp.txt: a symbolic link (links are never followed)"
    )
    assert failed["secret_link"].endswith(
        "submission_secret.txt: a symbolic link (links are never followed)"
    )
    assert [s for s, *_ in summary.graded] == ["honest"]
    scores = gradebook_scores(course, exercise.id)
    assert all(score == 0 for score, _ in scores["ts_link"].values())
    assert not (
        course / "autograded" / "secret_link" / exercise.id / "submission_secret.txt"
    ).exists()
    everything = "\n".join(summary.lines()) + (course / "grading_log.jsonl").read_text()
    assert SECRET not in everything
    for line in (course / "grading_log.jsonl").read_text().splitlines():
        json.loads(line)


def test_read_timestamp_rules(tmp_path):
    from datetime import UTC, datetime, timedelta

    from grader.safefiles import read_timestamp

    (tmp_path / "secret.txt").write_text(SECRET)
    folder = tmp_path / "sub"
    folder.mkdir()
    assert read_timestamp(folder) == (None, "")  # none: the caller decides
    (folder / "timestamp.txt").symlink_to(tmp_path / "secret.txt")
    assert read_timestamp(folder) == (None, "timestamp.txt is a link or cannot be read; refused")
    (folder / "timestamp.txt").unlink()
    os.link(tmp_path / "secret.txt", folder / "timestamp.txt")
    assert read_timestamp(folder)[1] == "timestamp.txt is not a plain file (a link?); refused"
    (folder / "timestamp.txt").unlink()
    (folder / "timestamp.txt").write_text("2025-13-45 99:00:00 UTC")
    assert read_timestamp(folder) == (None, "timestamp.txt does not hold a date and time; refused")
    future = datetime.now(UTC) + timedelta(days=3)
    (folder / "timestamp.txt").write_text(future.strftime("%Y-%m-%d %H:%M:%S.%f UTC"))
    assert read_timestamp(folder)[1].endswith("UTC is in the future")
    (folder / "timestamp.txt").write_text("2025-03-01 10:00:00.000000 UTC")
    released = datetime(2025, 4, 1, tzinfo=UTC)
    stamp, note = read_timestamp(folder, released=released)
    assert (stamp.month, stamp.day) == (3, 1) and note.endswith("is before the release")
