"""The Russian release of the exercises (issue 14): one source notebook, one catalogue per exercise.

- Drift: every message of an exercise not listed in ``exercises/PENDING_RU.txt`` has a Russian
  translation that is neither missing nor fuzzy, for the English as it is now (a changed English
  text is a new message, so its old translation no longer counts).
- The Russian source made at release (catalogue applied to a copy) passes ``grader check``, keeps
  every grade id, point, solution and hidden test of the English, and leaves no message in English.
- A Russian and an English submission with the same answers get the same scores through the real
  release / autograde pipeline, also when an English notebook is handed in to the Russian course.
"""

from __future__ import annotations

import os
import re
import shutil
import warnings
from pathlib import Path

import nbformat
import pytest

from grader import i18n
from grader.check import check_exercise

REPO = Path(__file__).resolve().parents[2]
EXERCISES = REPO / "exercises"
IDS = sorted(p.name for p in EXERCISES.iterdir() if (p / f"{p.name}.ipynb").is_file())
PENDING = EXERCISES / "PENDING_RU.txt"
SOLUTION_OR_HIDDEN = re.compile(r"### BEGIN (SOLUTION|HIDDEN TESTS).*?### END \1", re.S)


def pending() -> list[str]:
    if not PENDING.is_file():
        return []
    lines = PENDING.read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]


def _russian_source(tmp_path: Path, ex_id: str) -> Path:
    """What ``release --lang ru`` puts in the course's ``source/<id>/``, made the same way."""
    stage = tmp_path / ex_id
    shutil.copytree(EXERCISES / ex_id, stage)
    i18n.prepare_source(stage, ex_id, "ru")
    return stage


def test_catalogues_are_in_step_with_the_english():
    statuses = {ex_id: i18n.status(EXERCISES / ex_id, "ru") for ex_id in IDS}
    waiting = pending()
    if waiting:  # shown in pytest's warnings summary on every run, so the work stays visible
        warnings.warn(
            "Russian exercises still pending (exercises/PENDING_RU.txt):\n"
            + "\n".join(statuses[i].lines()[0] for i in waiting if i in statuses),
            stacklevel=1,
        )
    problems = [
        line for ex_id, st in statuses.items() if ex_id not in waiting for line in st.lines()[1:]
    ]
    assert problems == [], "Russian catalogues out of step with the English:\n" + "\n".join(
        problems
    )


def test_pending_list_names_only_unfinished_exercises():
    listed = pending()
    assert [i for i in listed if i not in IDS] == [], "PENDING_RU.txt names unknown exercises"
    finished = [i for i in listed if i18n.status(EXERCISES / i, "ru").clean]
    assert finished == [], f"fully translated, delete from PENDING_RU.txt: {finished}"


def test_messages_are_learner_text_only():
    # Solutions, hidden tests, grade ids and code are never messages.
    nb = nbformat.read(EXERCISES / "ex00_npm_values" / "ex00_npm_values.ipynb", as_version=4)
    texts = [m.text for m in i18n.messages(nb)]
    assert "Question" in texts  # the widget's label
    assert not any("BEGIN" in t or "assert" in t or "criteria = " in t for t in texts)
    assert not any("Model answer" in t for t in texts)  # the written task's model answer


def test_release_records_the_cohort_language(tmp_path, monkeypatch):
    # report, feedback and a later `release` without --lang read c.Course.lang
    from grader import labels, release
    from grader.course import Course, _configured, write_config

    monkeypatch.delenv("COURSE_LANG", raising=False)
    course = Course.open(tmp_path / "course", create=True)
    write_config(course, db_explicit=False)
    assert labels.language(course.root) == "en"
    release._record_lang(course, "ru")
    write_config(course, db_explicit=False)  # what the next release does first
    assert _configured(course.root, "Course", "lang") is None  # the header is rewritten...
    release._record_lang(course, "ru")  # ...and the language recorded again
    assert labels.language(course.root) == "ru"
    assert (course.root / "nbgrader_config.py").read_text().count("c.Course.lang") == 1


@pytest.mark.parametrize("ex_id", IDS)
def test_russian_source_keeps_every_graded_cell(tmp_path, ex_id):
    english = nbformat.read(EXERCISES / ex_id / f"{ex_id}.ipynb", as_version=4)
    stage = _russian_source(tmp_path, ex_id)
    russian = nbformat.read(stage / f"{ex_id}.ipynb", as_version=4)
    assert not (stage / "i18n").exists() and not list(stage.glob("rubric.*.md"))
    assert len(russian.cells) == len(english.cells)
    for en, ru in zip(english.cells, russian.cells, strict=True):
        assert (ru.cell_type, ru.metadata) == (en.cell_type, en.metadata)
        if en.cell_type == "code":
            hidden = [m.group(0) for m in SOLUTION_OR_HIDDEN.finditer(en.source)]
            assert [m.group(0) for m in SOLUTION_OR_HIDDEN.finditer(ru.source)] == hidden
        if en.metadata.get("nbgrader", {}).get("solution") and en.cell_type == "markdown":
            assert ru.source == en.source  # the model answer is not a message
    if ex_id not in pending():
        _, left = i18n.localise(
            english, i18n.read_catalogue(i18n.catalogue_path(EXERCISES / ex_id, "ru"), "ru")
        )
        assert left == 0
        assert (EXERCISES / ex_id / "rubric.ru.md").is_file(), "trainers get a Russian rubric"


