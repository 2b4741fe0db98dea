"""Sphinx extension (set up by ``course_i18n``): message templates for translators.

``python _ext/build_editions.py gettext`` writes one template per page (``_build/gettext/<page>.pot``)
plus ``course.pot`` for the course's interface strings; ``sphinx-intl update`` turns them into the
catalogues under ``locales/``. Chart strings and ``{glue:md}`` texts join each page's template in
``course_i18n._localise_doctree``.
"""

from __future__ import annotations

from pathlib import Path

from course_i18n import UI_DOMAIN, UI_STRINGS
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders.gettext import MessageCatalogBuilder, MsgOrigin
from sphinx.util.i18n import docname_to_domain


class IncrementalCatalogBuilder(MessageCatalogBuilder):
    """Sphinx's gettext builder, but it rewrites the templates of changed pages only.

    The stock builder extracts every page on every run (``get_outdated_docs`` returns them all),
    so a one-page edit cost half a cold extraction. A page's template is current when it is newer
    than the page's doctree, which Sphinx rewrites whenever it re-reads the page.
    """

    def get_outdated_docs(self) -> set[str]:
        outdated = set()
        for docname in self.env.found_docs:
            template, doctree = self._template(docname), Path(self.doctreedir, f"{docname}.doctree")
            current = template.is_file() and doctree.is_file()
            if not current or template.stat().st_mtime < doctree.stat().st_mtime:
                outdated.add(docname)
        return outdated

    def _template(self, docname: str) -> Path:
        return Path(self.outdir, f"{docname_to_domain(docname, self.config.gettext_compact)}.pot")

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        self._written = [*getattr(self, "_written", []), docname]
        super().write_doc(docname, doctree)

    def finish(self) -> None:
        super().finish()
        # Sphinx leaves a template untouched when its messages did not change: mark it current.
        for docname in getattr(self, "_written", []):
            if self._template(docname).is_file():
                self._template(docname).touch()


def _add_ui_messages(app: Sphinx) -> None:
    if app.builder.name != "gettext":
        return
    catalog = app.builder.catalogs[UI_DOMAIN]
    config_texts = [app.config.html_title, app.config.author]
    config_texts.append(app.config.html_theme_options.get("search_bar_text"))
    config_texts.append(app.config.html_theme_options.get("extra_footer"))
    for text in [*filter(None, config_texts), *UI_STRINGS]:
        catalog.add(text.strip(), MsgOrigin("_config.yml", 0))


def setup(app: Sphinx) -> dict:
    app.add_builder(IncrementalCatalogBuilder, override=True)
    app.connect("builder-inited", _add_ui_messages)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
