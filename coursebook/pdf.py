"""The printable course: one PDF per edition, printed from the built site by Debian Chromium.

Why from the built HTML rather than Jupyter Book's LaTeX or ``pdfhtml`` routes: the LaTeX route
drops the Vega charts and ``pdfhtml`` downloads a browser at run time. Here every page of the table
of contents is opened from ``file://`` (no request may leave the machine), its charts are drawn by
the vendored Vega, and Chromium prints it with the site's own print CSS. pypdf then joins cover,
contents, chapters and an exercise list, adds one bookmark per chapter and stamps page numbers.

Each book is written to ``--out-dir`` (``_build/pdf/course-<lang>.pdf``) and copied into its
edition of the site (``pdf/course-<lang>.pdf`` under the edition's root), where every page's download
menu and the landing page link it (``_ext/course_print.py``).

Usage: python -m coursebook.pdf [--site _build/html] [--lang en|ru] [--out-dir _build/pdf]
"""

from __future__ import annotations

import argparse
import io
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import yaml
from playwright.sync_api import Error as PlaywrightError
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, NameObject

from coursebook.pdf_page import BOOK_CSS, NUMBER_JS, PAGE_FACTS_JS, SETTLED_JS

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
CHART_TIMEOUT_MS = 60_000
SITE_PDF = "pdf/course-{lang}.pdf"  # in the edition's site: the path _ext/course_print.py links
MARGIN = {"top": "16mm", "bottom": "20mm", "left": "15mm", "right": "15mm"}
WORDS = {
    "en": {"contents": "Contents", "exercises": "Exercises and how to get them",
           "edition": "Printed edition of the course site", "chapter": "Chapter",
           "figure": "Figure", "table": "Table",
           "files": "Files", "how": (
               "Each exercise is a Jupyter notebook with its data. Download it from the chapter's "
               "“Practise” links on the course site, or take it from the offline copy of the site "
               "(course-site zip), where the files are at the paths below. Unzip the archive and "
               "open the notebook in JupyterLab; your trainer may also give you a JupyterHub link.")},
    "ru": {"contents": "Содержание", "exercises": "Упражнения и где их взять",
           "edition": "Печатная версия сайта курса", "chapter": "Глава",
           "figure": "Рисунок", "table": "Таблица",
           "files": "Файлы", "how": (
               "Каждое упражнение — тетрадь Jupyter с данными. Скачайте её по ссылкам раздела "
               "«Практика» на странице главы или возьмите из автономной копии сайта "
               "(архив course-site): файлы лежат по указанным ниже путям. Распакуйте архив и "
               "откройте тетрадь в JupyterLab; преподаватель может дать и ссылку на JupyterHub.")},
}  # fmt: skip
FRONT = jinja2.Environment(autoescape=True).from_string("""<!DOCTYPE html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><style>
body { font-family: "DejaVu Sans", sans-serif; color: #1a1a1a; font-size: 11pt; }
.cover { height: 240mm; display: flex; flex-direction: column; justify-content: center;
  break-after: page; text-align: center; }
.cover h1 { font-size: 26pt; line-height: 1.3; } .cover p { font-size: 13pt; color: #444; }
h2 { font-size: 18pt; } ol { list-style: none; padding: 0; }
li { display: flex; gap: .5em; margin: .25em 0; align-items: last baseline; } li.part { font-weight: bold; margin-top: .8em; }
li .number { min-width: 1.6em; align-self: first baseline; } li .dots { flex: 1 0 3em; border-bottom: 1px dotted #888; margin-bottom: .3em; }
</style></head><body>
{% if cover %}<section class="cover"><h1>{{ title }}</h1><p>{{ words.edition }}</p></section>{% endif %}
<h2>{{ words.contents }}</h2><ol>
{% for entry in entries %}<li class="{{ 'part' if entry.part else '' }}">
{% if entry.number %}<span class="number">{{ entry.number }}</span>{% endif %}
<span>{{ entry.title }}</span>{% if not entry.part %}<span class="dots"></span>
<span>{{ entry.page }}</span>{% endif %}</li>{% endfor %}
</ol></body></html>""")
EXERCISES = jinja2.Environment(autoescape=True).from_string("""<!DOCTYPE html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><style>
body { font-family: "DejaVu Sans", sans-serif; font-size: 11pt; } h1 { font-size: 20pt; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 9.5pt; }
</style></head><body><h1>{{ words.exercises }}</h1><p>{{ words.how }}</p>
{% for chapter in chapters %}<h2>{{ words.chapter }}: {{ chapter.title }}</h2><ul>
{% for link in chapter.exercises %}<li>{{ link.text }}: <code>{{ link.path }}</code></li>{% endfor %}
</ul>{% endfor %}</body></html>""")
NUMBERS = """<!DOCTYPE html><html><head><style>div { height: 10mm; break-after: page; }</style>
</head><body>BODY</body></html>"""
FOOTER = ('<div style="font-size: 9px; font-family: DejaVu Sans, sans-serif; width: 100%; text-align: center;">'
          '<span class="pageNumber"></span></div>')  # fmt: skip


