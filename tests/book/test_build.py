"""The book builds strictly, every page in the table of contents is built, and charts stay offline."""

from __future__ import annotations

import re

import yaml

from tests.book.conftest import REPO

SITE = REPO / "_build" / "html"


def _toc_files() -> list[str]:
    toc = yaml.safe_load((REPO / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        for chapter in part["chapters"]:
            files.append(chapter["file"])
            files.extend(section["file"] for section in chapter.get("sections", []))
    return files


def test_config_keeps_the_build_strict():
    config = yaml.safe_load((REPO / "_config.yml").read_text())
    assert config["execute"]["execute_notebooks"] == "cache"
    assert config["execute"]["allow_errors"] is False
    makefile = (REPO / "Makefile").read_text()
    assert "BOOK_FLAGS := -n -W --keep-going" in makefile


def test_every_toc_page_is_built():
    assert SITE.joinpath("index.html").is_file(), "no built site: run `make course` first"
    missing = [f for f in _toc_files() if not SITE.joinpath(f + ".html").is_file()]
    assert missing == []


def test_toc_has_one_part_per_module():
    captions = [
        part["caption"] for part in yaml.safe_load((REPO / "_toc.yml").read_text())["parts"]
    ]
    for module in (
        "Introduction",
        "Targeted",
        "Social ordering",
        "Intersector",
        "Mediation",
        "Feedback",
    ):
        assert any(module in caption for caption in captions), module


def test_warning_fails_the_fixture_build(build_fixture_site):
    result = build_fixture_site("minimal")  # index.md references a label that does not exist
    assert result.returncode != 0
    assert "undefined label: 'link_target'" in result.stdout + result.stderr


def test_fixture_chart_page_is_offline_and_only_it_loads_chart_code(build_fixture_site, tmp_path):
    result = build_fixture_site("minimal", {"{ref}`LINK_TARGET`": ""})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    html = tmp_path / "minimal" / "_build" / "html"
    chart_page = (html / "chart.html").read_text()
    assert 'class="course-chart"' in chart_page
    assert "course/course-charts.js" in chart_page
    assert "course-charts.js" not in (html / "index.html").read_text()
    for library in ("vega.min.js", "vega-embed.min.js"):
        assert (html / "_static" / "course" / library).stat().st_size > 50_000
    # specs are compiled to Vega at build time (_ext/course_lean.py): no Vega-Lite in the browser
    assert not (html / "_static" / "course" / "vega-lite.min.js").exists()
    assert not re.search(r'<script[^>]+src="https?://', chart_page)


def test_every_chapter_offers_its_notebook_and_markdown_for_download():
    import nbformat

    notebook_pages = [
        f for f in _toc_files() if "kernelspec:" in (REPO / f"{f}.md").read_text(encoding="utf-8")
    ]
    assert len(notebook_pages) >= 10
    for page in notebook_pages:
        html = SITE.joinpath(f"{page}.html").read_text(encoding="utf-8")
        name = page.rsplit("/", 1)[-1]
        assert f'_sources/{page}.ipynb"' in html and f'_sources/{page}.md"' in html, page
        executed = nbformat.read(SITE / "_sources" / f"{page}.ipynb", as_version=4)
        nbformat.validate(executed)
        assert any(c.get("outputs") for c in executed.cells if c.cell_type == "code"), name
