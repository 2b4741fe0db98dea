"""Every page of the table of contents, opened in Chromium as a reader would: it loads cleanly and
offline, its charts and widgets render, and axe-core finds nothing critical or serious.

The chart fixture site's pages are crawled the same way, so the chart machinery is proven on real
data even while no chapter has a chart yet.
"""

from __future__ import annotations

import pytest

from tests.site.conftest import ALL_PAGES
from tests.site.sitetools import serious_violations

# Needs the built site (`make course`) and, mostly, Chromium: not part of `make test-fast`.
pytestmark = pytest.mark.browser

IDS = [f"{site}:{page}" for site, page in ALL_PAGES]


@pytest.mark.parametrize(("site", "page"), ALL_PAGES, ids=IDS)
def test_page_loads_without_errors_and_offline(visit_page, site, page):
    report = visit_page(site, page)
    assert not report.console_errors, _listing(page, "console errors", report.console_errors)
    assert not report.external_requests, _listing(
        page, "requests to non-loopback hosts (blocked)", report.external_requests
    )
    assert not report.failed_requests, _listing(page, "failed requests", report.failed_requests)


@pytest.mark.parametrize(("site", "page"), ALL_PAGES, ids=IDS)
def test_every_chart_draws_marks(visit_page, site, page):
    charts = visit_page(site, page).charts
    broken = [c for c in charts if c["rendered"] != "true" or not c["svg"] or not c["marks"]]
    assert not broken, _listing(page, "charts without drawn marks", broken)
    unlabelled = [c["id"] for c in charts if not c["label"] or c["label"] == "Chart"]
    assert not unlabelled, _listing(page, "charts without a description", unlabelled)


@pytest.mark.parametrize(("site", "page"), ALL_PAGES, ids=IDS)
def test_saved_widgets_render(visit_page, site, page):
    widgets = visit_page(site, page).widgets
    assert widgets["rendered"] >= widgets["saved"], f"{page}: saved widgets not rendered"


@pytest.mark.parametrize(("site", "page"), ALL_PAGES, ids=IDS)
def test_no_serious_accessibility_violations(visit_page, site, page):
    violations = serious_violations(visit_page(site, page))
    assert not violations, _listing(page, "axe-core critical/serious violations", violations)


def _listing(page: str, what: str, items: list) -> str:
    return f"{page}: {what}:\n" + "\n".join(f"  {item}" for item in items)
