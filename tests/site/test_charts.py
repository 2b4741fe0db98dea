"""Charts as the skeleton promised (issue 2): an Altair chart renders offline into an SVG with marks,
with every non-loopback request blocked, and chart code is loaded only where charts are.

Uses the chart fixture site (real Rosstat data, two interactive charts), built with the course's
own configuration, so the machinery is proven even before chapters carry charts.
"""

from __future__ import annotations

import re

import pytest
import yaml

from tests.site.conftest import CONFIG_FILE
from tests.site.sitetools import Visitor

# Needs the built site (`make course`) and, mostly, Chromium: not part of `make test-fast`.
pytestmark = pytest.mark.browser

CHART_PAGE = "charts"
SCRIPT_SRC = re.compile(r'<script[^>]+src="([^"]+)"')
# Scripts that must appear only on pages that use them (marker the page body must contain).
PAGE_SPECIFIC_SCRIPTS = {
    "course/course-charts.js": 'class="course-chart"',
    "_static/design-tabs.js": "sd-tab-set",
    "_static/copybutton.js": 'class="highlight',
    "_static/clipboard.min.js": 'class="highlight',
}


@pytest.fixture
def fresh_visitor(browser):
    # A context of its own: nothing cached from the session's other pages.
    visitor = Visitor(browser)
    yield visitor
    visitor.close()


def test_altair_chart_renders_svg_marks_offline(fresh_visitor, fixture_site):
    report = fresh_visitor.visit(fixture_site.url_of(CHART_PAGE), axe=False)
    assert len(report.charts) == 2
    for chart in report.charts:
        assert chart["rendered"] == "true" and chart["svg"] >= 1, chart
        # Nine territories report every year 2010-2018: at least one mark each.
        assert chart["marks"] >= 9, f"too few marks drawn: {chart}"
    assert report.console_errors == []
    assert report.failed_requests == []
    assert report.external_requests == []


def test_network_guard_blocks_and_records_external_requests(fresh_visitor, fixture_site):
    # The guard itself: a page asking a CDN must be refused and the attempt recorded.
    fresh_visitor.open(fixture_site.url_of(CHART_PAGE))
    outcome = fresh_visitor.page.evaluate(
        """() => fetch('https://cdn.jsdelivr.net/npm/vega@6').then(() => 'loaded', () => 'blocked')"""
    )
    assert outcome == "blocked"
    assert fresh_visitor.network.external == ["https://cdn.jsdelivr.net/npm/vega@6"]


def test_legend_selection_and_dropdown_change_the_chart(fresh_visitor, fixture_site):
    fresh_visitor.open(fixture_site.url_of(CHART_PAGE))
    page = fresh_visitor.page
    lines, bars = page.locator("div.course-chart").all()
    opacities = "svg g.mark-line.role-mark path"

    def line_opacities():
        return lines.locator(opacities).evaluate_all(
            "paths => paths.map(p => getComputedStyle(p).opacity)"
        )

    before = line_opacities()
    lines.locator("svg g.role-legend g.role-legend-symbol path").first.click()
    after = _poll(line_opacities, before, page)
    assert len(set(after)) == 2, f"legend click did not highlight one line: {after}"

    widths = "svg g.mark-rect.role-mark path"
    bar_shapes = bars.locator(widths).evaluate_all("paths => paths.map(p => p.getAttribute('d'))")
    select = bars.locator(".vega-bind select")
    assert select.get_attribute("aria-label"), "the dropdown has no accessible name"
    select.select_option(select.locator("option").first.get_attribute("value"))
    _poll(
        lambda: bars.locator(widths).evaluate_all("ps => ps.map(p => p.getAttribute('d'))"),
        bar_shapes,
        page,
    )


def _poll(read, before, page, tries: int = 50):
    """Re-read a chart property until it differs from ``before`` (Vega redraws asynchronously)."""
    for _ in range(tries):
        now = read()
        if now != before:
            return now
        page.wait_for_timeout(100)
    raise AssertionError(f"the chart did not change after the interaction: {before}")


@pytest.mark.parametrize("script", sorted(PAGE_SPECIFIC_SCRIPTS))
def test_page_specific_scripts_load_only_where_used(any_site, script):
    marker = PAGE_SPECIFIC_SCRIPTS[script]
    wrong = []
    for page in any_site.pages:
        path = any_site.file_of(page)
        if not path.is_file():
            continue
        html = path.read_text(encoding="utf-8")
        body = html[html.find("<body") :]
        loads = any(src.split("?")[0].endswith(script) for src in SCRIPT_SRC.findall(html))
        if loads != (marker in body):
            wrong.append(f"{page}: {'loads it unused' if loads else 'needs it but lacks it'}")
    assert wrong == []


def test_no_page_loads_thebe_when_launch_buttons_are_off(any_site):
    config = yaml.safe_load(CONFIG_FILE.read_text(encoding="utf-8"))
    if config.get("launch_buttons", {}).get("thebe"):
        pytest.skip("Thebe is switched on in _config.yml")
    loading = [
        page
        for page in any_site.pages
        if any_site.file_of(page).is_file()
        and "THEBE_JS_URL" in any_site.file_of(page).read_text(encoding="utf-8")
    ]
    assert loading == []


def test_formulas_are_mathml_and_no_page_loads_mathjax(fixture_site, course_site):
    # Formulas are converted at build time: browsers draw MathML natively, no 1 MB script needed.
    assert "<math" in fixture_site.file_of("index").read_text(encoding="utf-8")
    for site in (fixture_site, course_site):
        for page in site.html.rglob("*.html"):
            scripts = SCRIPT_SRC.findall(page.read_text(encoding="utf-8"))
            assert not [src for src in scripts if "mathjax" in src.lower()], page
