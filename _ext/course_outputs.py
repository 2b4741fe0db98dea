"""Code-cell outputs in the edition's language (used by ``course_i18n``).

The notebooks run once, in English, so a printed sentence or a table made for the reader comes out
in English. A code cell tagged ``translate-output`` declares its outputs to be text for the reader:
each printed line and each table cell (pandas' HTML) is then a message of the page's catalogue,
its numbers written ``{0}``, ``{1}``… (``coursebook.i18n.output_message``). The gettext build
extracts them; the translated build puts the computed numbers back in the language's form. Codes
(``s1_interaction``) and bare numbers are never messages. Other outputs (a DataFrame explored in
the primer, a Series repr) are Python's own and stay as Python prints them, matching the code.

The "Show code cell source" toggles of hidden inputs are interface strings (``course.po``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from docutils import nodes

from coursebook.i18n import OUTPUT_TAG, localise_lines, localise_table, output_message, table_texts

# myst-nb's toggle texts: code_prompt_show/hide with {type} filled in by its HideInputCells.
TOGGLE_STRINGS = [
    f"{verb} code cell {kind}"
    for kind in ("source", "content", "output", "outputs")
    for verb in ("Show", "Hide")
]


def _tagged_outputs(doctree: nodes.document) -> Iterator[nodes.Element]:
    for cell in doctree.findall(nodes.container):
        if cell.get("nb_element") != "cell_code":
            continue
        if OUTPUT_TAG not in (cell.get("cell_metadata") or {}).get("tags", []):
            continue
        for node in cell.findall(lambda n: isinstance(n, nodes.literal_block | nodes.raw)):
            if "output" in node["classes"]:
                yield node


def _is_table(node: nodes.Element) -> bool:
    return isinstance(node, nodes.raw) and "<table" in node.astext()


def output_messages(doctree: nodes.document) -> Iterator[tuple[str, nodes.Element]]:
    """Every message of the page's tagged outputs, with the node it comes from."""
    for node in _tagged_outputs(doctree):
        if isinstance(node, nodes.raw) and not _is_table(node):
            continue  # a chart or other markup: charts have their own messages
        texts = table_texts(node.astext()) if _is_table(node) else node.astext().split("\n")
        for text in texts:
            found = output_message(text)
            if found:
                yield found[0], node


def localise_outputs(
    doctree: nodes.document, language: str, lookup: Callable[[str], str | None]
) -> None:
    for node in list(_tagged_outputs(doctree)):
        if _is_table(node):
            text = localise_table(node.astext(), language, lookup)
            node.parent.replace(node, nodes.raw("", text, format="html", classes=node["classes"]))
        elif isinstance(node, nodes.literal_block):
            text = localise_lines(node.astext(), language, lookup)
            node.clear()
            node += nodes.Text(text)
            node.rawsource = (
                text  # else Sphinx takes it for a parsed literal and drops highlighting
            )


def localise_toggles(doctree: nodes.document, ui: Callable[[str], str]) -> None:
    for node in doctree.findall(nodes.Element):
        if "prompt_show" in node.attributes and "prompt_hide" in node.attributes:
            node["prompt_show"] = ui(node["prompt_show"])
            node["prompt_hide"] = ui(node["prompt_hide"])
