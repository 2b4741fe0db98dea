"""Removing hidden tests from a graded notebook before a learner sees it (nbgrader#1363).

nbgrader's feedback renders the autograded notebook, which holds the hidden test code and
tracebacks quoting it. Here the hidden blocks are cut from the test cells' source, and
each test cell's outputs are reduced to what the visible checks say: a failing visible
``assert`` keeps its plain-language message; anything raised by hidden code becomes a
neutral sentence. :func:`leaks` is the final guard run over the rendered page.
"""

from __future__ import annotations

import re

import nbformat

BEGIN = "### BEGIN HIDDEN TESTS"
END = "### END HIDDEN TESTS"
PLACEHOLDER = "# (hidden tests are not shown)"
HIDDEN_FAILED = "A hidden check did not pass: compare your answer with the question once more."
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_MAX_MESSAGE = 300


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


def _clean_error(output, visible: str, secrets: list[str]) -> nbformat.NotebookNode:
    ename = _ANSI.sub("", str(output.get("ename", "Error")))
    evalue = _ANSI.sub("", str(output.get("evalue", ""))).strip()
    in_visible = bool(evalue) and evalue in visible
    touches_secret = any(s in evalue or (evalue and evalue in s) for s in secrets)
    if not in_visible and (ename == "AssertionError" or touches_secret):
        ename, evalue = "HiddenTestFailed", HIDDEN_FAILED
    text = f"{ename}: {evalue}"[:_MAX_MESSAGE] if evalue else ename
    # the traceback quotes source lines around the failure, hidden ones included: drop it
    return nbformat.v4.new_output(
        "error", ename=ename, evalue=evalue[:_MAX_MESSAGE], traceback=[text]
    )


def _clean_outputs(cell, visible: str, secrets: list[str]) -> list:
    kept = []
    for output in cell.get("outputs", []):
        if output.output_type == "error":
            kept.append(_clean_error(output, visible, secrets))
            continue
        if output.output_type == "stream":
            text = _ANSI.sub("", str(output.get("text", "")))
        else:
            text = str(output.get("data", {}).get("text/plain", ""))
        if text and not any(s in text for s in secrets):
            kept.append(nbformat.v4.new_output("stream", name="stdout", text=text))
    return kept


def redact_notebook(graded: nbformat.NotebookNode, secrets: list[str]) -> nbformat.NotebookNode:
    """A copy of ``graded`` safe to show its learner: hidden tests cut, outputs cleaned."""
    nb = nbformat.from_dict(graded)
    nb.metadata = {k: v for k, v in nb.metadata.items() if k in ("kernelspec", "language_info")}
    for cell in nb.cells:
        cell.source, hidden = split_hidden(cell.source)
        if cell.cell_type == "code" and (_is_test(cell) or hidden):
            cell.outputs = _clean_outputs(cell, cell.source, secrets)
        cell.metadata = {k: v for k, v in cell.metadata.items() if k == "nbgrader"}
    return nb


def leaks(text: str, secrets: list[str]) -> list[str]:
    """The secret lines that occur in ``text`` (HTML-escaped forms included)."""
    import html

    found = []
    for secret in secrets:
        if secret in text or html.escape(secret) in text or html.escape(secret, False) in text:
            found.append(secret)
    return found
