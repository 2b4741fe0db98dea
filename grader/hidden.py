"""Removing hidden tests from a graded notebook before a learner sees it (nbgrader#1363).

nbgrader's feedback renders the autograded notebook, which holds the hidden test code and
tracebacks quoting it. Here the hidden blocks are cut from the test cells' source, and
each test cell's outputs are reduced to what the visible checks say: a failing visible
check keeps its message as written (f-strings included: which line failed is read from the
trusted runner's traceback, not guessed from the text); anything raised by hidden code becomes
a neutral sentence. :func:`leaks` is the final guard run over the rendered page; it also looks
inside HTML entities, percent-encoding and base64 (data URIs), so an embedded file cannot
smuggle a hidden line past it.
"""

from __future__ import annotations

import base64
import binascii
import html
import re
import urllib.parse

import nbformat

BEGIN = "### BEGIN HIDDEN TESTS"
END = "### END HIDDEN TESTS"
PLACEHOLDER = "# (hidden tests are not shown)"
HIDDEN_FAILED = "A hidden check did not pass: compare your answer with the question once more."
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_MAX_MESSAGE = 300
# the trusted runner's frames for a test cell: File "<test cell q1>", line 3, in <module>
_TEST_FRAME = re.compile(r'  File "<test cell [^"\n]*>", line (\d+), in [^\n]*')
_BASE64 = re.compile(r"[A-Za-z0-9+/_-]{16,}={0,2}")
_TAG = re.compile(r"<[^>]*>")


def split_hidden(source: str) -> tuple[str, list[str]]:
    """The source without hidden blocks (one placeholder each) and the hidden lines.

    An unterminated block hides everything to the end of the cell.
    """
    visible: list[str] = []
    hidden: list[str] = []
    inside = False
    for line in source.splitlines():
        if BEGIN in line:
            inside = True
            visible.append(line[: line.index(BEGIN)] + PLACEHOLDER)
        elif END in line and inside:
            inside = False
        elif inside:
            hidden.append(line)
        else:
            visible.append(line)
    return "\n".join(visible), hidden


def secret_lines(source_nb: nbformat.NotebookNode) -> list[str]:
    """Hidden-test lines of the instructor notebook that never appear in its visible text.

    Lines that are also visible (``import math``) or too short to mean anything are not
    secrets; everything else must never reach a learner.
    """
    visible_text, hidden = [], []
    for cell in source_nb.cells:
        shown, secret = split_hidden(cell.source)
        visible_text.append(shown)
        hidden.extend(secret)
    everything_visible = "\n".join(visible_text)
    out = []
    for line in hidden:
        text = line.strip()
        if len(text) >= 8 and not text.startswith("#") and text not in everything_visible:
            out.append(text)
    return out


def _is_test(cell: nbformat.NotebookNode) -> bool:
    meta = cell.metadata.get("nbgrader", {})
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def hidden_line_numbers(source: str) -> set[int]:
    """1-based numbers of the lines of ``source`` inside hidden blocks (markers included)."""
    numbers, inside = set(), False
    for number, line in enumerate(source.splitlines(), start=1):
        if BEGIN in line:
            inside = True
        if inside:
            numbers.add(number)
        if END in line and inside:
            inside = False
    return numbers


def _failing_line(output) -> int | None:
    """The test-cell line the error was raised from (deepest test frame), if recorded."""
    # one frame per list item, matched whole: the exception message (learner data may be
    # quoted in it) is its own item and cannot pose as a frame
    found = [
        _TEST_FRAME.fullmatch(item)
        for item in output.get("traceback") or []
        if isinstance(item, str)
    ]
    numbers = [int(m[1]) for m in found if m]
    return numbers[-1] if numbers else None


