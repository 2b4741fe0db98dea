"""The two editions in the browser (issue 14): the language switch opens the same page in the other
language and back, the root lets a visitor choose, Russian search stems Russian words, and the
Russian pages draw their charts with Russian text and Russian number format.

The per-page checks (console errors, offline, charts drawn, axe) run on every Russian page through
``test_pages.py``, whose page list covers both editions.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from coursebook.translations import pending
from tests.site.conftest import PAGES
from tests.site.sitetools import REPO, serious_violations

pytestmark = pytest.mark.browser

SWITCH = "a.course-language-switch:visible"
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
PENDING = set(pending(REPO / "locales" / "ru" / "PENDING.txt"))
SEARCH_DONE_JS = """() => {
    const summary = document.querySelector('#search-results .search-summary');
    return summary !== null && summary.textContent.trim().length > 0
        && !document.querySelector('#search-progress:not(:empty)');
}"""
# Chart text a reader sees: titles, axis and legend labels (SVG text) and the figure description.
CHART_TEXT_JS = """() => Array.from(document.querySelectorAll('div.course-chart')).map(c => ({
    label: c.getAttribute('aria-label') || '',
    text: Array.from(c.querySelectorAll('svg text')).map(t => t.textContent).join(' | '),
}))"""


@pytest.mark.parametrize("page", [PAGES[1], "book/reference/about"])
def test_switch_opens_the_same_page_in_russian_and_back(desktop, course_site, ru_site, page):
    browser_page = desktop.page
    desktop.open(course_site.url_of(page))
    browser_page.locator(SWITCH).first.click()
    browser_page.wait_for_load_state("load")
    assert urlsplit(browser_page.url).path == urlsplit(ru_site.url_of(page)).path
    assert browser_page.evaluate("document.documentElement.lang") == "ru"
    browser_page.locator(SWITCH).first.click()
    browser_page.wait_for_load_state("load")
    assert urlsplit(browser_page.url).path == urlsplit(course_site.url_of(page)).path
    assert browser_page.evaluate("document.documentElement.lang") == "en"


def test_root_offers_both_editions(desktop, course_site):
    report = desktop.visit(course_site.url)
    assert report.console_errors == [] and report.external_requests == []
    assert serious_violations(report) == []
    # The chooser remembers nothing: no cookie, no storage (the choice is the link followed).
    assert desktop.context.cookies() == []
    assert desktop.page.evaluate("localStorage.length + sessionStorage.length") == 0
    desktop.page.locator("a[hreflang=ru]").click()
    desktop.page.wait_for_load_state("load")
    assert urlsplit(desktop.page.url).path.endswith("/ru/book/index.html")
    assert desktop.page.evaluate("document.documentElement.lang") == "ru"


@pytest.mark.parametrize(
    ("query", "must_contain"),
    [
        ("адресной помощи", ("адресн", "помощ")),  # Russian stemming: «адресная социальная помощь»
        ("лицензии", ("лицензи",)),  # the translated about page: «Лицензия»
    ],
)
def test_russian_search_stems_russian_words(desktop, ru_site, query, must_contain):
    desktop.open(ru_site.url_of("book/reference/about"))
    page = desktop.page
    page.locator("button.search-button__button:visible").first.click()
    box = page.locator("#pst-search-dialog input[name=q]")
    box.fill(query)
    box.press("Enter")
    page.wait_for_function(
        "() => { const s = document.querySelector('#search-results .search-summary');"
        " return s !== null && /найден|не найдено|ничего|found|match/i.test(s.textContent); }",
        timeout=20_000,
    )
    hrefs = page.locator("#search-results ul.search li a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    assert hrefs, f"Russian search for {query!r} found nothing"
    found = []
    for href in hrefs:
        path = ru_site.html / urlsplit(href).path
        if path.is_file():
            text = path.read_text(encoding="utf-8").lower()
            found.append(all(stem in text for stem in must_contain))
    assert any(found), f"no result for {query!r} contains {must_contain}: {hrefs}"


@pytest.mark.parametrize("page", [p for p in PAGES if p not in PENDING])
def test_translated_pages_draw_charts_in_russian(visit_page, desktop, ru_site, page):
    if not visit_page("ru", page).charts:
        return
    desktop.open(ru_site.url_of(page))
    charts = desktop.page.evaluate(CHART_TEXT_JS)
    english = [c for c in charts if not CYRILLIC.search(c["label"] + c["text"])]
    assert english == [], f"{page}: charts without Russian text: {english}"
    # Numbers in axes and tooltips use the decimal comma.
    decimal_points = [c["text"] for c in charts if re.search(r"\d\.\d", c["text"])]
    assert decimal_points == [], f"{page}: decimal points on a Russian chart: {decimal_points}"


@pytest.fixture(scope="module")
def i18n_fixture_url(i18n_fixture_html):
    from tests.site.sitetools import serve

    with serve(i18n_fixture_html) as url:
        yield url


def test_russian_chart_has_russian_labels_and_decimal_commas(desktop, i18n_fixture_url):
    """The machinery end to end on the fixture (a page whose catalogue is complete): the chart's
    title, axis, legend and description come from the page's .po, numbers from the Russian locale."""
    report = desktop.visit(f"{i18n_fixture_url}ru/figures.html")
    assert report.console_errors == [] and report.external_requests == []
    assert serious_violations(report) == []
    (chart,) = desktop.page.evaluate(CHART_TEXT_JS)
    assert chart["label"] == "Столбцы: доля для СО НКО и для ОМСУ."
    for text in ("Доли по группам", "Доля, %", "Респонденты", "СО НКО", "ОМСУ"):
        assert text in chart["text"], (text, chart["text"])
    assert "NGOs" not in chart["text"] and "Share" not in chart["text"]
    assert re.search(r"\d,\d", chart["text"]) and not re.search(r"\d\.\d", chart["text"])
    prose = desktop.page.locator("main p").first.inner_text()
    assert "12,5\u00a0%" in prose and "12\u00a0346" in prose
    english = desktop.visit(f"{i18n_fixture_url}figures.html")
    assert english.console_errors == []
    (chart,) = desktop.page.evaluate(CHART_TEXT_JS)
    assert "Shares by group" in chart["text"] and re.search(r"\d\.\d", chart["text"])
