"""Sphinx extension: the editions link to each other.

Every page gets a language switch (``_templates/language-switch.html``, in the article header) that
opens the *same* page in the other edition, and ``<link rel="alternate" hreflang>`` to both; the site
root becomes a chooser. ``course_languages`` in ``_config.yml`` lists the editions, the first one at
the site root and each other one under ``<code>/``. With fewer than two nothing is added (fixture
sites, a quick one-language build).
"""

from __future__ import annotations

import html
from pathlib import Path

from course_i18n import ui
from sphinx.application import Sphinx

LANGUAGE_NAMES = {"en": "English", "ru": "Русский"}


def _other_edition(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    languages = app.config.course_languages
    language = app.config.language or "en"
    if len(languages) < 2 or language not in languages:
        return
    depth = "../" * pagename.count("/")
    default = languages[0]
    site_root = depth if language == default else depth + "../"
    links = []
    for other in languages:
        prefix = "" if other == default else f"{other}/"
        links.append((other, f"{site_root}{prefix}{pagename}.html"))
    # x-default: the chooser at the site root, for readers of neither language.
    alternates = [*links, ("x-default", f"{site_root}index.html")]
    context["metatags"] = context.get("metatags", "") + "".join(
        f'\n<link rel="alternate" hreflang="{code}" href="{href}" />' for code, href in alternates
    )
    switch = [(code, href) for code, href in links if code != language]
    code, href = switch[0]
    context["course_other_language"] = {
        "code": code,
        "url": href,
        "label": ui(app, "English version" if code == "en" else "Русская версия"),
        "title": ui(app, f"Read this page in {'English' if code == 'en' else 'Russian'}"),
    }


CHOOSER = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>{title}</title>
{alternates}
<style>
body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; margin: 0;
  color: #1a1a1a; background: #fff; }}
main {{ max-width: 40rem; margin: 12vh auto; padding: 0 1.5rem; }}
h1 {{ font-size: 1.6rem; line-height: 1.3; }}
ul {{ list-style: none; padding: 0; display: flex; gap: 1rem; flex-wrap: wrap; }}
a {{ display: inline-block; padding: .8rem 1.4rem; border: 2px solid #0b5394; border-radius: .4rem;
  color: #0b5394; font-size: 1.15rem; text-decoration: none; }}
a:hover, a:focus {{ background: #0b5394; color: #fff; }}
</style>
</head>
<body>
<main>
<h1>{heading}</h1>
<p>Choose a language · <span lang="ru">Выберите язык</span></p>
<ul>
{links}
</ul>
</main>
</body>
</html>
"""


def _write_chooser(app: Sphinx, exception: Exception | None) -> None:
    """The site root lets a first-time visitor choose an edition; nothing is stored in the browser."""
    languages = app.config.course_languages
    language = app.config.language or "en"
    if exception or app.builder.format != "html" or len(languages) < 2 or language != languages[0]:
        return
    root = app.config.root_doc
    hrefs = [
        (code, f"{'' if code == languages[0] else code + '/'}{root}.html") for code in languages
    ]
    alternates = "\n".join(
        f'<link rel="alternate" hreflang="{code}" href="{href}" />' for code, href in hrefs
    )
    links = "\n".join(
        f'<li><a href="{href}" hreflang="{code}" lang="{code}">{LANGUAGE_NAMES.get(code, code)}</a></li>'
        for code, href in hrefs
    )
    title = app.config.html_title or app.config.project
    # "English title · Русское название": each half marked with its language for screen readers.
    parts = [html.escape(part) for part in title.split(" · ")]
    heading = " · ".join(
        f'<span lang="ru">{part}</span>' if any("а" <= ch <= "я" for ch in part.lower()) else part
        for part in parts
    )
    page = CHOOSER.format(
        title=html.escape(title), heading=heading, alternates=alternates, links=links
    )
    Path(app.outdir, "index.html").write_text(page, encoding="utf-8")


def setup(app: Sphinx) -> dict:
    app.add_config_value("course_languages", [], "html")
    app.setup_extension("course_i18n")
    app.connect("html-page-context", _other_edition)
    app.connect("build-finished", _write_chooser, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