@dataclass
class Chapter:
    page: str
    title: str
    pdf: bytes
    pages: int
    charts: int
    exercises: list[dict] = field(default_factory=list)
    figures: int = 0
    tables: int = 0


def toc_pages(toc_file: Path) -> list[tuple[str, int]]:
    """Every document of a jb-book ``_toc.yml`` in order, with its part's index (-1: the root)."""
    toc = yaml.safe_load(toc_file.read_text(encoding="utf-8"))
    pages = [(toc["root"], -1)]

    def walk(entries: list[dict], part: int) -> None:
        for entry in entries:
            if "file" in entry:
                pages.append((entry["file"], part))
            walk(entry.get("sections", []), part)

    for index, part in enumerate(toc.get("parts", [])):
        walk(part.get("chapters", []), index)
    return pages


def _offline(context) -> None:
    # Only the site's own files: anything else (a CDN, a font service) is refused, not fetched.
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(("file:", "data:", "blob:"))
            else route.abort("blockedbyclient")
        ),
    )


def _print(tab, **extra) -> bytes:
    return tab.pdf(format="A4", margin=MARGIN, print_background=False, **extra)


def _count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def render_chapter(
    tab, site: Path, edition: Path, page: str, number: int, lang: str
) -> tuple[Chapter, list[str]]:
    """Print one page of the site; ``number`` (0: front matter) numbers its figures and tables."""
    tab.goto((edition / f"{page}.html").as_uri(), wait_until="load")
    tab.wait_for_function(SETTLED_JS, timeout=CHART_TIMEOUT_MS)
    facts = tab.evaluate(PAGE_FACTS_JS)
    if any(state != "true" for state in facts["charts"]):
        raise RuntimeError(f"a chart of {page} failed to draw")
    tab.add_style_tag(content=BOOK_CSS)
    tab.emulate_media(media="print")
    counts = {"figures": 0, "tables": 0}
    if number:
        counts = tab.evaluate(NUMBER_JS, [number, WORDS[lang]])
    pdf = _print(tab)
    tab.emulate_media(media="screen")
    for link in facts["exercises"]:
        # Shown as a path inside the site (the offline zip): a printed file:// link means nothing.
        path = Path(link["href"].removeprefix("file://"))
        link["path"] = str(path.relative_to(site)) if path.is_relative_to(site) else path.name
    chapter = Chapter(page, facts["title"], pdf, _count(pdf), len(facts["charts"]))
    chapter.exercises = facts["exercises"]
    chapter.figures, chapter.tables = counts["figures"], counts["tables"]
    return chapter, facts["parts"]


def _front(tab, lang: str, title: str, entries: list[dict], *, cover: bool) -> bytes:
    html = FRONT.render(lang=lang, title=title, words=WORDS[lang], entries=entries, cover=cover)
    tab.set_content(html, wait_until="load")
    return _print(tab)


