"""The site on a USB stick: ``course-site.zip`` unpacked and opened from ``file://`` with every
request refused, as on a machine with no network. Charts draw, search answers, navigation works,
and the exercises' zips are inside."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from coursebook import offline
from coursebook import pdf as coursepdf
from tests.site.sitetools import CHART_TIMEOUT_MS, CHARTS_SETTLED_JS

pytestmark = pytest.mark.browser

SEARCH_DONE_JS = """() => {
    const summary = document.querySelector('#search-results .search-summary');
    return summary !== null && /found|did not match|найден|не найдено/i.test(summary.textContent);
}"""


@pytest.fixture(scope="module")
def unpacked(site_dir: Path, tmp_path_factory) -> Path:
    """The archive `make course` wrote beside the site (rebuilt here when older than the site),
    unpacked into a fresh folder."""
    archive = site_dir.parent / "course-site.zip"
    inputs = [site_dir / "index.html", *_books(site_dir).values()]
    newest = max(path.stat().st_mtime for path in inputs if path.is_file())
    if not archive.is_file() or archive.stat().st_mtime < newest:
        assert offline.main(["--site", str(site_dir), "--out", str(archive)]) == 0
    target = tmp_path_factory.mktemp("stick")
    with zipfile.ZipFile(archive) as zipped:
        names = zipped.namelist()
        assert all(name.startswith(f"{offline.TOP}/") and ".." not in name for name in names)
        zipped.extractall(target)
    return target / offline.TOP


def _books(site: Path) -> dict[str, Path]:
    """Where `make pdf` places each edition's printed course in the site (the pages link it)."""
    return {
        lang: (site if lang == "en" else site / lang) / coursepdf.SITE_PDF.format(lang=lang)
        for lang in ("en", "ru")
    }


@pytest.fixture()
def offline_tab(browser):
    """A tab whose every request except ``file:`` ones is refused and recorded."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    refused: list[str] = []

    def route(route) -> None:
        if route.request.url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort("blockedbyclient")

    context.route("**/*", route)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(f"{tab.url}: {error}"))
    yield tab, refused, errors
    context.close()


def test_archive_holds_both_editions_and_the_exercises(unpacked, site_dir):
    for edition in (unpacked, unpacked / "ru"):
        assert (edition / "book" / "index.html").is_file()
        assert (edition / "searchindex.js").is_file()
    zips = sorted(p.relative_to(unpacked) for p in (unpacked / "exercises").rglob("*.zip"))
    expected = sorted(p.relative_to(site_dir) for p in (site_dir / "exercises").rglob("*.zip"))
    assert zips and zips == expected


def test_archive_carries_each_editions_pdf_where_its_pages_link_it(unpacked, site_dir):
    for lang, book in _books(site_dir).items():
        assert book.is_file(), f"no {lang} course PDF in the site: run `make pdf`"
        inside = unpacked / book.relative_to(site_dir)
        assert inside.read_bytes() == book.read_bytes(), lang


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_opened_by_double_click_charts_navigation_and_search_work(unpacked, offline_tab, lang):
    tab, refused, errors = offline_tab
    tab.goto((unpacked / "index.html").as_uri())
    tab.click(f"a[hreflang={lang}]")  # the language chooser
    tab.wait_for_load_state("load")
    assert tab.url.endswith("/book/index.html")
    # Navigation: the sidebar leads from the landing page to a chapter with charts.
    tab.locator(".bd-sidebar-primary a[href*='01-targeted-assistance-poverty']").first.click()
    tab.wait_for_load_state("load")
    tab.wait_for_function(CHARTS_SETTLED_JS, timeout=CHART_TIMEOUT_MS)
    charts = tab.locator("div.course-chart")
    assert charts.count() >= 2
    states = charts.evaluate_all(
        "cs => cs.map(c => [c.dataset.rendered, c.querySelectorAll('svg g.role-mark > *').length])"
    )
    assert all(state == "true" and marks > 0 for state, marks in states), states
    # The search index (~200 kB) is fetched only once the reader reaches for search.
    loaded = tab.evaluate("() => performance.getEntriesByType('resource').map(r => r.name)")
    assert not [url for url in loaded if url.endswith("searchindex.js")]
    # Search: the theme's box sends the query to search.html, which reads searchindex.js.
    tab.locator("button.search-button__button:visible").first.click()
    box = tab.locator("#pst-search-dialog input[name=q]")
    box.fill("poverty" if lang == "en" else "бедность")
    box.press("Enter")
    tab.wait_for_function(SEARCH_DONE_JS, timeout=20_000)
    results = tab.locator("#search-results ul.search li a")
    assert results.count() >= 1
    results.first.click()
    tab.wait_for_load_state("load")
    assert tab.url.startswith("file://") and tab.locator("h1").count() >= 1
    assert refused == [], f"requests that tried to leave the machine: {refused}"
    # On the results page Sphinx fetch()es each hit's HTML for a text snippet; browsers refuse
    # fetch from file://, so results are listed without snippets. Any other error is a failure.
    other = [e for e in errors if not ("/search.html" in e and e.endswith("Failed to fetch"))]
    assert other == [], other
