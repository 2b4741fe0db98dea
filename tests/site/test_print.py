"""Printing a chapter (the reader's PDF): charts print, navigation and buttons do not. The PDF of
one chapter is written to ``_build/screenshots/`` for review."""

from __future__ import annotations

import pytest

# Needs the built site (`make course`) and, mostly, Chromium: not part of `make test-fast`.
pytestmark = pytest.mark.browser

HIDDEN_IN_PRINT = [
    ".bd-sidebar-primary",
    ".bd-sidebar-secondary",
    ".header-article",
    ".prev-next-area",
    "#pst-back-to-top",
]


def test_print_keeps_charts_and_drops_navigation(desktop, course_site, screenshot_dir):
    chapter = course_site.chart_chapter()
    desktop.open(course_site.url_of(chapter))
    page = desktop.page
    page.emulate_media(media="print")
    try:
        shown = [sel for sel in HIDDEN_IN_PRINT if page.locator(sel).first.is_visible()]
        assert shown == [], f"screen-only parts still printed: {shown}"
        charts = page.locator("div.course-chart")
        for i in range(charts.count()):
            svg = charts.nth(i).locator(".course-chart-canvas svg").first
            assert svg.is_visible(), f"chart {i} missing from the printout"
            box = svg.bounding_box()
            assert box and box["width"] <= page.viewport_size["width"], "chart wider than the page"
        assert page.locator("h1").first.is_visible()
        pdf = screenshot_dir / f"{chapter.split('/')[-1]}.pdf"
        page.pdf(path=pdf, format="A4", print_background=False)
        assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 20_000
    finally:
        page.emulate_media(media="screen")
