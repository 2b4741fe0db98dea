"""Tests of grader.worker.grade on honest submissions of the SYNTHETIC fixture exercise.

The central one grades the same honest submissions with nbgrader 0.9.6's own ``nbgrader
autograde`` and with ``grade()``, and requires identical scores cell by cell.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "adversarial"))

from worker_fixtures import FIXTURE, FULL, make_course  # noqa: E402

from grader.limits import Limits  # noqa: E402
from grader.worker import GradeResult, GradeTask, grade  # noqa: E402

BIN = Path(sys.executable).parent
RIGHT = {
    "q1_mean_income_answer": 'mean_income = float(households["monthly_income_rub"].mean())',
    "q2_benefit_rate_answer": 'benefit_rate = households.groupby("district")["receives_benefit"].mean()',
    "q3_low_income_answer": (
        'households["per_capita_rub"] = households["monthly_income_rub"] / households["members"]\n'
        'low_income = households[households["per_capita_rub"] < 10_000]\n'
        "low_income_share = len(low_income) / len(households)"
    ),
}
# SYNTHETIC honest submissions: answer cell -> learner code ("None" keeps the released stub).
HONEST = {
    "s_full": dict(RIGHT),
    "s_blank": {},
    "s_partial": {
        **RIGHT,
        "q2_benefit_rate_answer": "benefit_rate = households.groupby('district')['members'].mean() / 10",
        "q3_low_income_answer": "low_income = households[households['per_capita_rub'] < 10_000]",
    },
    "s_types": {
        "q1_mean_income_answer": 'mean_income = int(households["monthly_income_rub"].mean())',
        "q2_benefit_rate_answer": "benefit_rate = dict(Central=0.25, Dzerzhinsky=0.75, Krasnooktyabrsky=0.75)",
        "q3_low_income_answer": RIGHT["q3_low_income_answer"].replace(
            "low_income_share = len(low_income) / len(households)",
            "import numpy as np\nlow_income_share = np.float64(7) / 12",
        ),
    },
    "s_later_overwrite": {
        **RIGHT,
        "q2_benefit_rate_answer": RIGHT["q2_benefit_rate_answer"]
        + "\nbenefit_rate = benefit_rate.astype('category')",
        "q3_low_income_answer": RIGHT["q3_low_income_answer"]
        + "\nimport sys\nprint('checking', file=sys.stderr)\nmean_income = 0.0",
    },
    "s_runtime_error": {
        **RIGHT,
        "q1_mean_income_answer": "mean_income = households['no_such_column'].mean()",
    },
}


def _nbgrader(root: Path, *args: str) -> None:
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}")
    subprocess.run(
        [str(BIN / "nbgrader"), *args],
        cwd=root,
        env=env,
        check=True,
        capture_output=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def nbgrader_course(tmp_path_factory) -> Path:
    """An nbgrader course with the fixture released and the honest submissions autograded."""
    root = tmp_path_factory.mktemp("nbgrader_course")
    (root / "nbgrader_config.py").write_text(
        "c = get_config()\nc.CourseDirectory.course_id = 'fixture'\nc.Execute.timeout = 30\n"
    )
    shutil.copytree(FIXTURE, root / "source" / "ex_fixture", ignore=shutil.ignore_patterns("*.md"))
    _nbgrader(root, "generate_assignment", "ex_fixture", "--force")
    released = nbformat.read(root / "release" / "ex_fixture" / "ex_fixture.ipynb", as_version=4)
    for student, answers in HONEST.items():
        nb = nbformat.from_dict(json.loads(json.dumps(released)))
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id in answers:
                cell.source = answers[grade_id]
        folder = root / "submitted" / student / "ex_fixture"
        shutil.copytree(root / "release" / "ex_fixture", folder)
        nbformat.write(nb, folder / "ex_fixture.ipynb")
    _nbgrader(root, "autograde", "ex_fixture", "--create", "--force")
    return root


def _nbgrader_scores(root: Path, student: str) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        notebook = gradebook.find_submission_notebook("ex_fixture", "ex_fixture", student)
        return {g.name: float(g.auto_score) for g in notebook.grades if g.cell_type == "code"}


def _task(root: Path, student: str, **limits: float) -> GradeTask:
    return GradeTask(
        student=student,
        assignment="ex_fixture",
        notebook="ex_fixture.ipynb",
        submission_path=str(root / "submitted" / student / "ex_fixture" / "ex_fixture.ipynb"),
        source_path=str(root / "source" / "ex_fixture" / "ex_fixture.ipynb"),
        data_dir=str(root / "source" / "ex_fixture" / "data"),
        limits=Limits(**limits),
    )


@pytest.mark.slow
@pytest.mark.parametrize("student", sorted(HONEST))
def test_honest_submission_scores_exactly_as_nbgrader(nbgrader_course: Path, student: str) -> None:
    expected = _nbgrader_scores(nbgrader_course, student)
    result = grade(_task(nbgrader_course, student))
    ours = {g.grade_id: g.score for g in result.grades if g.cell_type == "autograded_test"}
    assert result.status == "graded"
    assert ours == expected
    assert set(ours) == set(FULL)


@pytest.mark.slow
def test_nbgrader_agrees_on_the_known_scores(nbgrader_course: Path) -> None:
    """Pin the comparison itself: the honest variants cover full, zero and partial scores."""
    assert _nbgrader_scores(nbgrader_course, "s_full") == FULL
    assert _nbgrader_scores(nbgrader_course, "s_blank") == dict.fromkeys(FULL, 0.0)
    assert _nbgrader_scores(nbgrader_course, "s_partial") == {
        **FULL,
        "q2_benefit_rate": 0.0,
        "q3_low_income": 0.0,
    }
    assert _nbgrader_scores(nbgrader_course, "s_types") == {
        **dict.fromkeys(FULL, 0.0),
        "q3_low_income": 3.0,
    }


def test_result_shape_graded_notebook_and_pickling(tmp_path: Path) -> None:
    notebook = nbformat.read(FIXTURE / "ex_fixture.ipynb", as_version=4)
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "q1_mean_income_answer":
            cell.source = "mean_income = 1.0"
    course = make_course(tmp_path / "course", nbformat.writes(notebook).encode())
    task = course.task(Limits())
    result = grade(task)
    assert isinstance(result, GradeResult) and result.task == task
    assert pickle.loads(pickle.dumps(result)) == result
    assert [(g.grade_id, g.score, g.max_score, g.cell_type) for g in result.grades] == [
        ("q1_mean_income", 0.0, 2.0, "autograded_test"),
        ("q2_benefit_rate", 2.0, 2.0, "autograded_test"),
        ("q3_low_income", 3.0, 3.0, "autograded_test"),
        ("w1_targeting_reflection", 0.0, 2.0, "manual"),
    ]
    assert result.grades[0].reason == "test failed (AssertionError)"
    graded = nbformat.reads(result.graded_notebook, as_version=4)
    nbformat.validate(graded)
    by_id = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in graded.cells}
    q1 = by_id["q1_mean_income"]
    assert "### BEGIN HIDDEN TESTS" in q1.source  # the trusted source; the pipeline strips it
    error = q1.outputs[-1]
    assert error.output_type == "error" and error.ename == "AssertionError"
    assert not any("isclose" in line for line in error.traceback)  # no hidden test code leaks
    assert by_id["q1_mean_income_answer"].source == "mean_income = 1.0"
    assert by_id["q2_benefit_rate"].outputs == []
    assert by_id["w1_targeting_reflection"].source.startswith("Household H09")
    assert by_id["q3_low_income"].metadata.nbgrader["points"] == 3


def test_unusable_submission_fails_without_leaking_solutions(tmp_path: Path) -> None:
    course = make_course(tmp_path / "course", b"\x89PNG\r\n\x1a\n not a notebook")
    result = grade(course.task(Limits()))
    assert result.status == "failed"
    assert [g.score for g in result.grades] == [0.0, 0.0, 0.0, 0.0]
    assert "not valid notebook JSON" in result.reasons[0]
    assert "BEGIN SOLUTION" not in result.graded_notebook
    assert "Household H09" not in result.graded_notebook  # the model answer of the written task


def test_setup_errors_raise(tmp_path: Path) -> None:
    course = make_course(tmp_path / "course", b"{}")
    task = course.task(Limits())
    with pytest.raises(FileNotFoundError):
        grade(GradeTask(**{**task.__dict__, "data_dir": str(tmp_path / "nowhere")}))
