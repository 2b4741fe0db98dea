"""The whole pipeline through the CLI, on Dask, after kill -9, and on PostgreSQL (slow)."""

from __future__ import annotations

import csv
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from datetime import UTC, datetime

import pytest

from grader.cli import run
from testkit.cohort import REPO, gradebook_scores, make_submission, put_submissions
from testkit.postgres import create_database, pg_bin, throwaway_postgres

pytestmark = pytest.mark.slow

MOODLE = {  # Moodle folder name -> (student id after collect, kind of SYNTHETIC submission)
    "Anna Right_201_assignsubmission_file_": ("Anna_Right", "right"),
    "Boris Partial_202_assignsubmission_file_": ("Boris_Partial", "partial"),
    "Vera Blank_203_assignsubmission_file_": ("Vera_Blank", "blank"),
}


def _state(expected):
    return {gid: (score, score is None) for gid, score in expected.items()}


def _cli(*argv) -> int:
    return run([str(a) for a in argv])


def test_release_collect_autograde_feedback_export_report(tmp_path, exercise, capsys):
    course = tmp_path / "course"
    assert (
        _cli(
            "release",
            exercise.id,
            "--course",
            course,
            "--exercises",
            exercise.exercises,
            "--datasets",
            exercise.datasets,
        )
        == 0
    )
    assert (course / "release" / exercise.id / f"{exercise.id}.ipynb").is_file()
    assert (course / "downloads" / f"{exercise.id}.zip").is_file()

    expected = {}
    archive = tmp_path / "moodle.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for folder, (student, kind) in MOODLE.items():
            text, expected[student] = make_submission(exercise, kind)
            zf.writestr(f"{folder}/{exercise.id}.ipynb", text)
        zf.writestr("Gleb Broken_204_assignsubmission_file_/x.ipynb", "{ not json")
        zf.writestr("Dina Pdf_205_assignsubmission_file_/answers.pdf", "%PDF-1.4")
    assert _cli("collect", exercise.id, "--from", archive, "--course", course) == 0
    assert "skipped Dina Pdf_205_assignsubmission_file_: no .ipynb notebook in it" in (
        capsys.readouterr().out
    )

    assert _cli("autograde", exercise.id, "--workers", 2, "--course", course) == 0
    out = capsys.readouterr().out
    assert f"{exercise.id}: 3 graded, 1 failed" in out and "failed Gleb_Broken" in out
    scores = gradebook_scores(course, exercise.id)
    for student, exp in expected.items():
        assert scores[student] == _state(exp), student
    assert set(scores["Gleb_Broken"].values()) == {(0.0, False)}

    from nbgrader.apps.api import NbGraderAPI

    from grader.course import Course

    api = NbGraderAPI(coursedir=Course.open(course).nbgrader_coursedir())
    listed = api.get_submissions(exercise.id)
    assert sorted(s["student"] for s in listed if s["autograded"]) == sorted(
        [*expected, "Gleb_Broken"]
    )

    assert _cli("feedback", exercise.id, "--course", course) == 0
    page = (course / "feedback" / "Anna_Right" / exercise.id / f"{exercise.id}.html").read_text()
    assert "BEGIN HIDDEN TESTS" not in page and "<script src=" not in page

    assert _cli("export", "--out", tmp_path / "g.csv", "--course", course) == 0
    rows = {r["student_id"]: r for r in csv.DictReader((tmp_path / "g.csv").open())}
    max_code = sum(p for p, kind in exercise.points().values() if kind == "code")
    assert float(rows["Anna_Right"]["score"]) == max_code
    # no e-mail address or ID number known for these learners: Moodle would reject the
    # import, so the export refuses before writing (issue 16; route tested in test_moodle.py)
    assert (
        _cli("export", "--format", "moodle", "--out", tmp_path / "m.csv", "--course", course) == 2
    )
    assert not (tmp_path / "m.csv").exists()
    assert _cli("report", exercise.id, "--out", tmp_path / "r.html", "--course", course) == 0
    report = (tmp_path / "r.html").read_text()
    assert "Gleb_Broken" in report and "Dina Pdf_205" in report

    # the same tasks on a dask.distributed cluster give the same scores
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=":0") as cluster:
        assert (
            _cli(
                "autograde",
                exercise.id,
                "--force",
                "--dask",
                cluster.scheduler_address,
                "--course",
                course,
            )
            == 0
        )
    assert gradebook_scores(course, exercise.id) == scores


