"""The site on a phone (390×844): navigation opens, text never scrolls sideways; screenshots of one
chapter on desktop and mobile go to ``_build/screenshots/`` for review."""

from __future__ import annotations

import pytest

from tests.site.conftest import PAGES
from tests.site.sitetools import MOBILE, serious_violations

# Needs the built site (`make course`) and, mostly, Chromium: not part of `make test-fast`.
pytestmark = pytest.mark.browser

# Measured against the phone's width, not window.innerWidth: a mobile browser zooms out to fit
# content wider than the screen, and innerWidth grows with it.
NO_SIDEWAYS_SCROLL_JS = "(width) => document.documentElement.scrollWidth - width"
# Content reaching past the right edge of the screen (a long word in a heading, a long URL) is cut
# off even when the page itself does not scroll. Boxes meant to scroll sideways (code, tables,
# charts) are left out.
CLIPPED_TEXT_JS = """(width) => {
    const scrolls = (el) => {
        for (let a = el; a; a = a.parentElement) {
            const o = getComputedStyle(a).overflowX;
            if (o === 'auto' || o === 'scroll') return true;
        }
        return false;
    };
    const edge = width + 2;
    const clipped = [];
    for (const el of document.querySelectorAll('.bd-article *')) {
        if (el.clientWidth === 0) continue;
        if (el.getBoundingClientRect().left + el.scrollWidth <= edge || scrolls(el)) continue;
        clipped.push(`${el.tagName.toLowerCase()}: ${el.textContent.trim().slice(0, 60)}`);
    }
    return clipped.slice(0, 5);
}"""
TOGGLE = "button.primary-toggle:visible"
DRAWER_LINKS = "#pst-primary-sidebar-modal[open] nav a.reference.internal"


def test_navigation_opens_on_mobile(mobile, course_site):
    chapter = course_site.chart_chapter()
    mobile.open(course_site.url_of(chapter))
    page = mobile.page
    drawer_open = "() => document.getElementById('pst-primary-sidebar-modal').open"
    assert not page.evaluate(drawer_open), "navigation drawer open before the toggle was tapped"
    page.locator(TOGGLE).first.click()
    page.wait_for_selector(DRAWER_LINKS, state="visible", timeout=5_000)
    links = page.locator(DRAWER_LINKS)
    hrefs = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert len(hrefs) >= len(course_site.pages) - 1, f"navigation lists too few pages: {hrefs}"
    # Following a link from the opened drawer reaches another page.
    other = next(i for i, href in enumerate(hrefs) if href and chapter.split("/")[-1] not in href)
    links.nth(other).click()
    page.wait_for_load_state("load")
    assert page.url != course_site.url_of(chapter)


@pytest.mark.parametrize("site_name", ["course", "ru"])
@pytest.mark.parametrize("page", PAGES)
def test_no_horizontal_scroll_on_mobile(mobile, request, site_name, page):
    # Both editions: Russian words and the language switch in the header are longer.
    site = request.getfixturevalue(f"{site_name}_site")
    mobile.open(site.url_of(page))
    width = MOBILE["viewport"]["width"]
    overflow = mobile.page.evaluate(NO_SIDEWAYS_SCROLL_JS, width)
    assert overflow <= 0, f"{page}: the page is {overflow}px wider than a {width}px screen"
    clipped = mobile.page.evaluate(CLIPPED_TEXT_JS, width)
    assert not clipped, f"{page}: text cut off at the right edge on a phone: {clipped}"


def test_screenshots_of_one_chapter(desktop, mobile, course_site, screenshot_dir):
    chapter = course_site.chart_chapter()
    name = chapter.split("/")[-1]
    shots = {
        "desktop": (desktop, True),
        "mobile": (mobile, False),
    }
    for label, (visitor, full_page) in shots.items():
        visitor.open(course_site.url_of(chapter))
        visitor.page.screenshot(path=screenshot_dir / f"{name}-{label}.png", full_page=full_page)
    mobile.page.locator(TOGGLE).first.click()
    mobile.page.wait_for_selector(DRAWER_LINKS, state="visible", timeout=5_000)
    mobile.page.screenshot(path=screenshot_dir / f"{name}-mobile-navigation.png")
    for label in ("desktop", "mobile", "mobile-navigation"):
        assert (screenshot_dir / f"{name}-{label}.png").stat().st_size > 10_000


@pytest.mark.parametrize("site_name", ["course", "ru", "fixture"])
def test_chart_chapter_on_mobile_is_accessible(mobile, request, site_name):
    # Charts wider than a phone scroll in their own box: axe checks that box on a small screen.
    site = request.getfixturevalue(f"{site_name}_site")
    chapter = site.chart_chapter()
    report = mobile.visit(site.url_of(chapter))
    assert not report.console_errors, report.console_errors
    violations = serious_violations(report)
    assert not violations, f"{chapter} on a phone: " + "\n".join(violations)