@pytest.mark.slow
@pytest.mark.parametrize("ex_id", IDS)
def test_russian_release_passes_the_grader_check(tmp_path, ex_id, monkeypatch):
    monkeypatch.setenv("COURSE_LANG", "ru")
    assert check_exercise(_russian_source(tmp_path, ex_id)) == []


# One exercise through the whole pipeline (2-4 minutes); COURSE_SAME_SCORES=all (or a comma list)
# runs more.
_SAME = os.environ.get("COURSE_SAME_SCORES", "ex00_npm_values")
SAME_SCORES = IDS if _SAME == "all" else _SAME.split(",")


@pytest.mark.slow
@pytest.mark.parametrize("ex_id", SAME_SCORES)
def test_russian_and_english_submissions_get_the_same_scores(tmp_path, ex_id):
    from grader import autograde, release
    from testkit.cohort import (
        ExerciseUnderTest,
        gradebook_scores,
        make_submission,
        put_submissions,
    )

    english = ExerciseUnderTest(EXERCISES / ex_id, REPO / "datasets")
    russian = ExerciseUnderTest(_russian_source(tmp_path / "ru_source", ex_id), REPO / "datasets")
    stamp = "2026-12-01 10:00:00.000000 UTC"
    scores = {}
    for lang, ex in (("en", english), ("ru", russian)):
        course = tmp_path / f"course_{lang}"
        release.main(assignments=[ex_id], course=course, lang=lang)
        from grader.labels import language

        assert language(course) == lang  # recorded in the course's nbgrader_config.py
        released = nbformat.read(course / "release" / ex_id / f"{ex_id}.ipynb", as_version=4)
        assert released.cells[0].source == ex.source().cells[0].source  # the edition's own text
        subs = {kind: make_submission(ex, kind)[0] for kind in ("right", "partial", "blank")}
        if lang == "ru":  # a mixed cohort: an English notebook handed in to the Russian course
            subs["english_right"] = make_submission(english, "right")[0]
        put_submissions(course, ex_id, subs, stamp)
        autograde.main(assignment=ex_id, course=course, workers=1)
        scores[lang] = gradebook_scores(course, ex_id)
    expected = {kind: make_submission(english, kind)[1] for kind in ("right", "partial", "blank")}
    for kind, exp in expected.items():
        want = {gid: (score, score is None) for gid, score in exp.items()}
        assert scores["en"][kind] == want, kind
        assert scores["ru"][kind] == scores["en"][kind], kind
    assert scores["ru"]["english_right"] == scores["en"]["right"]


@pytest.fixture(scope="module")
def russian_release(tmp_path_factory) -> Path:
    from grader import release

    course = tmp_path_factory.mktemp("ru") / "course"
    release.main(course=course, lang="ru")
    return course / "release"


@pytest.mark.slow
@pytest.mark.parametrize("ex_id", IDS)
def test_russian_learner_gets_russian_check_sentences(russian_release, ex_id, monkeypatch):
    # The unanswered Russian notebook, run as a learner runs it: every check cell says one
    # Russian sentence (coursecheck's own, or a check.that sentence written in the cell).
    from coursecheck import MESSAGES
    from nbclient import NotebookClient

    from tests.exercises.test_friendly_checks import _is_test_cell, _pattern

    monkeypatch.delenv("COURSE_LANG", raising=False)  # the released coursecheck.py says "ru"
    friendly = re.compile("|".join(f"(?:{_pattern(t['ru'])})" for t in MESSAGES.values()))
    folder = russian_release / ex_id
    nb = nbformat.read(folder / f"{ex_id}.ipynb", as_version=4)
    client = NotebookClient(
        nb, timeout=120, allow_errors=True, resources={"metadata": {"path": str(folder)}}
    )
    client.execute()
    wrong = []
    for cell in filter(_is_test_cell, nb.cells):
        errors = [o for o in cell.outputs if o.output_type == "error"]
        sentence = errors[0].evalue if len(errors) == 1 else f"{len(errors)} errors"
        russian = friendly.fullmatch(sentence) or sentence in cell.source
        if not (russian and re.search("[А-Яа-яЁё]", sentence)):
            wrong.append(f"{cell.metadata.nbgrader['grade_id']}: {sentence!r}")
    assert wrong == []