def _submission_rows(course, assignment, db=None):
    from grader.course import Course
    from grader.gradebook import open_gradebook

    with open_gradebook(Course.open(course, db=db).db_url) as gb:
        subs = gb.assignment_submissions(assignment)
        return sorted((s.student.id, len(s.notebooks[0].grades)) for s in subs)


def _autograde_command(assignment: str, course) -> list[str]:
    """The trainer's command line for a one-worker grading run (run as a separate process)."""
    return [
        sys.executable,
        "-m",
        "grader",
        "autograde",
        assignment,
        "--workers",
        "1",
        "--course",
        str(course),
    ]


def test_kill_9_half_way_then_rerun_gives_identical_scores(course, exercise):
    kinds = ["right", "partial", "blank"] * 2
    subs, expected = {}, {}
    for i, kind in enumerate(kinds):
        subs[f"s{i}_{kind}"], expected[f"s{i}_{kind}"] = make_submission(exercise, kind)
    # handed in after the release, so no submission-time note joins the grading log
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f UTC")
    put_submissions(course, exercise.id, subs, now)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    cmd = _autograde_command(exercise.id, course)
    proc = subprocess.Popen(
        cmd, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    log = course / "grading_log.jsonl"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        if log.is_file() and len(log.read_text().splitlines()) >= 2:
            break
        time.sleep(0.2)
    assert proc.poll() is None, "the run finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done_before = len(gradebook_scores(course, exercise.id))
    assert 0 < len(log.read_text().splitlines()) < len(subs)

    assert subprocess.run(cmd, env=env, capture_output=True, check=False).returncode == 0
    scores = gradebook_scores(course, exercise.id)
    assert scores == {s: _state(e) for s, e in expected.items()}
    n_grades = len(exercise.points())
    assert _submission_rows(course, exercise.id) == sorted((s, n_grades) for s in subs)
    assert done_before <= len(subs)


@pytest.fixture(scope="module")
def postgres_server():
    if pg_bin() is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL missing: install the Debian package postgresql")
        pytest.skip("PostgreSQL not installed (apt-get install postgresql)")
    with throwaway_postgres() as url:
        yield url


def test_postgresql_gradebook_two_graders_at_once(tmp_path, exercise, postgres_server):
    db = create_database(postgres_server, "gradebook_e2e")
    course = tmp_path / "course"
    assert (
        run(
            [
                "release",
                exercise.id,
                "--course",
                str(course),
                "--exercises",
                str(exercise.exercises),
                "--datasets",
                str(exercise.datasets),
                "--db",
                db,
            ]
        )
        == 0
    )
    assert db in (course / "nbgrader_config.py").read_text()
    subs, expected = {}, {}
    for i, kind in enumerate(["right", "partial", "blank", "right"]):
        subs[f"p{i}"], expected[f"p{i}"] = make_submission(exercise, kind)
    put_submissions(course, exercise.id, subs, "2025-03-01 10:00:00.000000 UTC")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    # no --db: both graders take the URL from the course's nbgrader_config.py
    cmd = _autograde_command(exercise.id, course)
    graders = [
        subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    for grader in graders:
        _, err = grader.communicate(timeout=600)
        assert grader.returncode == 0, err
    scores = gradebook_scores(course, exercise.id, db=db)
    assert scores == {s: _state(e) for s, e in expected.items()}
    n_grades = len(exercise.points())
    assert _submission_rows(course, exercise.id, db=db) == sorted((s, n_grades) for s in subs)
    shutil.rmtree(course)
