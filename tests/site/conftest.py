"""Fixtures for the browser suite: the built site, a loopback server over it, one Chromium for the
session, and a per-page visit cache so every page is loaded once however many tests look at it.

The site defaults to ``_build/html`` (what ``make course`` builds); set ``COURSE_SITE_DIR`` to test
a build made elsewhere (e.g. ``--path-output /tmp/build-me`` → ``/tmp/build-me/_build/html``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.site.sitetools import (
    MOBILE,
    REPO,
    PageReport,
    Site,
    Visitor,
    launch,
    serve,
    toc_pages,
)

SITE_DIR = Path(os.environ.get("COURSE_SITE_DIR", REPO / "_build" / "html")).resolve()
# The configuration the fixture site is built with: the course's own unless a build used another.
CONFIG_FILE = Path(os.environ.get("COURSE_CONFIG_FILE", REPO / "_config.yml"))
PAGES = toc_pages(REPO / "_toc.yml")
FIXTURES = REPO / "tests" / "sites"
FIXTURE_PAGES = toc_pages(FIXTURES / "charts" / "_toc.yml")
# (site, page) for every page the suite opens: the course's table of contents in English and in
# Russian (the same pages under ru/), then the fixture's.
ALL_PAGES = (
    [("course", page) for page in PAGES]
    + [("ru", page) for page in PAGES]
    + [("fixture", page) for page in FIXTURE_PAGES]
)
FIXTURE_DATA = REPO / "datasets" / "raw" / "poverty_percent_by_regions_1992_2020.csv"


@pytest.fixture(scope="session")
def site_dir() -> Path:
    """The built site; fails (not skips) when it is missing, since `make test` must cover it."""
    if not (SITE_DIR / "index.html").is_file():
        pytest.fail(
            f"no built site at {SITE_DIR}: run `make course` first "
            "(or point COURSE_SITE_DIR at a built _build/html)",
            pytrace=False,
        )
    return SITE_DIR


@pytest.fixture(scope="session")
def course_site(site_dir: Path) -> Iterator[Site]:
    """The course site served on loopback."""
    with serve(site_dir) as url:
        yield Site("course", site_dir, url, PAGES, REPO)


@pytest.fixture(scope="session")
def ru_site(course_site: Site) -> Site:
    """The Russian edition: the same pages under ``ru/`` of the same server (its language switch
    leads back to the English pages, so both must be served together)."""
    html = course_site.html / "ru"
    if not (html / "index.html").is_file():
        pytest.fail(f"no Russian edition at {html}: run `make course` first", pytrace=False)
    return Site("ru", html, f"{course_site.url}ru/", PAGES, REPO)


@pytest.fixture(scope="session")
def fixture_site(chart_fixture_html: Path) -> Iterator[Site]:
    """The chart fixture site (``tests/sites/charts``) built and served on loopback."""
    with serve(chart_fixture_html) as url:
        yield Site("fixture", chart_fixture_html, url, FIXTURE_PAGES, FIXTURES / "charts")


@pytest.fixture(scope="session", params=["course", "ru", "fixture"])
def any_site(request: pytest.FixtureRequest) -> Site:
    """Each site in turn: checks that hold for the course hold for its Russian edition and for the
    fixture too."""
    return request.getfixturevalue(f"{request.param}_site")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def desktop(browser: Any) -> Iterator[Visitor]:
    visitor = Visitor(browser)
    yield visitor
    visitor.close()


@pytest.fixture(scope="session")
def mobile(browser: Any) -> Iterator[Visitor]:
    visitor = Visitor(browser, MOBILE)
    yield visitor
    visitor.close()


@pytest.fixture(scope="session")
def visit_page(
    desktop: Visitor, request: pytest.FixtureRequest
) -> Callable[[str, str], PageReport]:
    """``visit_page("course", "book/index")`` → the page's report, loaded once per session."""
    cache: dict[tuple[str, str], PageReport] = {}

    def visit(site_name: str, page: str) -> PageReport:
        if (site_name, page) not in cache:
            site = request.getfixturevalue(f"{site_name}_site")
            cache[site_name, page] = desktop.visit(site.url_of(page))
        return cache[site_name, page]

    return visit


