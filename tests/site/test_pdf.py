"""The printable course (`make pdf`): one PDF per edition, checked against the built site it was
printed from. Chapter titles and chart titles come from the site's HTML, the text from poppler's
``pdftotext``, bookmarks and drawings from pypdf."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from coursebook import pdf as coursepdf
from tests.site.conftest import PAGES

pytestmark = pytest.mark.browser  # printing needs Chromium and the built site

LANGS = ["en", "ru"]
H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
CHART = re.compile(
    r'<div class="course-chart"[^>]*>.*?<script type="application/json">(.*?)</script>', re.S
)
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
DOWNLOAD_PDF = re.compile(r'<a href="([^"]+)"[^>]*class="[^"]*btn-download-course-pdf-button')
PROSE_PDF = re.compile(r'<a [^>]*class="[^"]*course-pdf-link[^"]*"[^>]*href="([^"]+)"')


def _plain(markup: str) -> str:
    markup = re.sub(r'<a class="headerlink".*?</a>', "", markup, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", markup)).split())


def _squash(text: str) -> str:
    # Line breaks and hyphen-free wrapping differ between screen and paper: compare word streams.
    return " ".join(text.replace("\u00ad", "").split())


@pytest.fixture(scope="session")
def pdfs(site_dir: Path) -> dict[str, Path]:
    """The PDFs `make pdf` wrote beside the site; printed here when missing or older than it."""
    out_dir = site_dir.parent / "pdf"
    books = {lang: out_dir / f"course-{lang}.pdf" for lang in LANGS}
    built = (site_dir / "index.html").stat().st_mtime
    stale = [
        lang for lang, path in books.items() if not path.is_file() or path.stat().st_mtime < built
    ]
    if stale:
        args = ["--site", str(site_dir), "--out-dir", str(out_dir)]
        assert coursepdf.main([*args, *[f"--lang={lang}" for lang in stale]]) == 0
    return books


def _edition(site_dir: Path, lang: str) -> Path:
    return site_dir if lang == "en" else site_dir / lang


def _chapter_ranges(reader: PdfReader) -> list[tuple[str, int, int]]:
    """(title, first page, page after last) of every chapter bookmark, in order."""
    marks, outline = [], reader.outline
    for index, item in enumerate(outline):
        # pypdf lists a part's bookmark followed by the list of its chapters: keep the chapters.
        is_part = index + 1 < len(outline) and isinstance(outline[index + 1], list)
        for mark in item if isinstance(item, list) else ([] if is_part else [item]):
            marks.append((mark.title, reader.get_destination_page_number(mark)))
    marks.sort(key=lambda m: m[1])
    ends = [start for _, start in marks[1:]] + [len(reader.pages)]
    return [(title, start, end) for (title, start), end in zip(marks, ends, strict=True)]


def _text(path: Path, first: int = 1, last: int | None = None, *, layout: bool = False) -> str:
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext missing: install poppler-utils (`make system-deps`)", pytrace=False)
    args = (
        ["pdftotext", *(["-layout"] if layout else []), "-f", str(first)]
        + (["-l", str(last)] if last else [])
        + [str(path), "-"]
    )
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("lang", LANGS)
def test_every_chapter_title_in_toc_order_with_a_bookmark(pdfs, site_dir, lang):
    edition = _edition(site_dir, lang)
    titles = [
        _plain(H1.search((edition / f"{page}.html").read_text(encoding="utf-8")).group(1))
        for page in PAGES
    ]
    reader = PdfReader(pdfs[lang])
    chapters = _chapter_ranges(reader)
    assert [title for title, _, _ in chapters][: len(titles)] == titles
    assert len(chapters) == len(titles) + 1  # and the exercises list at the end
    body = _squash(_text(pdfs[lang], first=3))
    position = 0
    for title in titles:
        found = body.find(_squash(title), position)
        assert found >= 0, f"chapter title {title!r} missing or out of order in {lang} PDF"
        position = found
    assert 3 * len(titles) <= len(reader.pages) <= 25 * len(titles), len(reader.pages)


@pytest.mark.parametrize("lang", LANGS)
def test_contents_page_numbers_point_at_the_chapters(pdfs, lang):
    reader = PdfReader(pdfs[lang])
    contents = _squash(_text(pdfs[lang], first=2, last=3, layout=True))
    for title, start, _ in _chapter_ranges(reader):
        assert f"{_squash(title)} {start + 1}" in contents, title
        # the stamped number at the foot of the chapter's first page is that same number
        assert _text(pdfs[lang], first=start + 1, last=start + 1).split()[-1] == str(start + 1)


@pytest.mark.parametrize("lang", LANGS)
def test_every_chart_is_drawn_as_vectors_on_its_chapter_pages(pdfs, site_dir, lang):
    edition = _edition(site_dir, lang)
    reader = PdfReader(pdfs[lang])
    ranges = _chapter_ranges(reader)
    drawn = 0
    for page, (title, start, end) in zip(PAGES, ranges, strict=False):
        specs = CHART.findall((edition / f"{page}.html").read_text(encoding="utf-8"))
        if not specs:
            continue
        text = _squash(_text(pdfs[lang], first=start + 1, last=end))
        strokes = sum(
            len(re.findall(rb"\s(?:l|c|re)\s", reader.pages[i].get_contents().get_data()))
            for i in range(start, end)
        )
        # Vega's SVG prints as paths: axes, ticks, marks. A page of prose has a handful.
        assert strokes >= 30 * len(specs), (
            f"{title}: {strokes} path segments for {len(specs)} charts"
        )
        for spec in map(json.loads, map(html.unescape, specs)):
            chart_title = spec.get("title")
            if isinstance(chart_title, dict):
                chart_title = chart_title.get("text")
            if isinstance(chart_title, str):
                assert _squash(chart_title) in text, f"chart {chart_title!r} missing from {title}"
                drawn += 1
    assert drawn >= 10, f"only {drawn} titled charts found in the {lang} PDF"


def test_russian_text_is_extractable_and_fonts_embedded(pdfs):
    text = _text(pdfs["ru"])
    assert "Содержание" in text
    assert len(CYRILLIC.findall(text)) > 50_000
    for lang in LANGS:
        fonts = subprocess.run(
            ["pdffonts", str(pdfs[lang])], capture_output=True, text=True, check=True
        ).stdout.splitlines()[2:]
        assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts


def test_exercises_listed_with_their_files(pdfs, site_dir):
    reader = PdfReader(pdfs["en"])
    title, start, end = _chapter_ranges(reader)[-1]
    assert title == coursepdf.WORDS["en"]["exercises"]
    listing = _text(pdfs["en"], first=start + 1, last=end)
    zips = re.findall(r"exercises/\S+\.zip", listing)
    assert zips and all((site_dir / path).is_file() for path in zips), zips


def test_first_pages_render(pdfs, tmp_path):
    for lang in LANGS:
        subprocess.run(
            ["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "3", str(pdfs[lang]), str(tmp_path / lang)],
            check=True,
        )  # fmt: skip
        images = sorted(tmp_path.glob(f"{lang}-*.png"))
        assert len(images) == 3 and all(image.stat().st_size > 2_000 for image in images)


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_and_the_landing_page_link_their_editions_pdf(pdfs, site_dir, lang):
    edition = _edition(site_dir, lang)
    book = edition / coursepdf.SITE_PDF.format(lang=lang)
    assert book.is_file() and book.read_bytes() == pdfs[lang].read_bytes()
    wrong = []
    for page in PAGES:
        path = edition / f"{page}.html"
        links = DOWNLOAD_PDF.findall(path.read_text(encoding="utf-8"))
        targets = {(path.parent / html.unescape(href)).resolve() for href in links}
        if targets != {book.resolve()}:
            wrong.append(f"{page}: download menu links {targets or 'no course PDF'}")
    assert wrong == []
    landing = (edition / f"{PAGES[0]}.html").read_text(encoding="utf-8")
    prose = [(edition / PAGES[0]).parent / href for href in PROSE_PDF.findall(landing)]
    assert [p.resolve() for p in prose] == [book.resolve()]


@pytest.mark.parametrize("lang", LANGS)
def test_figures_and_tables_numbered_by_chapter(pdfs, site_dir, lang):
    words = coursepdf.WORDS[lang]
    edition = _edition(site_dir, lang)
    ranges = _chapter_ranges(PdfReader(pdfs[lang]))
    numbered = 0
    for number, (page, (title, start, end)) in enumerate(zip(PAGES, ranges, strict=False)):
        text = _squash(_text(pdfs[lang], first=start + 1, last=end))
        source = (edition / f"{page}.html").read_text(encoding="utf-8")
        figures = [int(n) for n in re.findall(rf"{words['figure']} {number}\.(\d+)", text)]
        tables = [int(n) for n in re.findall(rf"{words['table']} {number}\.(\d+)", text)]
        if number == 0:  # the landing page is front matter
            assert not figures and not tables
            continue
        assert f"{number}. {_squash(title)}" in text, f"chapter {number} {title!r} unnumbered"
        # every chart is a figure, counted 1, 2, ... in its chapter
        assert figures == list(range(1, len(figures) + 1)), (title, figures)
        assert len(figures) >= len(CHART.findall(source)), title
        assert tables == list(range(1, len(tables) + 1)), (title, tables)
        if "<table" in source:
            assert tables, f"{title}: tables without numbers"
        numbered += len(figures) + len(tables)
    # the site's own figure numbers ("Fig. 5", "Рис. 5") are replaced
    assert not re.search(r"\b(?:Fig|Рис)\. \d", _text(pdfs[lang]))
    assert numbered >= 30
