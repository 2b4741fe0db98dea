"""The search box finds glossary terms, in English and in Russian, and the result opens the glossary."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

# Needs the built site (`make course`) and, mostly, Chromium: not part of `make test-fast`.
pytestmark = pytest.mark.browser

# (query typed by the reader, the glossary's English term it must lead to)
QUERIES = [
    ("subsistence minimum", "Subsistence minimum"),
    ("прожиточный минимум", "Subsistence minimum"),
]
GLOSSARY_PAGE = "book/reference/glossary"
GLOSSARY_HTML = f"{GLOSSARY_PAGE}.html"
RESULT_LINKS = "#search-results ul.search li a"
SEARCH_DONE_JS = """() => {
    const summary = document.querySelector('#search-results .search-summary');
    return summary !== null && /found|did not match/.test(summary.textContent);
}"""
# The glossary entry an anchor belongs to: its <dt> and the <dt>s (English and Russian forms)
# written together before the same definition.
ENTRY_TERMS_JS = """(id) => {
    const dt = document.getElementById(id);
    if (!dt) return null;
    let first = dt;
    while (first.previousElementSibling && first.previousElementSibling.tagName === 'DT') {
        first = first.previousElementSibling;
    }
    const terms = [];
    for (let node = first; node && node.tagName === 'DT'; node = node.nextElementSibling) {
        terms.push(node.textContent.trim());
    }
    return terms.join(' | ');
}"""


@pytest.mark.parametrize(("query", "term"), QUERIES)
def test_search_box_finds_glossary_term_and_result_opens_it(desktop, course_site, query, term):
    glossary = course_site.file_of(GLOSSARY_PAGE).read_text(encoding="utf-8")
    assert term in glossary and query.split()[0] in glossary.lower(), "term not in the glossary"
    desktop.open(course_site.url_of(course_site.pages[1]))  # start from a chapter, as readers do
    page = desktop.page
    page.locator("button.search-button__button:visible").first.click()
    box = page.locator("#pst-search-dialog input[name=q]")
    box.fill(query)
    box.press("Enter")
    # Sphinx lists results one by one; its summary line appears when the search is complete.
    page.wait_for_function(SEARCH_DONE_JS, timeout=15_000)
    results = page.locator(RESULT_LINKS)
    hrefs = results.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    # Prefer the term's own anchor; the glossary page itself is accepted because Sphinx 7.4 drops
    # index entries from searchindex.js on incremental builds (sphinx-doc/sphinx#12599).
    ranked = sorted(
        (i for i, href in enumerate(hrefs) if href.split("#")[0].split("?")[0] == GLOSSARY_HTML),
        key=lambda i: "#term-" not in hrefs[i],
    )
    assert ranked, f"no search result opens the glossary for {query!r}: {hrefs}"
    results.nth(ranked[0]).click()
    page.wait_for_load_state("load")
    url = urlsplit(page.url)
    assert url.path.endswith(f"/{GLOSSARY_HTML}")
    if url.fragment:
        entry = page.evaluate(ENTRY_TERMS_JS, url.fragment)
        assert entry is not None, f"result anchor #{url.fragment} missing on the glossary page"
        assert term in entry, f"#{url.fragment} is not the entry for {term!r}: {entry}"
    else:
        assert page.locator("dl.glossary dt", has_text=term).count() >= 1, "term not on the page"