def _clean_error(
    output,
    visible: str,
    secrets: list[str],
    full_source: str = "",
    hidden_text: str = "",
    hidden_failed: str = HIDDEN_FAILED,
) -> nbformat.NotebookNode:
    ename = _ANSI.sub("", str(output.get("ename", "Error")))
    evalue = _ANSI.sub("", str(output.get("evalue", ""))).strip()
    line = _failing_line(output)
    if line is not None and full_source:
        # the runner says which line raised: a visible line keeps its message as written
        in_visible = line not in hidden_line_numbers(full_source)
    else:
        in_visible = bool(evalue) and evalue in visible
    touches_secret = any(s in evalue or (evalue and evalue in s) for s in secrets)
    quoted = len(evalue) >= 8 and evalue in hidden_text and evalue not in visible
    touches_secret = touches_secret or quoted
    if not in_visible or touches_secret:
        ename, evalue = "HiddenTestFailed", hidden_failed
    text = f"{ename}: {evalue}"[:_MAX_MESSAGE] if evalue else ename
    # the traceback quotes source lines around the failure, hidden ones included: drop it
    return nbformat.v4.new_output(
        "error", ename=ename, evalue=evalue[:_MAX_MESSAGE], traceback=[text]
    )


def _clean_outputs(cell, visible: str, secrets: list[str], full_source: str, message: str) -> list:
    kept = []
    hidden_text = "\n".join(split_hidden(full_source)[1])
    for output in cell.get("outputs", []):
        if output.output_type == "error":
            kept.append(_clean_error(output, visible, secrets, full_source, hidden_text, message))
            continue
        if output.output_type == "stream":
            text = _ANSI.sub("", str(output.get("text", "")))
        else:
            text = str(output.get("data", {}).get("text/plain", ""))
        if text and not any(s in text for s in secrets):
            kept.append(nbformat.v4.new_output("stream", name="stdout", text=text))
    return kept


def redact_notebook(
    graded: nbformat.NotebookNode, secrets: list[str], hidden_failed: str = HIDDEN_FAILED
) -> nbformat.NotebookNode:
    """A copy of ``graded`` safe to show its learner: hidden tests cut, outputs cleaned.

    ``hidden_failed`` is the sentence that replaces what a hidden check raised (translated
    by the caller).
    """
    nb = nbformat.from_dict(graded)
    nb.metadata = {k: v for k, v in nb.metadata.items() if k in ("kernelspec", "language_info")}
    for cell in nb.cells:
        full_source = cell.source
        cell.source, hidden = split_hidden(cell.source)
        if cell.cell_type == "code" and (_is_test(cell) or hidden):
            cell.outputs = _clean_outputs(cell, cell.source, secrets, full_source, hidden_failed)
        cell.metadata = {k: v for k, v in cell.metadata.items() if k == "nbgrader"}
    return nb


def _decoded_base64(text: str) -> list[str]:
    """Text hidden in base64 runs (data URIs, attachments), standard or URL-safe alphabet."""
    out = []
    for run in _BASE64.findall(text):
        body = run.rstrip("=")
        for alphabet in (None, b"-_"):
            try:
                raw = base64.b64decode(body + "=" * (-len(body) % 4), altchars=alphabet)
            except (binascii.Error, ValueError):
                continue
            out.append(raw.decode("utf-8", "ignore"))
    return out


def _views(text: str) -> list[str]:
    """``text`` and the readings a browser or a decoder could give it."""
    unescaped = html.unescape(text)
    views = [text, unescaped, _TAG.sub("", text), html.unescape(_TAG.sub("", text))]
    views.append(urllib.parse.unquote(unescaped))
    for decoded in _decoded_base64(unescaped) + _decoded_base64(urllib.parse.unquote(unescaped)):
        views += [decoded, html.unescape(decoded), html.unescape(_TAG.sub("", decoded))]
    return views


def leaks(text: str, secrets: list[str]) -> list[str]:
    """The secret lines that occur in ``text``: as written, HTML-escaped, with the markup
    removed, percent-encoded, or inside base64 (a data URI of an embedded file, say)."""
    if not secrets:
        return []
    views = _views(text)
    return [s for s in secrets if any(s in view for view in views)]
