"""``release``: build the nbgrader course directory from ``exercises/`` and the datasets.

For each exercise: ``exercises/<id>/`` is copied to ``source/<id>/`` together with the
CSV files its notebook metadata lists under ``course.datasets`` (into ``data/``), then
nbgrader's ``generate_assignment`` makes ``release/<id>/`` (student notebook + ``data/``)
and registers the assignment's cells in the gradebook. A zip of the released folder is
written to ``downloads/<id>.zip`` for learners who work in a local Jupyter. The kind-check
helper ``coursecheck`` goes beside every notebook as ``coursecheck.py`` so the visible checks
import in the learner's own kernel, with its message language set by ``lang``.
"""

from __future__ import annotations

import logging
import re
import shutil
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import coursecheck
import nbformat

from grader.course import (
    TRAINER_SETTINGS_MARKER,
    Course,
    _configured,
    atomic_write_text,
    staged_dir,
    write_config,
)
from grader.errors import GraderError
from grader.gradebook import open_gradebook

log = logging.getLogger(__name__)

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_SKIP = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*.pyc", ".*")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed, so an unchanged exercise gives a byte-identical zip
LANGUAGES = ("en", "ru")
DEFAULT_LANG = "en"  # language of coursecheck's messages in the released copies
_LANG_LINE = re.compile(r'^DEFAULT_LANG = "[a-z]+"', re.MULTILINE)
_COURSE_LANG = re.compile(r"^\s*c\.Course\.lang\s*=")


@dataclass(frozen=True)
class Exercise:
    """An exercise folder checked against the exercise contract's file layout."""

    id: str
    folder: Path
    notebook: Path
    datasets: tuple[Path, ...]


def find_exercises(exercises: Path) -> list[str]:
    """Ids of the exercise folders under ``exercises`` (those holding ``<id>/<id>.ipynb``)."""
    if not exercises.is_dir():
        raise GraderError(f"exercises directory {exercises} does not exist (pass --exercises DIR)")
    return sorted(p.name for p in exercises.iterdir() if (p / f"{p.name}.ipynb").is_file())


def load_exercise(folder: Path, datasets: Path) -> Exercise:
    """Check that ``folder`` is a well-formed exercise and that its datasets exist.

    Raises:
        GraderError: with a precise message naming the missing or malformed piece.
    """
    ex_id = folder.name
    notebook = folder / f"{ex_id}.ipynb"
    if not _ID.match(ex_id):
        raise GraderError(f"exercise id {ex_id!r} may use only letters, digits, '_' and '-'")
    if not folder.is_dir():
        raise GraderError(f"unknown exercise {ex_id!r}: {folder} does not exist")
    if not notebook.is_file():
        raise GraderError(f"exercise {ex_id!r} has no notebook {notebook}")
    try:
        nb = nbformat.read(notebook, as_version=4)
    except Exception as exc:  # nbformat raises several unrelated types for a bad file
        raise GraderError(f"{notebook} is not a readable notebook: {exc}") from None
    names = nb.metadata.get("course", {}).get("datasets", [])
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise GraderError(f"{notebook}: metadata course.datasets must be a list of file names")
    files = []
    for name in names:
        path = datasets / name
        if Path(name).name != name or not path.is_file():
            raise GraderError(f"{notebook} needs dataset {name!r}, not found in {datasets}")
        files.append(path)
    return Exercise(id=ex_id, folder=folder, notebook=notebook, datasets=tuple(files))


