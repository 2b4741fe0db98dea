"""Concept checks (issue 17 §4): the "Answer · Ответ" dropdowns on chapter pages work offline, by
keyboard: Tab reaches each question's summary, Enter opens it, the answer shows, nothing logs an
error. Pages without concept checks are skipped; the primer must have them. Both editions: the
Russian pages keep the same dropdowns.
"""

from __future__ import annotations

import pytest

from tests.site.conftest import PAGES, SITE_DIR
from tests.site.sitetools import Visitor

pytestmark = pytest.mark.browser

SUMMARY = "details.concept-check > summary"
# Tab presses allowed before the first summary is reached: the sidebar lists every chapter.
MAX_TABS = 400


EDITIONS = {"course": SITE_DIR, "ru": SITE_DIR / "ru"}


def _has_checks(page: str, edition: str = "course") -> bool:
    html = EDITIONS[edition] / f"{page}.html"
    return html.is_file() and "concept-check" in html.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def reader(browser):
    visitor = Visitor(browser)
    yield visitor
    visitor.close()


def test_the_primer_has_concept_checks(site_dir):
    assert _has_checks("book/00-introduction/00-introduction-primer")


@pytest.mark.parametrize("edition", list(EDITIONS))
@pytest.mark.parametrize("page", PAGES)
def test_concept_checks_open_by_keyboard_and_show_the_answer(request, reader, edition, page):
    site = request.getfixturevalue(f"{edition}_site")
    if not _has_checks(page, edition):
        pytest.skip(f"{edition}:{page} has no concept checks")
    report = reader.visit(site.url_of(page), axe=False)
    tab = reader.page
    summaries = tab.locator(SUMMARY)
    count = summaries.count()
    assert count >= 1, f"{page}: concept-check markup without a summary"
    # a real Tab walk from the top of the page reaches the first question
    tab.evaluate("document.activeElement && document.activeElement.blur()")
    for _ in range(MAX_TABS):
        tab.keyboard.press("Tab")
        if tab.evaluate(f"document.activeElement.matches({SUMMARY!r})"):
            break
    else:
        pytest.fail(f"{page}: {MAX_TABS} Tab presses never reached a concept check")
    for index in range(count):
        summary = summaries.nth(index)
        summary.focus()
        assert summary.evaluate("el => el === document.activeElement && el.tabIndex >= 0"), (
            f"{page}: concept check {index + 1} cannot take keyboard focus"
        )
        details = summary.locator("xpath=..")
        assert not details.evaluate("el => el.open"), f"{page}: answer {index + 1} shown unasked"
        tab.keyboard.press("Enter")
        assert details.evaluate("el => el.open"), f"{page}: Enter did not open check {index + 1}"
        answer = details.locator(":scope > :not(summary)").first
        answer.wait_for(state="visible")
        assert len(answer.inner_text().strip()) > 10, f"{page}: check {index + 1} shows no answer"
    errors = report.console_errors + reader._errors
    assert not errors, f"{page}: console errors: {errors}"
