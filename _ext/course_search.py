"""Sphinx extension: keep glossary terms in the search index across incremental builds.

Sphinx 7.4 reloads the titles and words of unchanged pages from the previous ``searchindex.js`` but
not their index entries (sphinx-doc/sphinx#12599). After any incremental build a search for a
glossary term then finds the glossary page but no longer offers the term's own anchor. Just before
the index is written, this restores the entries of pages that were not rewritten.
"""

from __future__ import annotations

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


def setup(app: Sphinx) -> dict:
    app.connect("html-collect-pages", _restore_index_entries)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
