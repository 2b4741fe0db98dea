"""Sphinx extension: keep glossary terms in the search index across incremental builds.

Sphinx 7.4 reloads the titles and words of unchanged pages from the previous ``searchindex.js`` but
not their index entries (sphinx-doc/sphinx#12599). After any incremental build a search for a
glossary term then finds the glossary page but no longer offers the term's own anchor. Just before
the index is written, this restores the entries of pages that were not rewritten.

It also fills the search page's strings that Sphinx's own Russian catalogue leaves empty.
"""

from __future__ import annotations

import json
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.search import js_index


def _restore_index_entries(app: Sphinx) -> list:
    indexer = getattr(app.builder, "indexer", None)
    previous = Path(app.outdir) / getattr(app.builder, "searchindex_filename", "searchindex.js")
    if indexer is None or not previous.is_file():
        return []
    try:
        frozen = js_index.loads(previous.read_text(encoding="utf-8"))
    except ValueError:  # a truncated index from an interrupted build: nothing to carry over
        return []
    docnames = frozen.get("docnames", [])
    current = indexer._index_entries  # docname -> [(entry, anchor, "main" | "")]
    restored: dict[str, list[tuple[str, str, str]]] = {}
    for entry, hits in frozen.get("indexentries", {}).items():
        for doc_number, anchor, main in hits:
            docname = docnames[doc_number]
            if docname not in current and docname in app.env.all_docs:
                restored.setdefault(docname, []).append((entry, anchor, "main" if main else ""))
    current.update(restored)
    return []  # html-collect-pages expects pages to add; this handler adds none


# Sphinx 7.4's Russian catalogue leaves these search-page strings empty, so the search page would
# show no summary line at all; filled here in the copied translations.js.
SEARCH_JS_STRINGS = {
    "ru": {
        "Search finished, found ${resultCount} page(s) matching the search query.": (
            "Поиск завершён. Найдено страниц: ${resultCount}."
        ),
        "Searching for multiple words only shows matches that contain\n    all words.": (
            "При поиске нескольких слов показываются только страницы, где есть все слова."
        ),
    }
}


def _complete_search_strings(app: Sphinx, exception: Exception | None) -> None:
    strings = SEARCH_JS_STRINGS.get(app.config.language or "en")
    path = Path(app.outdir, "_static", "translations.js")
    if exception or not strings or not path.is_file():
        return
    text = path.read_text(encoding="utf-8")
    for english, russian in strings.items():
        text = text.replace(
            f'{json.dumps(english)}: ""', f"{json.dumps(english)}: {json.dumps(russian)}"
        )
    path.write_text(text, encoding="utf-8")


def setup(app: Sphinx) -> dict:
    app.connect("html-collect-pages", _restore_index_entries)
    app.connect("build-finished", _complete_search_strings)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
