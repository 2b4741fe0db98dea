"""The learner-facing text of an exercise notebook: find it (:func:`messages`) and swap in its
translation (:func:`localise`), touching nothing a test reads. Used by :mod:`grader.i18n`.

Markdown cells are split into paragraphs (fenced code kept whole, the written task's model answer
skipped); code cells give their comments (``tokenize``) and the strings a learner sees (``ast``:
``print`` arguments, widget/chart label keywords, ``check.that`` sentences without ``ru=``,
one-line f-strings), only outside solution and hidden-test blocks.
"""

from __future__ import annotations

import ast
import io
import json
import re
import tokenize
from dataclasses import dataclass

import nbformat
from babel.messages.catalog import Catalog

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
# one f-string on one line (not triple-quoted, not implicitly joined, no backslash)
_FSTRING = re.compile(r"([fF][rR]?|[rR][fF])(['\"])((?:(?!\2)[^\n\\])*)\2")
_FIELD = re.compile(r"\{[^{}]*\}")


@dataclass(frozen=True)
class Message:
    text: str
    where: str  # grade id of the cell, or "cell <n>"


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
            elif isinstance(s, ast.JoinedStr):
                # An f-string: the message is its text with the {fields} as written.
                a, b = pos(s.lineno, s.col_offset), pos(s.end_lineno, s.end_col_offset)
                literal = _FSTRING.fullmatch(source[a:b])
                if literal and visible(a, b) and _LETTER.search(literal.group(3)):
                    a2 = a + len(literal.group(1)) + len(literal.group(2))
                    found.append((a2, a2 + len(literal.group(3)), literal.group(3), "fstring"))
    return sorted(found)


def _fstring_ok(english: str, translated: str, quote: str) -> bool:
    """A translated f-string keeps every {field} and cannot close its own quotes."""
    fields = sorted(_FIELD.findall(english)) == sorted(_FIELD.findall(translated))
    return fields and quote not in translated and "\n" not in translated


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
                elif kind == "fstring":
                    if not _fstring_ok(text, new, source[a - 1]):
                        missing += 1
                        continue
                else:
                    prefix = _COMMENT.match(source[a:b]).group(1).lstrip()
                    indent = "\n" + " " * (a - source.rfind("\n", 0, a) - 1)
                    new = indent.join(prefix + ln for ln in new.split("\n"))
                source = source[:a] + new + source[b:]
            cell.source = source
    return nb, missing
