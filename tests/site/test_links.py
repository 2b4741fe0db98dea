"""The built site read as files and fetched over loopback HTTP, without a browser: nothing loads from an
external host, cross-references land on existing anchors, and every download serves what it promises."""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.request
import zipfile
from functools import cache
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

import nbformat
import pytest
from bs4 import BeautifulSoup

from tests.site.sitetools import Site

# Needs the built site (`make course`) and, mostly, Chromium: not part of `make test-fast`.
pytestmark = pytest.mark.browser

SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION", "### BEGIN HIDDEN TESTS")
# Attributes through which a page makes the browser fetch something.
LOADING_ATTRIBUTES = {
    "script": "src",
    "img": "src",
    "iframe": "src",
    "source": "src",
    "audio": "src",
    "video": "src",
    "embed": "src",
}
LOADING_LINK_RELS = {"stylesheet", "preload", "modulepreload", "icon", "manifest", "prefetch"}
CSS_EXTERNAL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])(?:https?:)?//""")
INLINE_EXTERNAL = re.compile(r"""["'](?:https?:)?//[^"']+\.(?:js|css|woff2?)\b""")


@cache
def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@cache
def _ids(path: Path) -> frozenset[str]:
    return frozenset(tag["id"] for tag in _soup(path).find_all(id=True))


def _is_external(url: str) -> bool:
    return url.startswith("//") or bool(urlsplit(url).scheme in {"http", "https"})


def _built(site: Site) -> list[Path]:
    # A toc page missing from the build is reported by test_every_toc_page_is_built.
    return [path for path in map(site.file_of, site.pages) if path.is_file()]


def test_every_toc_page_is_built(any_site):
    missing = [page for page in any_site.pages if not any_site.file_of(page).is_file()]
    assert not missing, f"pages in _toc.yml missing from {any_site.html} (rebuild): {missing}"


def _local_links(site: Site) -> list[tuple[Path, object, Path, str]]:
    """(page, <a> tag, target file, fragment) for every same-site link of every toc page."""
    links = []
    for page in _built(site):
        for anchor in _soup(page).find_all("a", href=True):
            href = anchor["href"]
            parts = urlsplit(href)
            if parts.scheme or href.startswith(("//", "mailto:")):
                continue
            target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
            links.append((page, anchor, target, unquote(parts.fragment)))
    return links


def _broken(links: list[tuple[Path, object, Path, str]], site: Site) -> list[str]:
    broken = []
    for page, anchor, target, fragment in links:
        where = f"{page.relative_to(site.html)}: {anchor['href']}"
        if not target.is_file():
            broken.append(f"{where} (no such file)")
        elif fragment and target.suffix == ".html" and fragment not in _ids(target):
            broken.append(f"{where} (no anchor #{fragment})")
    return broken


def test_no_page_loads_scripts_or_styles_from_external_hosts(any_site):
    site_dir = any_site.html
    offenders = []
    for page in sorted(site_dir.rglob("*.html")):
        if "_static" in page.relative_to(site_dir).parts:
            continue
        soup = _soup(page)
        for tag, attribute in LOADING_ATTRIBUTES.items():
            for element in soup.find_all(tag, attrs={attribute: True}):
                if _is_external(element[attribute]):
                    offenders.append(f"{page.relative_to(site_dir)}: <{tag}> {element[attribute]}")
        for link in soup.find_all("link", href=True):
            if LOADING_LINK_RELS & set(link.get("rel", [])) and _is_external(link["href"]):
                offenders.append(f"{page.relative_to(site_dir)}: <link> {link['href']}")
        for script in soup.find_all("script", src=False):
            if script.get("type", "text/javascript") in {"text/javascript", "module"}:
                for match in INLINE_EXTERNAL.findall(script.get_text()):
                    offenders.append(f"{page.relative_to(site_dir)}: inline script loads {match}")
    assert offenders == []


def test_stylesheets_fetch_fonts_and_icons_locally(any_site):
    site_dir = any_site.html
    offenders = [
        str(css.relative_to(site_dir))
        for css in sorted(site_dir.joinpath("_static").rglob("*.css"))
        if CSS_EXTERNAL.search(css.read_text(encoding="utf-8", errors="replace"))
    ]
    assert offenders == []


def test_glossary_term_links_point_to_existing_anchors(any_site):
    terms = [link for link in _local_links(any_site) if link[1].find(class_="std-term")]
    uses_terms = any("{term}" in any_site.source_of(page) for page in any_site.pages)
    assert terms or not uses_terms, "pages use {term} but no glossary link was built"
    assert _broken(terms, any_site) == []


