"""Launch links to the course JupyterHub: off by default, nbgitpuller-style when a repo is set."""

from __future__ import annotations

import importlib.util
from urllib.parse import parse_qs, urlsplit

import yaml

from tests.book.conftest import REPO


def _downloads_extension():
    spec = importlib.util.spec_from_file_location(
        "course_downloads", REPO / "_ext" / "course_downloads.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_launch_links_are_off_unless_a_hub_is_configured():
    config = yaml.safe_load((REPO / "_config.yml").read_text())["sphinx"]["config"]
    assert config["course_jupyterhub_url"] == ""
    page = REPO / "_build" / "html" / "book" / "04-mediation" / "04-mediation-scenario.html"
    assert "user-redirect" not in page.read_text(encoding="utf-8")


def test_link_opens_the_fetched_notebook_without_a_repo():
    link = _downloads_extension()._hub_link("https://hub.example.org/", "ex04_mediation")
    assert (
        link
        == "https://hub.example.org/hub/user-redirect/lab/tree/ex04_mediation/ex04_mediation.ipynb"
    )


def test_link_goes_through_nbgitpuller_with_a_repo():
    link = _downloads_extension()._hub_link(
        "https://hub.example.org",
        "ex04_mediation",
        "https://git.example.org/course/materials.git",
        "spring",
    )
    parts = urlsplit(link)
    assert parts.path == "/hub/user-redirect/git-pull"
    query = parse_qs(parts.query)
    assert query == {
        "repo": ["https://git.example.org/course/materials.git"],
        "branch": ["spring"],
        "urlpath": ["lab/tree/materials/ex04_mediation/ex04_mediation.ipynb"],
    }
