"""Sphinx extension: every page links the printable course of its own edition (issue 21).

``make pdf`` (``coursebook/pdf.py``) prints each edition of ``course_languages`` and places its book
inside that edition's site, at ``pdf/course-<lang>.pdf`` (English at ``_build/html/pdf/``, Russian
at ``_build/html/ru/pdf/``). This extension points at that file from two places:

- the theme's download menu on every page that has one (after ".ipynb", ".md" and "print page");
- the ``{course-pdf}`Text``` role, for prose such as the landing page. The role resolves by the
  edition being built, so a translated message keeps the role and links its own edition's book.

A build without ``course_languages`` (a preview, a test fixture) has no printed book: the menu
shows no entry and the role's text stays plain.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.osutil import relative_uri

SITE_PDF = "pdf/course-{lang}.pdf"  # under the edition's root; coursebook/pdf.py writes it there
MENU = {
    "en": ("Whole course, .pdf", "Download the whole course as a printable book (PDF)"),
    "ru": ("Весь курс, .pdf", "Скачать весь курс как книгу для печати (PDF)"),
}


def site_pdf(app: Sphinx) -> str | None:
    """The course book of the edition being built, relative to its root (None: no printed book)."""
    lang = (app.config.language or "en").split("_")[0]
    if lang not in MENU or lang not in (getattr(app.config, "course_languages", None) or []):
        return None
    return app.config.course_pdf.format(lang=lang)


def course_pdf_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{course-pdf}`the printable course``` → a link to this edition's course PDF."""
    env = inliner.document.settings.env
    book = site_pdf(env.app)
    if book is None:
        return [nodes.inline(rawtext, text)], []
    here = env.app.builder.get_target_uri(env.docname)
    link = nodes.reference(rawtext, text, refuri=relative_uri(here, book))
    link["classes"].append("course-pdf-link")
    return [link], []


def _add_menu_entry(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    book = site_pdf(app)
    if book is None:
        return
    text, tooltip = MENU[book.rsplit("-", 1)[-1].removesuffix(".pdf")]
    for group in context.get("header_buttons", []):
        if group.get("label") == "download-buttons":
            group["buttons"].append(
                {
                    "type": "link",
                    "url": context["pathto"](book, 1),
                    "text": text,
                    "tooltip": tooltip,
                    "icon": "fas fa-book",
                    "label": "download-course-pdf-button",
                }
            )


def setup(app: Sphinx) -> dict:
    # An "html" setting: a site built before this extension existed is rewritten whole, so no
    # page keeps a download menu without the book.
    app.add_config_value("course_pdf", SITE_PDF, "html", types=[str])
    app.add_role("course-pdf", course_pdf_role)
    # After sphinx-book-theme has made its header buttons (priority 501).
    app.connect("html-page-context", _add_menu_entry, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
