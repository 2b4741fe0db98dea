"""Sphinx extension: ``{exercise-download} <id>`` links a chapter to its exercise.

The links serve the released student notebook and a zip with its data, copied from ``course/``
(made by ``python -m grader release``) into the built site, plus a JupyterHub launch link when
``course_jupyterhub_url`` is set in ``_config.yml``.
"""

from __future__ import annotations

import os
import shutil
from contextlib import suppress
from pathlib import Path
from urllib.parse import quote, urlencode

import nbformat
from docutils import nodes
from jupyter_cache import get_cache
from myst_nb.core.read import read_myst_markdown_notebook
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parent.parent

RELEASE_DIR = REPO_ROOT / "course" / "release"
DOWNLOADS_DIR = REPO_ROOT / "course" / "downloads"
SITE_EXERCISES = "exercises"  # folder of the built site that serves the student notebooks


def release_dirs(app: Sphinx) -> tuple[Path, Path]:
    """Where the student versions for this edition are: ``course/<lang>/`` when a translated
    release exists (``grader release --lang ru``), else the English ``course/``."""
    language = app.config.language or "en"
    translated = REPO_ROOT / "course" / language
    if language != "en" and (translated / "release").is_dir():
        return translated / "release", translated / "downloads"
    return RELEASE_DIR, DOWNLOADS_DIR


def _ui(app: Sphinx, text: str) -> str:
    # Interface strings in the edition's language (course_i18n sets app.course_ui when loaded).
    return getattr(app, "course_ui", lambda t: t)(text)


class ExerciseDownload(SphinxDirective):
    """``{exercise-download} <id>``: links to the released student notebook and a zip with its data.

    The files come from ``course/`` (made by ``python -m grader release``, which ``make course``
    runs before the book). A build without them (a quick local preview) gets a visible note instead;
    set ``COURSE_REQUIRE_DOWNLOADS=1`` (as the Makefile does) to make their absence an error.
    """

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        exercise_id = self.arguments[0]
        release, downloads = release_dirs(self.env.app)
        notebook = release / exercise_id / f"{exercise_id}.ipynb"
        bundle = downloads / f"{exercise_id}.zip"
        if not (notebook.is_file() and bundle.is_file()):
            message = f"student version of {exercise_id!r} not built: run `make release`"
            if os.environ.get("COURSE_REQUIRE_DOWNLOADS") == "1":
                raise self.error(message)
            logger.info(message)
            return [nodes.note("", nodes.paragraph(text=f"({message})"))]
        self.env.note_dependency(str(bundle))
        prefix = "../" * self.env.docname.count("/")
        items = nodes.bullet_list()
        for label, filename in (
            ("Notebook with its data, zip (Тетрадь с данными)", bundle.name),
            ("Notebook only, .ipynb (только тетрадь)", notebook.name),
        ):
            ref = nodes.reference(
                "",
                _ui(self.env.app, label),
                refuri=f"{prefix}{SITE_EXERCISES}/{exercise_id}/{filename}",
            )
            ref["classes"].append("exercise-download")
            items += nodes.list_item("", nodes.paragraph("", "", ref))
        hub = self.env.app.config.course_jupyterhub_url
        if hub:
            ref = nodes.reference(
                "",
                _ui(self.env.app, "Open on the course JupyterHub (Открыть на JupyterHub)"),
                refuri=_hub_link(
                    hub,
                    exercise_id,
                    self.env.app.config.course_launch_repo,
                    self.env.app.config.course_launch_branch,
                ),
            )
            items += nodes.list_item("", nodes.paragraph("", "", ref))
        return [items]


def _hub_link(hub: str, exercise_id: str, repo: str = "", branch: str = "main") -> str:
    """Launch link for an exercise on the course JupyterHub.

    With ``repo`` (a git repository holding the released ``<id>/`` folders) the link goes through
    nbgitpuller, which clones or updates the materials in the learner's home and opens the
    notebook; without it, the link opens ``<id>/<id>.ipynb`` where nbgrader's fetch puts it.
    """
    notebook = f"{exercise_id}/{exercise_id}.ipynb"
    base = f"{hub.rstrip('/')}/hub/user-redirect"
    if not repo:
        return f"{base}/lab/tree/{quote(notebook)}"
    folder = repo.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
    query = urlencode({"repo": repo, "branch": branch, "urlpath": f"lab/tree/{folder}/{notebook}"})
    return f"{base}/git-pull?{query}"


def _copy_exercise_downloads(app: Sphinx, exception: Exception | None) -> None:
    # Copy every released exercise (not only the ones linked from re-read pages), so incremental
    # builds never lose a download.
    release, downloads = release_dirs(app)
    if exception or app.builder.format != "html" or not downloads.is_dir():
        return
    for bundle in sorted(downloads.glob("*.zip")):
        exercise_id = bundle.stem
        notebook = release / exercise_id / f"{exercise_id}.ipynb"
        if not notebook.is_file():
            continue
        target = Path(app.outdir) / SITE_EXERCISES / exercise_id
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(bundle, target / bundle.name)
        shutil.copyfile(notebook, target / notebook.name)


def _offer_executed_notebook(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree
) -> None:
    """Put the chapter's executed notebook in its Download menu.

    sphinx-book-theme lists an .ipynb only when a launch service is configured, and myst-nb's own
    copy in ``jupyter_execute/`` lacks outputs when they came from the cache; so the notebook is
    rebuilt from the MyST source and the execution cache.
    """
    source = Path(app.env.doc2path(pagename))
    if app.builder.format != "html" or source.suffix != ".md":
        return
    text = source.read_text(encoding="utf-8")
    if "kernelspec:" not in text.split("\n---", 1)[0]:
        return  # a plain markdown page, not a notebook
    notebook = read_myst_markdown_notebook(text, path=source)
    cache_path = (
        app.env.mystnb_config.execution_cache_path or Path(app.outdir).parent / ".jupyter_cache"
    )
    with suppress(KeyError):
        _, notebook = get_cache(str(cache_path)).merge_match_into_notebook(notebook)
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, str(target))
    context["ipynb_source"] = f"{pagename}.ipynb"


def setup(app: Sphinx) -> dict:
    app.add_config_value("course_jupyterhub_url", "", "html")
    app.add_config_value("course_launch_repo", "", "html")
    app.add_config_value("course_launch_branch", "main", "html")
    app.add_directive("exercise-download", ExerciseDownload)
    app.connect("build-finished", _copy_exercise_downloads)
    # Before the theme builds its header buttons (default priority 500).
    app.connect("html-page-context", _offer_executed_notebook, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
