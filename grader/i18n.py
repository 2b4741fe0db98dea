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

import ast
import io
import json
import logging
import re
import shutil
import tokenize
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from grader.course import atomic_write_text
from grader.errors import GraderError
from grader.release import find_exercises

log = logging.getLogger(__name__)

TRANSLATED = ("ru",)
# Calls whose string arguments a learner reads, and keyword arguments that label a widget or chart.
_SHOWN_CALLS = {"print", "Markdown", "HTML", "Label"}
_LABEL_KWARGS = {"description", "title", "label", "xlabel", "ylabel", "placeholder", "tooltip"}
_HIDDEN = re.compile(
    r"^[ \t]*### BEGIN (SOLUTION|HIDDEN TESTS)[^\n]*\n.*?^[ \t]*### END (SOLUTION|HIDDEN TESTS)",
    re.S | re.M,
)
_BLANK = re.compile(r"(\n[ \t]*\n)")
_ONLY_TAGS = re.compile(r"\s*(<[^>]+>\s*)+")
_LETTER = re.compile(r"[A-Za-z]")
_COMMENT = re.compile(r"^(\s*#+\s?)(.*)$")


@dataclass(frozen=True)
class Message:
    text: str
    where: str  # grade id of the cell, or "cell <n>"


def catalogue_path(folder: Path, lang: str) -> Path:
    return folder / "i18n" / f"{lang}.po"


def _where(cell, index: int) -> str:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or f"cell {index}"


def _is_answer_text(cell) -> bool:
    # A written task's cell holds the model answer in the source; learners get an empty cell.
    return cell.cell_type == "markdown" and cell.metadata.get("nbgrader", {}).get("solution", False)


def _markdown_blocks(text: str) -> list[tuple[str, bool]]:
    """The cell split at blank lines (fenced code kept whole); each part with 'translatable?'."""
    parts, fence = [], False
    for part in _BLANK.split(text):
        if parts and fence:
            parts[-1] = (parts[-1][0] + part, False)
        else:
            parts.append((part, False))
        fence ^= part.count("```") % 2 == 1
    return [(p, _translatable(p)) for p, _ in parts]


def _translatable(part: str) -> bool:
    return not (_BLANK.fullmatch(part) or "```" in part or _ONLY_TAGS.fullmatch(part)) and bool(
        _LETTER.search(part)
    )


def _visible_spans(source: str) -> list[tuple[int, int]]:
    """Character ranges of a code cell that the learner sees (outside solutions/hidden tests)."""
    spans, start = [], 0
    for m in _HIDDEN.finditer(source):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(source)))
    return spans


def _offsets(source: str) -> list[int]:
    starts, pos = [0], 0
    for line in source.splitlines(keepends=True):
        pos += len(line)
        starts.append(pos)
    return starts


def _code_edits(source: str) -> list[tuple[int, int, str, str]]:
    """(start, end, English text, kind) of the comments and shown strings of a code cell."""
    spans = _visible_spans(source)
    visible = lambda a, b: any(s <= a and b <= e for s, e in spans)  # noqa: E731
    starts = _offsets(source)
    found: list[tuple[int, int, str, str]] = []
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        tokens = []
    for tok in tokens:
        if tok.type != tokenize.COMMENT or tok.string.startswith("###"):
            continue
        a = starts[tok.start[0] - 1] + tok.start[1]
        b = a + len(tok.string)
        text = _COMMENT.match(tok.string).group(2).strip()
        if visible(a, b) and _LETTER.search(text) and not text.startswith(("noqa", "type:")):
            found.append((a, b, text, "comment"))
    # IPython magics are no Python: blank them (same length keeps every offset).
    masked = "\n".join(
        " " * len(ln) if ln.lstrip()[:1] in "%!" and ln.strip() else ln for ln in source.split("\n")
    )
    try:
        tree = ast.parse(masked)
    except SyntaxError:
        return found
    lines = source.splitlines(keepends=True)

    def pos(line: int, col_bytes: int) -> int:  # ast columns count UTF-8 bytes
        return starts[line - 1] + len(lines[line - 1].encode()[:col_bytes].decode())

    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        strings = [a for a in node.args if name in _SHOWN_CALLS]
        strings += [k.value for k in node.keywords if k.arg in _LABEL_KWARGS]
        if name == "that" and len(node.args) >= 2 and not any(k.arg == "ru" for k in node.keywords):
            strings.append(node.args[1])
        for s in strings:
            if isinstance(s, ast.Constant) and isinstance(s.value, str) and _LETTER.search(s.value):
                a, b = pos(s.lineno, s.col_offset), pos(s.end_lineno, s.end_col_offset)
                if visible(a, b):
                    found.append((a, b, s.value, "string"))
    return sorted(found)


def messages(nb: nbformat.NotebookNode) -> list[Message]:
    """The learner-facing messages of a source notebook, in reading order, without repeats."""
    out: dict[str, Message] = {}
    for index, cell in enumerate(nb.cells):
        where = _where(cell, index)
        if cell.cell_type == "markdown" and not _is_answer_text(cell):
            texts = [p.strip() for p, ok in _markdown_blocks(cell.source) if ok]
        elif cell.cell_type == "code":
            texts = [text for _, _, text, _ in _code_edits(cell.source)]
        else:
            texts = []
        for text in texts:
            out.setdefault(text, Message(text, where))
    return list(out.values())


def localise(nb: nbformat.NotebookNode, catalog: Catalog) -> tuple[nbformat.NotebookNode, int]:
    """A copy of ``nb`` with every translated message swapped in (fuzzy ones are not used).

    Returns the notebook and the number of messages left in English.
    """
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    missing = 0

    def tr(text: str) -> str | None:
        nonlocal missing
        entry = catalog.get(text)
        if entry is None or not entry.string or entry.fuzzy:
            missing += 1
            return None
        return entry.string

    for cell in nb.cells:
        if cell.cell_type == "markdown" and not _is_answer_text(cell):
            out = []
            for part, ok in _markdown_blocks(cell.source):
                new = tr(part.strip()) if ok else None
                out.append(part.replace(part.strip(), new, 1) if new else part)
            cell.source = "".join(out)
        elif cell.cell_type == "code":
            source = cell.source
            for a, b, text, kind in reversed(_code_edits(source)):
                new = tr(text)
                if new is None:
                    continue
                if kind == "string":
                    new = json.dumps(new, ensure_ascii=False)  # a valid Python literal
                else:
                    prefix = _COMMENT.match(source[a:b]).group(1).lstrip()
                    indent = "\n" + " " * (a - source.rfind("\n", 0, a) - 1)
                    new = indent.join(prefix + ln for ln in new.split("\n"))
                source = source[:a] + new + source[b:]
            cell.source = source
    return nb, missing


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
