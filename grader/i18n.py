"""``i18n``: the exercises in other languages, from one source notebook and a gettext catalogue.

The English nbgrader source ``exercises/<id>/<id>.ipynb`` stays the only notebook. The strings a
learner reads (markdown paragraphs, code comments, ``print``/widget label strings, ``check.that``
messages without their own ``ru=``) are messages of ``exercises/<id>/i18n/<lang>.po``. At release
(``grader release --lang ru``) :func:`localise` swaps them into a copy of the source before
nbgrader's ``generate_assignment``, so grade ids, points, solutions and (hidden) tests are the very
same cells: only text that no test reads changes. Solution regions, hidden tests and written-answer
cells are never messages (learners never see them).

Verbs: ``python -m grader i18n update`` (extract the messages and merge them into each catalogue:
new ones empty, changed ones ``#, fuzzy`` with the previous English kept), ``status`` (per exercise
translated / total and every missing, fuzzy message), ``extract`` (write ``i18n/messages.pot``).
"""

from __future__ import annotations

import io
import logging
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from grader.course import atomic_write_text
from grader.errors import GraderError
from grader.i18n_notebook import localise, messages
from grader.release import find_exercises

log = logging.getLogger(__name__)

TRANSLATED = ("ru",)


def catalogue_path(folder: Path, lang: str) -> Path:
    return folder / "i18n" / f"{lang}.po"


def template(folder: Path) -> Catalog:
    """The message template (``.pot``) of one exercise, from its source notebook."""
    notebook = folder / f"{folder.name}.ipynb"
    try:
        nb = nbformat.read(notebook, as_version=4)
    except Exception as exc:  # nbformat raises several unrelated types for a bad file
        raise GraderError(f"{notebook} is not a readable notebook: {exc}") from None
    catalog = Catalog(project=folder.name, charset="utf-8", fuzzy=False)
    for index, m in enumerate(messages(nb), 1):
        catalog.add(m.text, locations=[(notebook.name, index)], auto_comments=[m.where])
    return catalog


def read_catalogue(path: Path, lang: str) -> Catalog:
    if not path.is_file():
        return Catalog(locale=lang, charset="utf-8", fuzzy=False)
    try:
        with path.open("rb") as fh:
            return read_po(fh, locale=lang)
    except Exception as exc:  # babel's parse errors have no common type
        raise GraderError(f"{path} is not a readable .po catalogue: {exc}") from None


def _write(path: Path, catalog: Catalog, **kw) -> None:
    buf = io.BytesIO()
    write_po(buf, catalog, width=0, sort_output=False, **kw)
    atomic_write_text(path, buf.getvalue().decode("utf-8"))


@dataclass
class Status:
    exercise: str
    total: int
    translated: int
    missing: list[str] = field(default_factory=list)
    fuzzy: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.missing and not self.fuzzy

    def lines(self) -> list[str]:
        head = f"{self.exercise}: {self.translated}/{self.total} messages translated"
        return (
            [head]
            + [f"  missing: {m[:70]!r}" for m in self.missing]
            + [f"  fuzzy (English changed): {m[:70]!r}" for m in self.fuzzy]
        )


def status(folder: Path, lang: str) -> Status:
    """How far the ``lang`` catalogue of an exercise is from its current English source."""
    pot = template(folder)
    po = read_catalogue(catalogue_path(folder, lang), lang)
    result = Status(folder.name, total=len(pot), translated=0)
    for msg in pot:
        if not msg.id:
            continue
        entry = po.get(msg.id)
        if entry is None or not entry.string:
            result.missing.append(msg.id)
        elif entry.fuzzy:
            result.fuzzy.append(msg.id)
        else:
            result.translated += 1
    return result


@dataclass
class Result:
    lines_: list[str]
    exit_status: int = 0

    def lines(self) -> list[str]:
        return self.lines_


def main(
    *,
    action: str,
    assignments: Sequence[str] = (),
    exercises: Path = Path("exercises"),
    lang: str = "ru",
) -> Result:
    if lang not in TRANSLATED:
        raise GraderError(f"no catalogues for {lang!r}: choose one of {', '.join(TRANSLATED)}")
    ids = list(assignments) or find_exercises(exercises)
    folders = [exercises / i for i in ids]
    for folder in folders:
        if not (folder / f"{folder.name}.ipynb").is_file():
            raise GraderError(f"unknown exercise {folder.name!r}: no {folder}/{folder.name}.ipynb")
    lines, unclean = [], 0
    for folder in folders:
        pot = template(folder)
        if action == "extract":
            _write(folder / "i18n" / "messages.pot", pot, omit_header=True)
            lines.append(
                f"{folder.name}: {len(pot)} messages -> {folder / 'i18n' / 'messages.pot'}"
            )
            continue
        if action == "update":
            path = catalogue_path(folder, lang)
            po = read_catalogue(path, lang)
            po.update(pot, update_creation_date=False)
            po.obsolete.clear()  # a removed English text needs no translation any more
            po.project, po.version = folder.name, ""
            po.header_comment = (
                f"# Russian learner-facing text of exercise {folder.name}, one message per paragraph,\n"
                f"# comment or label of {folder.name}.ipynb. Update: python -m grader i18n update"
            )
            _write(path, po, include_previous=True)
        st = status(folder, lang)
        unclean += not st.clean
        lines += st.lines() if action == "status" else st.lines()[:1]
    return Result(lines, exit_status=1 if action == "status" and unclean else 0)


def prepare_source(stage: Path, ex_id: str, lang: str) -> int:
    """Make a staged copy of ``exercises/<id>/`` the ``lang`` source of a release.

    The catalogues never reach learners; in ``lang`` other than English the notebook gets the
    catalogue's messages and ``rubric.<lang>.md`` becomes the course's ``rubric.md``. Returns
    the number of messages still in English (logged: a pending translation is released as is).
    """
    catalogue = read_catalogue(catalogue_path(stage, lang), lang) if lang != "en" else None
    translated_rubric = stage / f"rubric.{lang}.md"
    if lang != "en" and translated_rubric.is_file():
        translated_rubric.replace(stage / "rubric.md")
    for extra in stage.glob("rubric.*.md"):
        extra.unlink()  # only rubric.md is kept out of the learners' release by nbgrader
    shutil.rmtree(stage / "i18n", ignore_errors=True)
    if catalogue is None:
        return 0
    notebook = stage / f"{ex_id}.ipynb"
    nb, missing = localise(nbformat.read(notebook, as_version=4), catalogue)
    nbformat.write(nb, notebook)
    if missing:
        log.warning(
            "%s: %d messages have no %s translation; released in English", ex_id, missing, lang
        )
    return missing
