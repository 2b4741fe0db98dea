"""Sphinx extension: the Russian edition from the same sources (gettext catalogues, one per page).

The English MyST pages are the only source. ``language = ru`` builds translate every page's
messages from ``locales/ru/LC_MESSAGES/<docname>.po`` (Sphinx's own i18n), and this extension adds
what Sphinx cannot know about:

- **glued values**: ``{glue:text}`` re-formats numeric outputs in the page's language (decimal
  comma, non-breaking thousands separator), and a space before ``%`` becomes non-breaking; a glued
  text (a region name) is an exact message of the page's catalogue (English if untranslated); the
  roles also work inside translated messages, which are parsed without the notebook;
- **chart strings**: every chart's visible strings (titles, axis/legend/tooltip titles, the
  screen-reader description, category values) and every ``{glue:md}`` text are messages of the
  page's own catalogue: the gettext builder extracts them, the Russian build swaps them in;
- **interface strings** of the course itself (site title, footer, search box, download labels) in
  ``locales/<lang>/LC_MESSAGES/course.po``;
- (the language switch and the root chooser are in ``course_editions``).
"""

from __future__ import annotations

import json
import re
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po
from course_outputs import TOGGLE_STRINGS, localise_outputs, localise_toggles, output_messages
from docutils import nodes
from myst_nb.ext.glue.domain import NbGlueDomain
from myst_nb.ext.glue.roles import PasteMarkdownRole, PasteTextRole
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders.gettext import MsgOrigin
from sphinx.config import Config
from sphinx.transforms import SphinxTransform
from sphinx.util.i18n import docname_to_domain

from coursebook.i18n import NBSP, chart_messages, localise_glued, translate_spec

CHART = re.compile(
    r'<div class="course-chart"[^>]*>.*?<script type="application/json">(.*?)</script></div>', re.S
)
UI_DOMAIN = "course"
# Interface strings the course itself writes (English source → course.po).
UI_STRINGS = [
    "Русская версия",
    "English version",
    "Read this page in Russian",
    "Read this page in English",
    "Notebook with its data, zip (Тетрадь с данными)",
    "Notebook only, .ipynb (только тетрадь)",
    "Open on the course JupyterHub (Открыть на JupyterHub)",
    *TOGGLE_STRINGS,
]


@cache
def _catalogue(path: Path, mtime: float) -> dict[str, str]:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    # Fuzzy and empty messages are not translations: the English text stays (as Sphinx does).
    return {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}


def messages(app: Sphinx, domain: str) -> dict[str, str]:
    """The translations of one catalogue (a docname, or ``course``) for the build's language."""
    if not app.config.language or app.config.language == "en":
        return {}
    for folder in app.config.locale_dirs:
        path = Path(app.srcdir, folder, app.config.language, "LC_MESSAGES", f"{domain}.po")
        if path.is_file():
            return _catalogue(path, path.stat().st_mtime)
    return {}


def ui(app: Sphinx, text: str) -> str:
    """An interface string in the build's language."""
    return messages(app, UI_DOMAIN).get(text, text)


_LAST_RENDERER: dict[str, object] = {}


def _remember_renderers(app: Sphinx) -> None:
    """Keep each page's notebook renderer after parsing.

    myst-nb drops it from the document once the page is parsed, but Sphinx parses a translated
    message later, as a separate document, and glue roles inside it need the page's outputs.
    """
    import myst_nb.sphinx_ as nb_sphinx

    if getattr(nb_sphinx.load_renderer, "course_wrapped", False):
        return
    original = nb_sphinx.load_renderer

    def load_renderer(name):
        cls = original(name)

        def create(renderer, logger):
            instance = cls(renderer, logger)
            _LAST_RENDERER.clear()  # only the page being read is needed (its outputs are large)
            _LAST_RENDERER[app.env.docname] = instance
            return instance

        return create

    load_renderer.course_wrapped = True
    nb_sphinx.load_renderer = load_renderer


def _env(role):
    return role.document.settings.env


@contextmanager
def _with_notebook(role):
    """Inside a translated message, glue roles read the outputs of the page being translated."""
    borrowed = "nb_renderer" not in role.document
    renderer = _LAST_RENDERER.get(_env(role).docname) if borrowed else None
    if renderer is not None:
        role.document["nb_renderer"] = renderer
    try:
        yield
    finally:
        if renderer is not None:  # the translated document is pickled with the page: no renderer
            del role.document["nb_renderer"]


class LocalisedText(PasteTextRole):
    """``{glue:text}`` whose numbers follow the edition's language."""

    def run(self):
        with _with_notebook(self):
            result, problems = super().run()
        env = _env(self)
        language = env.config.language or "en"
        lookup = messages(env.app, env.docname).get
        for node in result:
            if isinstance(node, nodes.inline) and "pasted-text" in node["classes"]:
                text = localise_glued(node.astext(), language, lookup)
                node.clear()
                node += nodes.Text(text)
        return result, problems


