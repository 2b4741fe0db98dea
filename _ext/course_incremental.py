"""Sphinx extension (set up by ``course_i18n``): a one-page edit costs one page, in every edition.

Two steps of a Sphinx build cost as much after a one-page edit as after a full read, because they
work on every page of the book. Measured on the Russian edition (``benchmarks/build.py``) they were
about a third of a one-page rebuild:

- **figure numbers** (``numfig``, figures are numbered across the book): Sphinx unpickles every
  page's doctree (up to 0.75 MB each) to walk them in toc order. Each page now keeps, when it is
  read, a *skeleton* of what that walk looks at (sections, toctrees, numbered nodes and their
  captions); the walk runs over the skeletons, so the numbers are the same as Sphinx's own.
- **the bibliography**: sphinxcontrib-bibtex formats every entry with pybtex on every build. The
  formatted entries are kept with the environment and reused while the cited keys, the style and
  the ``.bib`` files (their modification times) are unchanged.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.environment.collectors.toctree import TocTreeCollector

SKELETONS = "course_figure_skeletons"


def _figtype(env: BuildEnvironment, node: nodes.Element) -> str | None:
    # The same test as TocTreeCollector.assign_figure_numbers.get_figtype (Sphinx 7.4).
    for domain in env.domains.values():
        figtype = domain.get_enumerable_node_type(node)
        if domain.name == "std" and not domain.get_numfig_title(node):
            continue
        if figtype:
            return figtype
    return None


def _numbered_copy(env: BuildEnvironment, node: nodes.Element) -> tuple[nodes.Element, bool]:
    """The node's attributes and its caption/title (what gives it a number), or the whole node
    (True) when that is not enough for the same answer (an extension's own enumerable node)."""
    kept = node.copy()
    kept.extend(c.deepcopy() for c in node.children if isinstance(c, nodes.caption | nodes.title))
    if _figtype(env, kept) == _figtype(env, node):
        return kept, False
    return node.deepcopy(), True


def skeleton(env: BuildEnvironment, node: nodes.Element, into: nodes.Element) -> nodes.Element:
    """What the figure-numbering walk visits, in the same order and nesting of sections."""
    for child in node.children:
        if isinstance(child, nodes.section):
            kept = nodes.section(ids=list(child["ids"]))
        elif isinstance(child, addnodes.toctree):
            into += addnodes.toctree(entries=list(child["entries"]))
            continue
        elif isinstance(child, nodes.Element) and child["ids"] and _figtype(env, child):
            kept, whole = _numbered_copy(env, child)
            if whole:  # a whole copy already holds everything below it
                into += kept
                continue
        elif isinstance(child, nodes.Element):
            skeleton(env, child, into)
            continue
        else:
            continue
        into += kept
        skeleton(env, child, kept)
    return into


def _keep_skeleton(app: Sphinx, doctree: nodes.document) -> None:
    env = app.env
    if not hasattr(env, SKELETONS):
        setattr(env, SKELETONS, {})
    getattr(env, SKELETONS)[env.docname] = skeleton(env, doctree, nodes.Element())


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    getattr(env, SKELETONS, {}).pop(docname, None)


def _merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment):
    ours = getattr(env, SKELETONS, None)
    if ours is None:
        ours = {}
        setattr(env, SKELETONS, ours)
    theirs = getattr(other, SKELETONS, {})
    ours.update({name: theirs[name] for name in docnames if name in theirs})


_sphinx_assign_figure_numbers = TocTreeCollector.assign_figure_numbers


def assign_figure_numbers(self: TocTreeCollector, env: BuildEnvironment) -> list[str]:
    if not env.config.numfig:
        return _sphinx_assign_figure_numbers(self, env)
    if not hasattr(env, SKELETONS):
        setattr(env, SKELETONS, {})
    skeletons = getattr(env, SKELETONS)
    read_doctree = env.get_doctree

    def get_skeleton(docname: str) -> nodes.Element:
        # A page read before this extension existed: its skeleton once, from its doctree.
        if docname not in skeletons:
            skeletons[docname] = skeleton(env, read_doctree(docname), nodes.Element())
        return skeletons[docname]

    env.get_doctree = get_skeleton  # the walk only reads; an instance attribute, removed below
    try:
        return _sphinx_assign_figure_numbers(self, env)
    finally:
        del env.get_doctree


def _cache_bibliography() -> None:
    try:
        from sphinxcontrib.bibtex.domain import BibtexDomain
    except ImportError:
        return
    if getattr(BibtexDomain.get_formatted_entries, "course_cached", False):
        return
    format_entries = BibtexDomain.get_formatted_entries

    def get_formatted_entries(self, bibliography_key, docnames, tooltips, tooltips_style):
        bibliography = self.bibliographies[bibliography_key]
        keys = tuple(key for key, _ in self.get_sorted_entries(bibliography_key, docnames))
        files = tuple((str(name), bib.mtime) for name, bib in self.bibdata.bibfiles.items())
        fingerprint = (
            *(bibliography.style, bibliography.labelprefix, bibliography.list_),
            *(tooltips, tooltips_style, files, keys),
        )
        cache = self.data.setdefault("course_formatted_entries", {})
        hit = cache.get(bibliography_key)
        if hit is None or hit[0] != fingerprint:
            hit = cache[bibliography_key] = (
                fingerprint,
                list(format_entries(self, bibliography_key, docnames, tooltips, tooltips_style)),
            )
        return iter(hit[1])

    get_formatted_entries.course_cached = True
    BibtexDomain.get_formatted_entries = get_formatted_entries


def setup(app: Sphinx) -> dict:
    TocTreeCollector.assign_figure_numbers = assign_figure_numbers
    _cache_bibliography()
    app.connect("doctree-read", _keep_skeleton, priority=900)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
