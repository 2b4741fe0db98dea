"""Language-specific presentation of what the chapters compute once: numbers and chart strings.

The notebooks run once (English sources, one execution cache); each edition only *formats*. Numbers
are re-formatted from Python's output (``format(x, ".1f")``) into the language's conventions, and a
chart's Vega-Lite spec has its human-readable strings looked up in the page's message catalogue.
Both editions therefore always show the same figures and the same marks.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from typing import Any

NBSP = "\u00a0"
# What Python's format() produces for the specs the course uses (".1f", ",.0f", "d", "+.1f", ".1e").
_PY_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][+-]?\d+)?$")


def is_number(text: str) -> bool:
    """Whether ``text`` is a number as Python's format() writes it (not a word or a name)."""
    return bool(_PY_NUMBER.match(text))


def localise_glued(text: str, language: str, lookup: Callable[[str], str | None]) -> str:
    """A ``{glue:text}`` value in ``language``: a number re-formatted, any other text (a region
    name, a category) looked up as an exact message of the page's catalogue, else kept as is."""
    if is_number(text):
        return format_number(text, language)
    return (lookup(text) or text) if language != "en" else text


def format_number(text: str, language: str) -> str:
    """Re-write a number formatted by Python (``1,234.5``) in ``language``'s form.

    Russian (ГОСТ / common office use): decimal comma, a non-breaking space between thousands
    (only for numbers of five or more digits, and where the English used a separator), and the
    typographic minus. Anything that is not a plain Python-formatted number is returned unchanged.
    """
    if language != "ru" or not _PY_NUMBER.match(text):
        return text
    sign = ""
    if text[0] in "+-":
        sign, text = ("+" if text[0] == "+" else "\u2212"), text[1:]
    mantissa, _, exponent = text.partition("e") if "e" in text else text.partition("E")
    whole, _, fraction = mantissa.partition(".")
    digits = whole.replace(",", "")
    if "," in whole and len(digits) > 4:
        groups = []
        while digits:
            groups.insert(0, digits[-3:])
            digits = digits[:-3]
        whole = NBSP.join(groups)
    else:
        whole = digits
    out = sign + whole + ("," + fraction if fraction else "")
    return out + ("e" + exponent if exponent else "")


# Keys whose string values a reader sees. Everything else in a spec (field names, types, formats,
# colours, dataset names) is structure and is never translated.
_TEXT_KEYS = {"title", "subtitle", "description", "text"}
# (Encoding channels such as color, shape or order are not listed: their titles are text.)
_STRUCTURAL = {"field", "type", "$schema", "format", "timeUnit", "aggregate", "op", "as", "scheme",
               "orient", "anchor", "font", "align", "baseline", "mark", "data", "from", "param",
               "name", "fontWeight", "interpolate", "href", "cursor", "formatType", "bind", "input",
               "element", "resolve", "fields", "groupby", "encodings", "on", "clear", "toggle",
               "config", "usermeta"}  # fmt: skip
_EXPRESSION_KEYS = {"test", "filter", "expr", "calculate", "labelExpr"}
_ENCODED_TYPES = {"nominal", "ordinal"}


def chart_messages(spec: dict[str, Any]) -> list[str]:
    """Every string of a chart a reader can see, in order of appearance, without repeats.

    Titles, subtitles, descriptions, binding labels and options, and the values of the nominal or
    ordinal fields the chart encodes (category names on axes, legends and tooltips).
    """
    found: list[str] = []
    shown_fields: set[str] = set()
    _walk_fields(spec, shown_fields)

    def add(value: Any) -> None:
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str) and text.strip() and text not in found:
                found.append(text)

    def walk(node: Any, key: str = "") -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k in _TEXT_KEYS and not isinstance(v, dict):
                    add(v)
                elif k in _TEXT_KEYS:
                    walk(v, k)
                elif k == "scale" and isinstance(v, dict) and node.get("type") in _ENCODED_TYPES:
                    # An explicit domain names the categories the legend/axis shows (and orders).
                    domain = v.get("domain")
                    add(
                        [d for d in domain if isinstance(d, str)]
                        if isinstance(domain, list)
                        else []
                    )
                    walk(v, k)
                elif k == "sort" and isinstance(v, list) and node.get("type") in _ENCODED_TYPES:
                    add([d for d in v if isinstance(d, str)])
                elif k == "bind" and isinstance(v, dict):
                    add(v.get("name"))
                    add(v.get("labels") or v.get("options") or [])
                elif k in {"datasets"}:
                    for rows in v.values():
                        for row in rows:
                            add(
                                [
                                    row[f]
                                    for f in sorted(shown_fields)
                                    if isinstance(row.get(f), str)
                                ]
                            )
                elif k == "values" and key == "data" and isinstance(v, list):
                    for row in v:
                        if isinstance(row, dict):
                            add(
                                [
                                    row[f]
                                    for f in sorted(shown_fields)
                                    if isinstance(row.get(f), str)
                                ]
                            )
                elif k not in _STRUCTURAL:
                    walk(v, k)
        elif isinstance(node, list):
            for item in node:
                walk(item, key)

    walk(spec)
    return found


