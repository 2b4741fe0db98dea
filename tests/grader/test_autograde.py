"""autograde: scores, resumability, failures recorded, manual grades kept."""

from __future__ import annotations

import json

from grader import autograde, gradelog
from testkit.cohort import gradebook_scores, put_submissions

STAMP = "2025-03-01 10:00:00.000000 UTC"
STAMP2 = "2025-03-02 09:30:00.000000 UTC"


def _expected_state(expected: dict) -> dict:
    return {gid: (score, score is None) for gid, score in expected.items()}


def test_scores_match_expected_and_manual_only_where_answered(graded_course, exercise, cohort):
    course = graded_course
    scores = gradebook_scores(course, exercise.id)
    for student, (_, expected) in cohort.items():
        assert scores[student] == _expected_state(expected), student
    for student in cohort:
        graded = course / "autograded" / student / exercise.id / f"{exercise.id}.ipynb"
        assert json.loads(graded.read_text())["cells"]


def test_rerun_skips_graded_and_force_regrades(graded_course, exercise, cohort):
    course = graded_course
    again = autograde.main(assignment=exercise.id, course=course, workers=1)
    assert (len(again.graded), again.already_graded) == (0, len(cohort))
    forced = autograde.main(
        assignment=exercise.id, course=course, workers=1, force=True, students=["vera_blank"]
    )
    assert [g[0] for g in forced.graded] == ["vera_blank"]
    # a new version of a submission (new timestamp) is graded again without --force
    put_submissions(course, exercise.id, {"vera_blank": cohort["anna_right"][0]}, STAMP2)
    resubmitted = autograde.main(assignment=exercise.id, course=course, workers=1)
    assert [g[0] for g in resubmitted.graded] == ["vera_blank"]
    scores = gradebook_scores(course, exercise.id)
    assert sorted(scores) == sorted(cohort)
    assert scores["vera_blank"] == _expected_state(cohort["anna_right"][1])
    assert scores["anna_right"] == _expected_state(cohort["anna_right"][1])


def test_manual_grades_and_comments_survive_regrading(course, exercise, cohort):
    from grader.course import Course
    from grader.gradebook import open_gradebook

    nb, expected = cohort["anna_right"]
    put_submissions(course, exercise.id, {"anna_right": nb}, STAMP)
    autograde.main(assignment=exercise.id, course=course, workers=1)
    written = next(gid for gid, (_, kind) in exercise.points().items() if kind == "markdown")
    code = next(gid for gid, (_, kind) in exercise.points().items() if kind == "code")
    with open_gradebook(Course.open(course).db_url) as gb:
        gb.find_grade(written, exercise.id, exercise.id, "anna_right").manual_score = 1.5
        gb.find_grade(code, exercise.id, exercise.id, "anna_right").manual_score = 0.5
        gb.find_comment(written, exercise.id, exercise.id, "anna_right").manual_comment = "Good"
        gb.find_grade(written, exercise.id, exercise.id, "anna_right").needs_manual_grade = False
        gb.db.commit()
    autograde.main(assignment=exercise.id, course=course, workers=1, force=True)
    with open_gradebook(Course.open(course).db_url) as gb:
        grade = gb.find_grade(written, exercise.id, exercise.id, "anna_right")
        assert (grade.manual_score, grade.needs_manual_grade) == (1.5, False)
        override = gb.find_grade(code, exercise.id, exercise.id, "anna_right")
        assert (override.manual_score, override.auto_score) == (0.5, expected[code])
        comment = gb.find_comment(written, exercise.id, exercise.id, "anna_right")
        assert comment.manual_comment == "Good"


def test_broken_submission_is_recorded_and_batch_goes_on(course, exercise, cohort):
    subs = {"anna_right": cohort["anna_right"][0], "zed_broken": "{ this is not json"}
    put_submissions(course, exercise.id, subs, STAMP)
    summary = autograde.main(assignment=exercise.id, course=course, workers=2)
    assert [g[0] for g in summary.graded] == ["anna_right"]
    assert [s for s, _ in summary.failed] == ["zed_broken"]
    scores = gradebook_scores(course, exercise.id)
    # a failed submission scores 0 everywhere and waits for nobody
    assert scores["zed_broken"] == {gid: (0.0, False) for gid in exercise.points()}
    log = [json.loads(line) for line in (course / "grading_log.jsonl").read_text().splitlines()]
    broken = [r for r in log if r["student"] == "zed_broken"]
    assert broken[-1]["status"] == "failed" and broken[-1]["reasons"]


def test_nbgrader_api_lists_graded_submissions(graded_course, exercise, cohort):
    from nbgrader.apps.api import NbGraderAPI

    from grader.course import Course

    course = graded_course
    api = NbGraderAPI(coursedir=Course.open(course).nbgrader_coursedir())
    listed = {s["student"]: s for s in api.get_submissions(exercise.id)}
    assert sorted(listed) == sorted(cohort)
    assert all(s["autograded"] for s in listed.values())
    max_code = sum(p for p, kind in exercise.points().values() if kind == "code")
    assert listed["anna_right"]["code_score"] == max_code
    assert listed["anna_right"]["needs_manual_grade"] is True  # its written answer
    assert (
        listed["vera_blank"]["score"] == 0 and listed["vera_blank"]["needs_manual_grade"] is False
    )


