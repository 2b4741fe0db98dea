"""Fixtures for the grader pipeline tests.

The exercise under test is a parameter: ``GRADER_TEST_EXERCISE=path/to/<id>`` (with
``GRADER_TEST_DATASETS=dir``) points every pipeline test at another exercise folder, e.g.
e.g. the synthetic ``tests/fixtures/exercises/ex_fixture``; by default the real course exercise
``exercises/ex03_intersector_dialogue``.
Submissions are SYNTHETIC test fixtures derived from that exercise's own source notebook,
so expected scores follow from its metadata and need no hand-written answers.
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"

if str(REPO) not in sys.path:  # worker processes unpickle tasks by module path
    sys.path.insert(0, str(REPO))

from testkit.cohort import (  # noqa: E402 - after the path set-up above
    COHORT,
    GRADED_STAMP,
    ExerciseUnderTest,
    exercise_from_env,
    make_submission,
    put_submissions,
)


@pytest.fixture(scope="session")
def exercise() -> ExerciseUnderTest:
    """The exercise the pipeline tests run on (see module docstring)."""
    return exercise_from_env()


@pytest.fixture(scope="session")
def mini_exercise() -> ExerciseUnderTest:
    """Tiny synthetic exercise of this test folder (one written task, two tests)."""
    return ExerciseUnderTest(FIXTURES / "exercises" / "ex_mini", FIXTURES / "datasets")


@pytest.fixture(scope="session")
def _released_template(tmp_path_factory, exercise) -> Path:
    from grader import release

    course = tmp_path_factory.mktemp("template") / "course"
    release.main(
        assignments=[exercise.id],
        course=course,
        exercises=exercise.exercises,
        datasets=exercise.datasets,
    )
    return course


@pytest.fixture
def course(tmp_path, _released_template) -> Path:
    """A freshly released course directory (a copy, so tests may change it)."""
    dest = tmp_path / "course"
    shutil.copytree(_released_template, dest)
    return dest


# --- synthetic submissions ------------------------------------------------------------------


@pytest.fixture
def cohort(exercise) -> dict[str, tuple[str, dict[str, float | None]]]:
    """Student id -> (notebook text, expected score per grade id)."""
    return {student: make_submission(exercise, kind) for student, kind in COHORT.items()}


@pytest.fixture(scope="session")
def _graded_template(tmp_path_factory, _released_template, exercise) -> Path:
    from grader import autograde

    course = tmp_path_factory.mktemp("graded") / "course"
    shutil.copytree(_released_template, course)
    subs = {s: make_submission(exercise, kind)[0] for s, kind in COHORT.items()}
    put_submissions(course, exercise.id, subs, GRADED_STAMP)
    autograde.main(assignment=exercise.id, course=course, workers=2)
    return course


@pytest.fixture
def graded_course(tmp_path, _graded_template) -> Path:
    """A course whose COHORT submissions are already autograded (a copy per test)."""
    dest = tmp_path / "graded"
    shutil.copytree(_graded_template, dest)
    return dest


@pytest.fixture
def utc(monkeypatch):
    """This process's local time zone set to UTC for one test, then restored."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
