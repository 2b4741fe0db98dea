"""The Russian edition (issue 14): catalogues that cannot drift silently, and figures that are the
same in both editions, only written the Russian way.

Reads what `make course` built: the message templates of the current English pages
(``_build/gettext``), the English site (``_build/html``) and the Russian one (``_build/html/ru``).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import warnings
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from coursebook.i18n import format_number, is_number
from coursebook.translations import drift, pending
from tests.book.conftest import REPO
from tests.book.test_build import _toc_files

# A build made elsewhere (--path-output X) is tested with COURSE_SITE_DIR=X/_build/html.
SITE = Path(os.environ.get("COURSE_SITE_DIR", REPO / "_build" / "html")).resolve()
RU = SITE / "ru"
TEMPLATES = SITE.parent / "gettext"
CATALOGUES = REPO / "locales" / "ru" / "LC_MESSAGES"
PENDING = REPO / "locales" / "ru" / "PENDING.txt"
# Needs what `make course` built: not part of `make test-fast`.
pytestmark = pytest.mark.slow
_spec = importlib.util.spec_from_file_location("course_lean", REPO / "_ext" / "course_lean.py")
course_lean = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(course_lean)


@pytest.fixture(scope="module")
def reports():
    if not TEMPLATES.is_dir() or not (RU / "index.html").is_file():
        pytest.fail(
            "no message templates or Russian edition: run `make course` first", pytrace=False
        )
    return drift(TEMPLATES, CATALOGUES)


def test_every_page_not_pending_is_fully_translated(reports):
    allowed = set(pending(PENDING))
    summary = [
        f"{page}: {r.translated}/{r.total} messages translated"
        for page, r in reports.items()
        if page in allowed
    ]
    # Shown in pytest's warnings summary on every run, so the remaining work stays visible.
    warnings.warn(
        "Russian pages still pending (locales/ru/PENDING.txt):\n" + "\n".join(summary), stacklevel=1
    )
    problems = [
        line
        for page, r in reports.items()
        if page not in allowed and not r.clean
        for line in r.lines(limit=10_000)  # every message, not a sample
    ]
    assert not problems, "Russian catalogues out of step with the English pages:\n" + "\n".join(
        problems
    )


def test_pending_list_names_only_unfinished_pages(reports):
    listed = pending(PENDING)
    unknown = [page for page in listed if page not in reports]
    finished = [page for page in listed if reports[page].clean]
    assert unknown == [], f"PENDING.txt names pages that do not exist: {unknown}"
    assert finished == [], f"fully translated, delete from PENDING.txt: {finished}"


def test_translations_keep_every_glued_figure(reports):
    # Pending or not: a translated sentence must carry the same numbers as its English source.
    wrong = [line for r in reports.values() if r.glue for line in r.lines() if "glue" in line]
    assert wrong == []


def test_no_catalogue_without_an_english_page(reports):
    orphans = [
        po.relative_to(CATALOGUES).as_posix()
        for po in CATALOGUES.rglob("*.po")
        if po.relative_to(CATALOGUES).with_suffix("").as_posix() not in reports
    ]
    assert orphans == []


def _soup(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _pages():
    return [page for page in _toc_files() if (SITE / f"{page}.html").is_file()]


def _translations(page):
    path = CATALOGUES / f"{page}.po"
    if not path.is_file():
        return {}
    with path.open("rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id and m.string and not m.fuzzy}


def test_every_figure_appears_in_russian_form_on_the_russian_page(reports):
    assert _pages(), "no built site"
    differing = []
    for page in _pages():
        english = [s.get_text() for s in _soup(SITE / f"{page}.html").select("span.pasted-text")]
        russian = [s.get_text() for s in _soup(RU / f"{page}.html").select("span.pasted-text")]
        # Numbers exactly in Russian form; a glued text (a region name) as the page's catalogue
        # translates it (English where it has no translation).
        table = _translations(page)
        expected = Counter(
            format_number(text, "ru") if is_number(text) else table.get(text, text)
            for text in english
        )
        if expected != Counter(russian):
            differing.append(f"{page}: missing {expected - Counter(russian)}")
    assert differing == []


def test_number_format_examples():
    assert format_number("12.5", "ru") == "12,5"
    assert format_number("12,345.6", "ru") == "12\u00a0345,6"
    assert format_number("1,234", "ru") == "1234"  # four digits: no separator in Russian usage
    assert format_number("-3.0", "ru") == "\u22123,0"
    assert format_number("2020", "ru") == "2020"
    assert format_number("St. Petersburg", "ru") == "St. Petersburg"
    assert format_number("12.5", "en") == "12.5"


def _chart_numbers(path):
    # Compiled (Vega) specs keep their tables as `data` values, often CSV text: chart_rows reads
    # both forms back with their types.
    numbers = []
    for _, payload, _ in course_lean.CHART_JSON.findall(path.read_text(encoding="utf-8")):
        spec = json.loads(payload.replace("<\\/", "</"))
        for rows in course_lean.chart_rows(spec).values():
            numbers += sorted(v for row in rows for v in row.values() if isinstance(v, int | float))
    return numbers


def test_charts_plot_the_same_numbers_in_both_editions():
    compared = 0
    for page in _pages():
        english = _chart_numbers(SITE / f"{page}.html")
        assert english == _chart_numbers(RU / f"{page}.html"), page
        compared += len(english)
    assert compared > 0, "no chart numbers found in any page: the check would compare nothing"


def test_each_page_links_the_same_page_in_the_other_edition():
    wrong = []
    for page in _pages():
        for path, lang, other, other_path in (
            (SITE / f"{page}.html", "en", "ru", RU / f"{page}.html"),
            (RU / f"{page}.html", "ru", "en", SITE / f"{page}.html"),
        ):
            soup = _soup(path)
            if soup.html.get("lang") != lang:
                wrong.append(f"{path}: <html lang={soup.html.get('lang')}>")
            switch = soup.select_one("a.course-language-switch")
            alternates = {a["hreflang"]: a["href"] for a in soup.select("link[rel=alternate]")}
            if switch is None or switch.get("hreflang") != other:
                wrong.append(f"{path}: no switch to {other}")
                continue
            if (path.parent / switch["href"]).resolve() != other_path.resolve():
                wrong.append(f"{path}: switch opens {switch['href']}, not the same page")
            if set(alternates) != {"en", "ru", "x-default"}:
                wrong.append(f"{path}: hreflang alternates {alternates}")
    assert wrong == []


def test_root_lets_the_visitor_choose_and_stores_nothing():
    root = (SITE / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(root, "html.parser")
    links = {a["hreflang"]: a["href"] for a in soup.select("a[hreflang]")}
    assert (SITE / links["en"]).is_file() and (SITE / links["ru"]).is_file()
    assert links["ru"].startswith("ru/")
    assert "<script" not in root and "cookie" not in root.lower()


def test_russian_interface_strings():
    page = (RU / "book/reference/about.html").read_text(encoding="utf-8")
    assert 'lang="ru"' in page
    assert "Поиск" in page and "Search the course" not in page
    assert "English version" in page
    # The licence line (html_theme_options.extra_footer) in each edition's language.
    footer = _soup(RU / "book/reference/about.html").select_one("div.extra_footer")
    assert footer is not None and "по лицензии MIT" in footer.get_text()
    footer = _soup(SITE / "book/reference/about.html").select_one("div.extra_footer")
    assert footer is not None and "code under the MIT licence" in footer.get_text()


NUMBER_TOKEN = re.compile(r"(?<![\w.,])[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\w])(?![.,]\d)")


def test_outputs_for_the_reader_are_russian_with_the_same_figures():
    # Code cells tagged translate-output: their printed lines and tables are in Russian on the
    # Russian page, with every number of the English output in Russian form.
    tagged = 0
    wrong = []
    for page in _pages():
        english = _soup(SITE / f"{page}.html").select("div.tag_translate-output div.cell_output")
        russian = _soup(RU / f"{page}.html").select("div.tag_translate-output div.cell_output")
        if len(english) != len(russian):
            wrong.append(
                f"{page}: {len(english)} tagged outputs in English, {len(russian)} in Russian"
            )
            continue
        for en, ru in zip(english, russian, strict=True):
            tagged += 1
            en_text, ru_text = en.get_text(), ru.get_text()
            if en_text == ru_text or not re.search("[а-яё]", ru_text, re.I):
                wrong.append(f"{page}: output still in English: {en_text[:80]!r}")
            expected = Counter(format_number(n, "ru") for n in NUMBER_TOKEN.findall(en_text))
            missing = [n for n, count in expected.items() if ru_text.count(n) < count]
            if missing:
                wrong.append(f"{page}: figures missing from the Russian output: {missing[:5]}")
    assert tagged >= 2, "no output tagged translate-output was found"
    assert wrong == []


def test_code_cell_toggles_are_russian():
    pages = [RU / f"{page}.html" for page in _pages()]
    toggles = [t.get_text(" ", strip=True) for p in pages for t in _soup(p).select("summary")]
    assert "Показать код ячейки Скрыть код ячейки" in toggles
    assert not [t for t in toggles if "code cell" in t]