def test_citation_links_point_to_existing_bibliography_entries(any_site):
    citations = [link for link in _local_links(any_site) if _is_citation(*link[2:])]
    uses_citations = any("{cite" in any_site.source_of(page) for page in any_site.pages)
    assert citations or not uses_citations, "pages cite sources but no citation link was built"
    assert _broken(citations, any_site) == []


def test_every_internal_link_resolves(any_site):
    assert _broken(_local_links(any_site), any_site) == []


def _is_citation(target: Path, fragment: str) -> bool:
    # A link into the bibliography page, or to an element sphinxcontrib-bibtex marks as an entry.
    if not fragment or not target.is_file():
        return False
    if target.name == "bibliography.html":
        return True
    element = _soup(target).find(id=fragment)
    return element is not None and (
        "citation" in element.get("class", []) or element.get("role") == "doc-biblioentry"
    )


def _fetch(site: Site, page: Path, href: str) -> bytes:
    url = urljoin(f"{site.url}{page.relative_to(site.html).as_posix()}", href)
    with urllib.request.urlopen(url, timeout=10) as response:  # loopback only
        assert response.status == 200, url
        return response.read()


def _check_student_notebook(raw: bytes, where: str) -> nbformat.NotebookNode:
    notebook = nbformat.reads(raw.decode("utf-8"), as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        for marker in SOLUTION_MARKERS:
            assert marker not in cell.source, f"{where}: {marker!r} left in the student version"
    return notebook


def test_exercise_downloads_serve_student_notebook_and_data(any_site):
    downloads = []
    for page in any_site.pages:
        if not any_site.file_of(page).is_file():
            continue
        links = _soup(any_site.file_of(page)).select("a.exercise-download")
        if "{exercise-download}" in any_site.source_of(page):
            assert links, (
                f"{page}: no download links (student versions not built: run `make course`)"
            )
        downloads += [(any_site.file_of(page), a["href"]) for a in links]
    for page, href in downloads:
        raw = _fetch(any_site, page, href)
        name = PurePosixPath(urlsplit(href).path).name
        if name.endswith(".ipynb"):
            _check_student_notebook(raw, href)
            continue
        assert name.endswith(".zip"), f"{href}: unexpected download type"
        _check_bundle(raw, href)


def _check_bundle(raw: bytes, href: str) -> None:
    with zipfile.ZipFile(io.BytesIO(raw)) as bundle:
        names = bundle.namelist()
        notebooks = [n for n in names if n.endswith(".ipynb") and "checkpoint" not in n]
        assert len(notebooks) == 1, f"{href}: expected one notebook, got {notebooks}"
        folder = PurePosixPath(notebooks[0]).parent
        notebook = _check_student_notebook(bundle.read(notebooks[0]), href)
        data = {PurePosixPath(n).name for n in names if PurePosixPath(n).parent == folder / "data"}
    assert any(n.endswith(".csv") for n in data), f"{href}: no data/*.csv beside the notebook"
    wanted = set(notebook.metadata.get("course", {}).get("datasets", []))
    assert wanted <= data, f"{href}: data files missing from the zip: {sorted(wanted - data)}"


def test_dataset_links_serve_their_files(any_site):
    checked = []
    for page in _built(any_site):
        for anchor in _soup(page).find_all("a", href=True):
            parts = urlsplit(anchor["href"])
            if parts.scheme or not parts.path.endswith((".csv", ".json")):
                continue
            body = _fetch(any_site, page, anchor["href"])
            assert body.strip(), f"{anchor['href']}: empty file"
            if parts.path.endswith(".json"):
                json.loads(body)
            else:
                rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
                assert len(rows) >= 2 and len(rows[0]) >= 1, f"{anchor['href']}: no data rows"
            checked.append(anchor["href"])
    if any_site.name == "fixture":
        assert checked, "the fixture links a CSV: the check must have seen it"


def test_download_menu_serves_each_chapter_source(any_site):
    # The theme's "Download" menu: the page source (MyST markdown / notebook) must be served.
    missing = []
    for page in _built(any_site):
        links = [a["href"] for a in _soup(page).select("a[href*='_sources/']")]
        if not links:
            missing.append(f"{page.relative_to(any_site.html)}: no source download")
        for href in links:
            if not (page.parent / unquote(urlsplit(href).path)).resolve().is_file():
                missing.append(f"{page.relative_to(any_site.html)}: {href} not served")
    assert missing == []