def test_grading_setup_error_is_not_recorded_as_a_zero(course, exercise, cohort):
    import shutil

    put_submissions(course, exercise.id, {"anna_right": cohort["anna_right"][0]}, STAMP)
    shutil.rmtree(course / "source" / exercise.id / "data")  # the worker cannot run at all
    summary = autograde.main(assignment=exercise.id, course=course, workers=1)
    assert summary.exit_status == 1 and [s for s, _ in summary.errors] == ["anna_right"]
    assert not summary.graded and not summary.failed
    assert gradebook_scores(course, exercise.id) == {}
    assert "not graded because grading itself failed" in "\n".join(summary.lines())


def test_late_submission_gets_nbgraders_penalty_and_policy_survives_release(
    course, exercise, cohort
):
    from datetime import datetime

    from grader.course import TRAINER_SETTINGS_MARKER, Course, write_config
    from grader.gradebook import open_gradebook

    config = course / "nbgrader_config.py"
    config.write_text(
        config.read_text().split(TRAINER_SETTINGS_MARKER)[0]
        + TRAINER_SETTINGS_MARKER
        + "\nc.LateSubmissionPlugin.penalty_method = 'zero'\n"
    )
    write_config(Course.open(course), db_explicit=False)  # a new release keeps the trainer's line
    assert "penalty_method = 'zero'" in config.read_text()
    with open_gradebook(Course.open(course).db_url) as gb:
        gb.update_or_create_assignment(exercise.id, duedate=datetime(2025, 3, 1, 12, 0))
    nb, _ = cohort["anna_right"]
    put_submissions(course, exercise.id, {"on_time": nb}, STAMP)  # 10:00, before the due date
    put_submissions(course, exercise.id, {"late": nb}, STAMP2)  # next day
    autograde.main(assignment=exercise.id, course=course, workers=1)
    with open_gradebook(Course.open(course).db_url) as gb:
        on_time = gb.find_submission_notebook(exercise.id, exercise.id, "on_time")
        late = gb.find_submission_notebook(exercise.id, exercise.id, "late")
        assert on_time.late_submission_penalty is None and on_time.score > 0
        assert late.late_submission_penalty == late.score > 0
        assert gb.find_submission(exercise.id, "late").total_seconds_late > 0
    from grader import export

    with open_gradebook(Course.open(course).db_url) as gb:
        _, rows = export.collect_rows(gb, [exercise.id])
    exported = {r["student_id"]: r for r in rows}
    assert float(exported["late"]["raw_score"]) > 0 and float(exported["late"]["score"]) == 0
    assert exported["on_time"]["score"] == exported["on_time"]["raw_score"]


def test_summary_names_crashes_and_time_outs():
    reasons = {
        "oom": ["cell 4: kernel killed: out of memory", "execution stopped: kernel killed"],
        "exit": ["execution stopped: kernel stopped (exit status -11); what did not run scores 0"],
        "slow": ["cell 3 exceeded the 30 s time limit"],
        "stuck": ["cell ignored the interrupt after its time limit; kernel killed"],
        "fine": ["test cell q1 had lost its metadata; recognised by its content"],
    }
    found = {name: gradelog.incidents(r) for name, r in reasons.items()}
    assert {n: sorted(f) for n, f in found.items()} == {
        "oom": ["crash"],
        "exit": ["crash"],
        "slow": ["timeout"],
        "stuck": ["timeout"],
        "fine": [],
    }
    summary = autograde.AutogradeSummary("ex", total=3)
    summary.graded = [("a", 3.0, 5.0), ("b", 0.0, 5.0)]
    summary.crashed = [("a", reasons["exit"][0])]
    summary.timed_out = [("b", reasons["slow"][0])]
    lines = summary.lines()
    assert lines[0].startswith("ex: 2 graded, 0 failed, 1 crashed, 1 timed out, 0 already")
    assert "  crashed a: execution stopped: kernel stopped (exit status -11)" in lines[1]
    assert lines[2] == "  timed out b: cell 3 exceeded the 30 s time limit"


def test_unreadable_notebook_is_that_learners_zero_not_a_setup_error(graded_course, exercise):
    """SYNTHETIC: a notebook nested deeply enough to raise RecursionError in any reader."""
    deep = '{"a":' * 100000 + "1" + "}" * 100000
    text = '{"nbformat": 4, "nbformat_minor": 5, "metadata": ' + deep + ', "cells": []}'
    put_submissions(graded_course, exercise.id, {"deep_nest": text}, STAMP)
    summary = autograde.main(
        assignment=exercise.id, course=graded_course, workers=1, students=["deep_nest"]
    )
    assert summary.exit_status == 0 and summary.errors == []
    assert [s for s, _ in summary.failed] == ["deep_nest"]
    assert "nested more than 64 levels deep" in summary.failed[0][1]
    scores = gradebook_scores(graded_course, exercise.id)["deep_nest"]
    assert {score for score, _ in scores.values()} == {0.0}