@pytest.fixture(scope="session")
def screenshot_dir(site_dir: Path) -> Path:
    """``_build/screenshots`` next to ``_build/html`` (never committed)."""
    target = site_dir.parent / "screenshots"
    target.mkdir(parents=True, exist_ok=True)
    return target


def _fixture_config(*, editions: bool = False) -> str:
    # The fixture site is built with the course's real configuration (theme, extensions, the
    # course_assets extension, bibtex), so that what it proves holds for the real book too.
    # Paths in it are relative to the course's root; the fixture is built elsewhere.
    root = CONFIG_FILE.resolve().parent
    config = yaml.safe_load(CONFIG_FILE.read_text(encoding="utf-8"))
    config["title"] = "Chart fixture"
    sphinx = config["sphinx"]
    sphinx["local_extensions"] = {name: str(REPO / "_ext") for name in sphinx["local_extensions"]}
    if not editions:  # one edition only: no language switch to pages the fixture does not build
        sphinx.get("config", {}).pop("course_languages", None)
    if config.get("html", {}).get("favicon"):
        config["html"]["favicon"] = str((root / config["html"]["favicon"]).resolve())
    if sphinx.get("config", {}).get("templates_path"):
        sphinx["config"]["templates_path"] = [
            str((root / path).resolve()) for path in sphinx["config"]["templates_path"]
        ]
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False)


@pytest.fixture(scope="session")
def chart_fixture_html(site_dir: Path) -> Path:
    """Build ``tests/sites/charts`` strictly with the course configuration; return its html dir.

    Built under ``_build/test-sites/`` beside the site (never committed), so that its notebook
    execution cache survives between test runs.
    """
    site = _copy_fixture("charts", site_dir)
    # Real data for the fixture's charts and dataset link, taken from the raw sources (not copied
    # into the repository twice).
    (site / "data").mkdir(exist_ok=True)
    shutil.copy2(FIXTURE_DATA, site / "data" / FIXTURE_DATA.name)
    _build_fixture(site, [["jupyter-book", "build", str(site), "-n", "-W", "--keep-going"]])
    return site / "_build" / "html"


@pytest.fixture(scope="session")
def i18n_fixture_html(site_dir: Path) -> Path:
    """``tests/sites/i18n`` (a notebook page with glued numbers and a chart, and its Russian
    catalogue) built in English and Russian with the course configuration; return its html dir."""
    site = _copy_fixture("i18n", site_dir, editions=True)
    editions = str(REPO / "_ext" / "build_editions.py")
    _build_fixture(
        site,
        [
            ["jupyter-book", "build", str(site), "-n", "-W", "--keep-going"],
            [sys.executable, editions, "ru", "--source", str(site)],
        ],
    )
    return site / "_build" / "html"


def _copy_fixture(name: str, site_dir: Path, *, editions: bool = False) -> Path:
    site = site_dir.parent / "test-sites" / name
    # copy2 keeps modification times: Sphinx then re-reads only what changed.
    shutil.copytree(FIXTURES / name, site, dirs_exist_ok=True)
    config = _fixture_config(editions=editions)
    if not (site / "_config.yml").is_file() or (site / "_config.yml").read_text() != config:
        (site / "_config.yml").write_text(config, encoding="utf-8")
    shutil.copy2(REPO / "references.bib", site / "references.bib")
    return site


def _build_fixture(site: Path, commands: list[list[str]]) -> None:
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    for command in commands:
        if command[0] == "jupyter-book":
            command = [str(bin_dir / "jupyter-book"), *command[1:]]
        result = subprocess.run(
            command, capture_output=True, text=True, env=env, timeout=600, cwd=site
        )
        if result.returncode != 0:
            pytest.fail(
                f"fixture site {site.name} failed to build:\n"
                + (result.stdout + result.stderr)[-4000:],
                pytrace=False,
            )