def main(
    *,
    assignments: Sequence[str] = (),
    course: Path = Path("course"),
    exercises: Path = Path("exercises"),
    datasets: Path = Path("datasets"),
    db: str | None = None,
    course_id: str | None = None,
    lang: str | None = None,
) -> list[str]:
    """Release the given exercises (all of them when none are named).

    ``lang`` (``en`` or ``ru``; default: the course's ``c.Course.lang``, else English) is the
    language of the student notebooks: ``ru`` applies ``exercises/<id>/i18n/ru.po`` to a copy of
    the source (:mod:`grader.i18n`), sets coursecheck's messages to Russian, puts
    ``rubric.ru.md`` in the course's source as ``rubric.md``, and is recorded as ``c.Course.lang``.

    ``course_id`` names the course for nbgrader's exchange (default: the one already in the
    course's nbgrader_config.py, else nbgrader's ``default_course``).

    Returns:
        The released assignment ids.

    Raises:
        GraderError: an exercise or dataset is missing or malformed, the gradebook cannot
            be reached, or nbgrader rejects the notebook. Inputs are all checked before
            anything is written.
    """
    lang = lang or _configured(Path(course), "Course", "lang") or DEFAULT_LANG
    if lang not in LANGUAGES:
        raise GraderError(f"unknown language {lang!r}: choose one of {', '.join(LANGUAGES)}")
    ids = list(assignments) or find_exercises(exercises)
    if not ids:
        log.warning("no exercises found in %s; nothing to release", exercises)
        return []
    plans = [load_exercise(exercises / ex_id, datasets) for ex_id in ids]
    created = not Path(course).exists()
    target = Course.open(course, db=db, create=True, course_id=course_id)
    try:
        with open_gradebook(target.db_url, target.course_id):
            pass  # fail on an unreachable database before writing anything
    except GraderError:
        if created:
            shutil.rmtree(target.root, ignore_errors=True)
        raise
    write_config(target, db_explicit=db is not None)
    _record_lang(target, lang)
    helper = coursecheck_source(lang)
    for plan in plans:
        _release_one(target, plan, helper, lang)
        log.info("released %s -> %s", plan.id, target.release_dir(plan.id))
    return ids


def coursecheck_source(lang: str = DEFAULT_LANG) -> str:
    """The text of ``coursecheck.py`` for a released exercise, its messages in ``lang``."""
    text = Path(coursecheck.__file__).read_text(encoding="utf-8")
    patched, count = _LANG_LINE.subn(f'DEFAULT_LANG = "{lang}"', text, count=1)
    if count != 1:  # the release would silently ship English to a Russian course otherwise
        raise GraderError("coursecheck has no DEFAULT_LANG line to set the language")
    return patched


def _record_lang(course: Course, lang: str) -> None:
    """``c.Course.lang`` in nbgrader_config.py (read by report, feedback, a later release)."""
    path = course.root / "nbgrader_config.py"
    lines = [ln for ln in path.read_text().splitlines() if not _COURSE_LANG.match(ln)]
    at = lines.index(TRAINER_SETTINGS_MARKER) if TRAINER_SETTINGS_MARKER in lines else len(lines)
    lines.insert(at, f"c.Course.lang = {lang!r}  # set by `grader release --lang`")
    atomic_write_text(path, "\n".join(lines) + "\n")


def _release_one(course: Course, ex: Exercise, helper: str, lang: str = DEFAULT_LANG) -> None:
    with staged_dir(course.source_dir(ex.id)) as stage:
        shutil.copytree(ex.folder, stage, ignore=_SKIP, dirs_exist_ok=True)
        from grader import i18n  # imports this module: not at the top

        i18n.prepare_source(stage, ex.id, lang)
        # nbgrader copies every file of the source folder into the release
        (stage / "coursecheck.py").write_text(helper, encoding="utf-8")
        if ex.datasets:
            (stage / "data").mkdir(exist_ok=True)
            for path in ex.datasets:
                shutil.copy2(path, stage / "data" / path.name)
    _generate(course, ex.id)
    _zip_release(course, ex.id)


class _Capture(logging.Handler):
    """Keeps nbgrader's log lines so a failure can be told in one line."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.extend(self.format(record).splitlines())


def _generate(course: Course, assignment: str) -> None:
    """Run nbgrader's generate_assignment in-process and turn its failure into one line."""
    from nbgrader.converters import GenerateAssignment
    from nbgrader.converters.base import NbGraderException

    coursedir = course.nbgrader_coursedir()
    coursedir.assignment_id = assignment
    nb_log = logging.getLogger("grader.nbgrader")
    capture = _Capture()
    nb_log.addHandler(capture)
    app = GenerateAssignment(coursedir=coursedir, log=nb_log)
    app.force = True
    try:
        app.start()
    except NbGraderException:
        errors = [ln for ln in capture.lines if re.match(r"^[\w.]+(Error|Exception): ", ln)]
        reason = errors[-1] if errors else (capture.lines or ["see the log (-v)"])[0]
        raise GraderError(
            f"nbgrader generate_assignment failed for {assignment}: {reason}"
        ) from None
    finally:
        nb_log.removeHandler(capture)


def _zip_release(course: Course, assignment: str) -> None:
    release = course.release_dir(assignment)
    out = course.root / "downloads" / f"{assignment}.zip"
    out.parent.mkdir(exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(p for p in release.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"{assignment}/{path.relative_to(release)}", _ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes())
    tmp.replace(out)