def _walk_fields(node: Any, fields: set[str]) -> None:
    """Collect the nominal/ordinal fields a chart encodes (their values are shown as text)."""
    if isinstance(node, dict):
        field, kind = node.get("field"), node.get("type")
        if isinstance(field, str) and kind in _ENCODED_TYPES:
            fields.add(field)
        for value in node.values():
            _walk_fields(value, fields)
    elif isinstance(node, list):
        for item in node:
            _walk_fields(item, fields)


def translate_spec(spec: Any, lookup: Callable[[str], str | None], key: str = "") -> Any:
    """A copy of ``spec`` with every visible string that ``lookup`` knows replaced.

    Data values, sort orders, scale domains and parameter values are translated alike, so that
    filters and selections still match; quoted literals inside expressions are replaced too.
    """
    if isinstance(spec, dict):
        kept = _STRUCTURAL - {"bind", "data", "name"}
        return {
            k: v if k in kept or (k == "name" and key != "bind") else translate_spec(v, lookup, k)
            for k, v in spec.items()
        }
    if isinstance(spec, list):
        return [translate_spec(item, lookup, key) for item in spec]
    if isinstance(spec, str):
        if key in _EXPRESSION_KEYS:
            return _translate_literals(spec, lookup)
        return lookup(spec) or spec
    return spec


def _translate_literals(expression: str, lookup: Callable[[str], str | None]) -> str:
    def replace(match: re.Match) -> str:
        quote, text = match.group(1), match.group(2)
        new = lookup(text)
        return f"{quote}{new}{quote}" if new and quote not in new else match.group(0)

    return re.sub(r"(['\"])((?:(?!\1).)*)\1", replace, expression)


def unique(items: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)


# Code-cell outputs written for the reader (cells tagged ``translate-output``): every printed line
# and every table cell is a message of the page's catalogue with its numbers as ``{0}``, ``{1}``…,
# so a translation never holds a figure: the edition formats the computed one.
OUTPUT_TAG = "translate-output"
_NUMBER_IN_TEXT = re.compile(
    r"(?<![\w.,])[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\w])(?![.,]\d)"
)
# Codes (question ids such as s1_interaction): the same in every edition, never messages.
_IDENTIFIER = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")


def output_message(text: str) -> tuple[str, list[str]] | None:
    """One printed line or table cell as a message and its numbers; None if nothing to translate
    (blank, a number, a code, no letters)."""
    text = text.strip()
    if not text or is_number(text) or _IDENTIFIER.match(text) or not re.search(r"[^\W\d_]", text):
        return None
    numbers: list[str] = []

    def hole(match: re.Match) -> str:
        numbers.append(match.group(0))
        return f"{{{len(numbers) - 1}}}"

    escaped = text.replace("{", "{{").replace("}", "}}")
    return _NUMBER_IN_TEXT.sub(hole, escaped), numbers


def localise_output(text: str, language: str, lookup: Callable[[str], str | None]) -> str:
    """A printed line or table cell in ``language``: a number re-formatted; a text translated with
    its numbers put back in the language's form; unchanged where the catalogue has no translation."""
    core = text.strip()
    if language == "en" or not core:
        return text
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    if is_number(core):
        return lead + format_number(core, language) + trail
    found = output_message(core)
    translated = lookup(found[0]) if found else None
    if not translated:
        return text
    try:
        new = translated.format(*(format_number(n, language) for n in found[1]))
    except (IndexError, KeyError, ValueError):  # a broken translation: the English stays
        return text
    if language == "ru":
        new = re.sub(r"(?<=\d) %", NBSP + "%", new)
    return lead + new + trail


def localise_lines(text: str, language: str, lookup: Callable[[str], str | None]) -> str:
    return "\n".join(localise_output(line, language, lookup) for line in text.split("\n"))


# pandas' DataFrame.to_html cells: no markup inside, text HTML-escaped.
_CELL = re.compile(r"(<t[hd]\b[^>]*>)([^<]*)(</t[hd]>)")


def table_texts(markup: str) -> list[str]:
    return [html.unescape(match.group(2)) for match in _CELL.finditer(markup)]


def localise_table(markup: str, language: str, lookup: Callable[[str], str | None]) -> str:
    def cell(match: re.Match) -> str:
        text = localise_output(html.unescape(match.group(2)), language, lookup)
        return match.group(1) + html.escape(text, quote=False) + match.group(3)

    return _CELL.sub(cell, markup)