class TranslatedMarkdown(PasteMarkdownRole):
    """``{glue:md}`` whose text is a message of the page's catalogue."""

    def run(self):
        with _with_notebook(self):
            return self._run()

    def _run(self):
        key = self.text.rsplit(":", 1)[0]
        renderer = self.document.get("nb_renderer")
        glue = renderer.renderer.nb_client.glue_data if renderer is not None else {}
        data = glue.get(key, {}).get("data", {})
        source = data.get("text/markdown")
        if source is not None:
            translated = messages(_env(self).app, _env(self).docname).get(source)
            if translated:
                glue[key] = {**glue[key], "data": {**data, "text/markdown": translated}}
        try:
            result, problems = super().run()
        finally:
            if source is not None:
                glue[key]["data"] = data
        wrapper = nodes.inline("", "", *result, classes=["pasted-md"])
        wrapper["course_message"] = source or ""
        return [wrapper], problems


class _TocCaptions(SphinxTransform):
    """Part captions of ``_toc.yml``: sphinx-external-toc inserts the toctrees (priority 100) after
    Sphinx has translated the page (20), so their captions are translated here."""

    default_priority = 101

    def apply(self, **kwargs) -> None:
        table = messages(self.app, self.env.docname)
        for toctree in self.document.findall(addnodes.toctree):
            caption = toctree.get("caption")
            if caption and table.get(caption):
                toctree["caption"] = table[caption]


class _PercentSpace(SphinxTransform):
    """Russian typography: a glued number and its ``%`` are never split across lines."""

    default_priority = 900

    def apply(self, **kwargs) -> None:
        if (self.config.language or "en") != "ru":
            return
        for text in list(self.document.findall(nodes.Text)):
            if isinstance(text.parent, nodes.literal | nodes.literal_block | nodes.raw):
                continue
            new = re.sub(r"(?<=\d) %", NBSP + "%", str(text))
            parent = text.parent
            index = parent.index(text)
            previous = parent[index - 1] if index else None
            if new.startswith(" %") and isinstance(previous, nodes.inline):
                new = NBSP + new[1:]
            if new != str(text):
                text.parent.replace(text, nodes.Text(new))


def _chart_specs(raw: nodes.raw) -> list[tuple[re.Match, dict]]:
    return [
        (match, json.loads(match.group(1).replace("<\\/", "</")))
        for match in CHART.finditer(raw.astext())
    ]


def _localise_doctree(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    charts = [raw for raw in doctree.findall(nodes.raw) if 'class="course-chart"' in raw.astext()]
    if app.builder.name == "gettext":
        catalog = app.builder.catalogs[docname_to_domain(docname, app.config.gettext_compact)]
        for node in doctree.findall(nodes.inline):
            if node.get("course_message"):
                catalog.add(node["course_message"], MsgOrigin(node.source or "", node.line or 0))
        for raw in charts:
            for _, spec in _chart_specs(raw):
                for text in chart_messages(spec):
                    catalog.add(text, MsgOrigin(raw.source or "", raw.line or 0))
        for text, node in output_messages(doctree):
            catalog.add(text, MsgOrigin(node.source or "", node.line or 0))
        return
    table = messages(app, docname)
    if (app.config.language or "en") != "en":
        localise_toggles(doctree, lambda text: ui(app, text))
        localise_outputs(doctree, app.config.language, table.get)
    if not table or not charts:
        return
    from coursebook.charts import chart_html  # imports Altair: only where a chart is translated

    for raw in charts:
        text = raw.astext()
        for match, spec in reversed(_chart_specs(raw)):
            new = chart_html(translate_spec(spec, table.get))
            text = text[: match.start()] + new + text[match.end() :]
        raw.parent.replace(raw, nodes.raw("", text, format="html", classes=raw["classes"]))


def _translate_config(app: Sphinx, config: Config) -> None:
    # Interface strings from _config.yml, in the edition's language.
    if (config.language or "en") == "en":
        return
    options = dict(config.html_theme_options)
    for key in ("search_bar_text", "extra_footer"):
        if options.get(key):
            options[key] = ui(app, options[key].strip())
    config.html_theme_options = options
    config.html_title = ui(app, config.html_title)
    config.author = ui(app, config.author)
    config.project = config.html_title


def _shared_cache(app: Sphinx) -> None:
    """A second edition re-uses the first one's notebook outputs and keeps its files outside."""
    build_dir = app.config.course_build_dir
    if not build_dir or not hasattr(app.env, "mystnb_config"):
        return
    folder = Path(build_dir)
    app.env.mystnb_config = app.env.mystnb_config.copy(
        execution_cache_path=str(folder / ".jupyter_cache"),
        output_folder=str(folder / f"jupyter_execute-{app.config.language or 'en'}"),
    )


def setup(app: Sphinx) -> dict:
    app.add_config_value("course_build_dir", "", "env")
    NbGlueDomain.roles = {**NbGlueDomain.roles, "text": LocalisedText(), "md": TranslatedMarkdown()}
    _remember_renderers(app)
    app.setup_extension("course_gettext")  # the extraction side: templates for translators
    app.setup_extension("course_incremental")  # one-page edits rebuild one page's worth
    app.course_ui = lambda text: ui(app, text)  # used by course_downloads
    app.add_transform(_PercentSpace)
    app.add_transform(_TocCaptions)
    app.connect("config-inited", _translate_config)
    app.connect("builder-inited", _shared_cache, priority=900)
    app.connect("doctree-resolved", _localise_doctree)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