def build(site: Path, lang: str, out: Path, toc: Path = REPO / "_toc.yml") -> list[Chapter]:
    """Print the edition ``lang`` of the built ``site`` into ``out``; return its chapters."""
    from playwright.sync_api import sync_playwright

    edition = edition_dir(site, lang)
    if not (edition / "index.html").is_file():
        raise FileNotFoundError(f"no built {lang} edition at {edition}: run `make course` first")
    missing = [page for page, _ in toc_pages(toc) if not (edition / f"{page}.html").is_file()]
    if missing:
        raise FileNotFoundError(
            f"{edition} lacks {missing[0]}.html, listed in {toc}: run `make course`"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(viewport={"width": 1000, "height": 1400}, locale=lang)
        _offline(context)
        tab = context.new_page()
        chapters, part_of, parts = [], {}, []
        for index, (page, part) in enumerate(toc_pages(toc)):
            # The root (landing page) is front matter; chapters are numbered from 1.
            chapter, captions = render_chapter(tab, site, edition, page, index, lang)
            chapters.append(chapter)
            part_of[page] = part
            parts = parts or captions
        with_exercises = [c for c in chapters if c.exercises]
        tab.set_content(
            EXERCISES.render(lang=lang, words=WORDS[lang], chapters=with_exercises),
            wait_until="load",
        )
        exercises_pdf = _print(tab)
        # Two passes: the contents' own length decides where chapter 1 starts.
        title = chapters[0].title
        front_pages, entries = 2, []
        for _ in range(3):
            entries, number, last_part = [], front_pages + 1, None
            for index, chapter in enumerate(chapters):
                part = part_of[chapter.page]
                if part != last_part and 0 <= part < len(parts):
                    entries.append({"title": parts[part], "part": True})
                last_part = part
                entries.append(
                    {"title": chapter.title, "page": number, "part": False, "number": index}
                )
                number += chapter.pages
            entries.append({"title": WORDS[lang]["exercises"], "page": number, "part": False})
            front = _front(tab, lang, title, entries, cover=True)
            if _count(front) == front_pages:
                break
            front_pages = _count(front)
        total = front_pages + sum(c.pages for c in chapters) + _count(exercises_pdf)
        tab.set_content(NUMBERS.replace("BODY", "<div></div>" * total), wait_until="load")
        numbers = _print(tab, display_header_footer=True, header_template="<span></span>",
                         footer_template=FOOTER)  # fmt: skip
        browser.close()
    _assemble(out, front, chapters, exercises_pdf, numbers, entries, parts, part_of)
    return chapters


def _assemble(out, front, chapters, exercises_pdf, numbers, entries, parts, part_of) -> None:
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(front)))
    bookmarks = [e for e in entries if not e["part"]]
    part_marks: dict[int, object] = {}
    for chapter, entry in zip([*chapters, None], bookmarks, strict=True):
        start = len(writer.pages)
        writer.append(PdfReader(io.BytesIO(chapter.pdf if chapter else exercises_pdf)))
        part = part_of.get(chapter.page, -1) if chapter else -1
        parent = None
        if 0 <= part < len(parts):
            if part not in part_marks:
                part_marks[part] = writer.add_outline_item(title=parts[part], page_number=start)
            parent = part_marks[part]
        writer.add_outline_item(title=entry["title"], page_number=start, parent=parent)
    stamps = PdfReader(io.BytesIO(numbers))
    for index, page in enumerate(writer.pages):
        _drop_file_links(page)
        if index > 0:  # the cover carries no number
            page.merge_page(stamps.pages[index])
    writer.add_metadata({"/Title": entries and bookmarks[0]["title"] or "Course"})
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_suffix(".pdf.part")
    with partial.open("wb") as handle:
        writer.write(handle)
    partial.replace(out)  # never a half-written book under the final name


def _drop_file_links(page) -> None:
    # Chromium keeps links as file:// URIs of the build machine: dead on paper and on other disks.
    annots = page.get("/Annots")
    if not annots:
        return
    kept = ArrayObject()
    for ref in annots:
        action = ref.get_object().get("/A")
        uri = str(action.get_object().get("/URI", "")) if action else ""
        if not uri.startswith("file:"):
            kept.append(ref)
    page[NameObject("/Annots")] = kept


def edition_dir(site: Path, lang: str) -> Path:
    return site if lang == "en" else site / lang


def publish(book: Path, site: Path, lang: str) -> Path:
    """Copy a printed book into its edition of the site, where the pages link it."""
    target = edition_dir(site, lang) / SITE_PDF.format(lang=lang)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".pdf.part")
    shutil.copyfile(book, partial)
    partial.replace(target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=REPO / "_build" / "html")
    parser.add_argument("--lang", choices=sorted(WORDS), action="append")
    parser.add_argument("--out-dir", type=Path, default=REPO / "_build" / "pdf")
    parser.add_argument("--toc", type=Path, default=REPO / "_toc.yml")
    args = parser.parse_args(argv)
    for lang in args.lang or sorted(WORDS):
        out = args.out_dir / f"course-{lang}.pdf"
        try:
            chapters = build(args.site.resolve(), lang, out, args.toc)
        except (FileNotFoundError, RuntimeError, PlaywrightError) as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        pages = len(PdfReader(out).pages)
        print(f"{out}: {pages} pages, {len(chapters)} chapters, {out.stat().st_size / 1e6:.1f} MB")
        print(f"  linked from the site as {publish(out, args.site.resolve(), lang)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
