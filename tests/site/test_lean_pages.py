"""Lighter pages (issue 21, `_ext/course_lean.py`): charts reach the browser as Vega specs (no
Vega-Lite compiler on any page), their larger tables as typed CSV that Vega reads back to the very
same rows, and the icon fonts hold just the glyphs the pages show. Page weights themselves are
measured by ``benchmarks/site.py``."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
from pathlib import Path

import pydata_sphinx_theme
import pytest
from bs4 import BeautifulSoup
from fontTools.ttLib import TTFont

from tests.site.sitetools import REPO

_spec = importlib.util.spec_from_file_location("course_lean", REPO / "_ext" / "course_lean.py")
course_lean = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(course_lean)

# Reads [{spec, name}] on stdin; prints the rows Vega holds for data set `name` of each spec.
VEGA_ROWS_JS = """
import * as vega from "vega";
let input = "";
for await (const chunk of process.stdin) input += chunk;
const out = [];
for (const {spec, name} of JSON.parse(input)) {
  const view = new vega.View(vega.parse(spec), {renderer: "none"});
  await view.runAsync();
  out.push(view.data(name).map((row) => ({...row})));
}
process.stdout.write(JSON.stringify(out));
"""
SOLID = "fa-solid-900.woff2"
ICON = re.compile(r"\bfa-(?!solid\b|regular\b|brands\b|lg\b|xs\b|sm\b|fw\b)[a-z0-9-]+")


def _vega_rows(specs: list[dict], name: str) -> list[list[dict]]:
    done = subprocess.run(
        ["node", "--input-type=module", "-e", VEGA_ROWS_JS],
        input=json.dumps([{"spec": spec, "name": name} for spec in specs]),
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    )
    return json.loads(done.stdout)


@pytest.mark.slow  # needs Node and node_modules (`make assets`), which `make test-fast` skips
def test_csv_tables_read_back_to_the_same_rows():
    tricky = [
        "plain",
        "with, comma",
        'with "quotes"',
        "two\nlines",
        "0123",
        "  padded ",
        "Ёлки, «кавычки»",
        "true",
        None,
    ]
    rows = [
        {"text": text, "share": share, "count": count, "flag": flag}
        for text, share, count, flag in zip(
            tricky * 60,
            [0.1, 1e-07, 33.5, -2.25, 1 / 3, None, 12345678.9, 0.0, 1e21] * 60,
            [1, 0, -7, 2**40, None, 3, 4, 5, 6] * 60,
            [True, False, None, True, False, True, False, True, False] * 60,
            strict=True,
        )
    ]
    entry = {"name": "table", "values": rows}
    compact = course_lean.compact_values(dict(entry))
    assert isinstance(compact["values"], str) and compact["format"]["type"] == "csv"
    assert len(json.dumps(compact)) < len(json.dumps(entry))
    original, read_back = _vega_rows([{"data": [entry]}, {"data": [compact]}], "table")
    assert read_back == original
    assert read_back[1] == {"text": "with, comma", "share": 1e-07, "count": 0, "flag": False}
    # and read back in Python alike, for checks that compare what two pages plot
    assert course_lean.chart_rows({"data": [compact]}) == {"table": rows}


@pytest.mark.parametrize(
    "rows",
    [
        [{"a": ""}] * 400,  # CSV would read "" back as null
        [{"a": 1}, {"a": "1"}] * 200,  # one column, two types
        [{"a": 1, "b": 2}, {"b": 2, "a": 1}] * 200,  # keys differ in order
        [{"a": [1, 2]}] * 400,  # nested values
        [{"a": float("nan")}] * 400,
        [{"a": 1}] * 3,  # too small to gain
    ],
)
def test_tables_csv_cannot_carry_exactly_stay_json(rows):
    entry = {"name": "t", "values": rows}
    assert course_lean.compact_values(dict(entry)) == entry


@pytest.mark.browser
def test_charts_are_vega_specs_and_no_page_loads_vega_lite(any_site):
    assert not (any_site.html / "_static" / "course" / "vega-lite.min.js").exists()
    charts = 0
    for page in any_site.pages:
        html = any_site.file_of(page).read_text(encoding="utf-8")
        assert not re.search(r"<script[^>]+src=\"[^\"]*vega-lite", html), page
        for match in course_lean.CHART_JSON.finditer(html):
            spec = json.loads(match.group(2))
            assert "marks" in spec and "$schema" not in spec, page
            charts += 1
    assert charts >= 2 if any_site.name == "fixture" else charts >= 20


@pytest.mark.browser
def test_icon_fonts_hold_every_icon_the_pages_show(any_site):
    styles = any_site.html / "_static" / "styles" / "pydata-sphinx-theme.css"
    css = styles.read_text(encoding="utf-8")
    glyphs = {}
    for selectors, code in course_lean.ICON_RULE.findall(css):
        for selector in selectors.split(","):
            glyphs[selector.strip().removeprefix(".").split(":")[0]] = int(code, 16)
    shown = set()
    for page in any_site.pages:
        soup = BeautifulSoup(any_site.file_of(page).read_text(encoding="utf-8"), "html.parser")
        for icon in soup.select("i[class*='fa-'], span[class*='fa-']"):
            shown.update(ICON.findall(" ".join(icon["class"])))
    assert {"fa-magnifying-glass", "fa-download"} <= shown
    # the course PDF's menu entry (only the course's editions have a printed book)
    assert ("fa-book" in shown) == (any_site.name != "fixture")
    missing_rules = sorted(name for name in shown if name not in glyphs)
    assert missing_rules == [], "icon classes whose CSS rule was dropped"
    # The glyphs the theme's CSS draws itself: admonition bell, breadcrumb chevron, etc.
    drawn = {ord(c) for c in css if 0xE000 <= ord(c) <= 0xF8FF}
    theme_fonts = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
    full = set(
        TTFont(
            theme_fonts / "static" / course_lean.WEBFONTS.relative_to("_static") / SOLID
        ).getBestCmap()
    )
    webfonts = any_site.html / course_lean.WEBFONTS
    cmap = set(TTFont(webfonts / SOLID).getBestCmap())
    assert {glyphs[name] for name in shown} <= full, "icons the pages show are solid-style icons"
    assert ({glyphs[name] for name in shown} | drawn) & full <= cmap
    assert len(cmap) < 100 and (webfonts / SOLID).stat().st_size < 20_000
    # the icon-class table kept only what is shown or drawn (it held ~1,800 rules)
    assert len(glyphs) < 150
