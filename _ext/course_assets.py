"""Sphinx extension: serve the site's front-end libraries from local copies, never from a CDN.

The libraries come from the npm registry at build time (``package.json`` + ``package-lock.json`` →
``node_modules/``). They are copied into a build-local static folder that is registered *after*
Jupyter Book has turned ``_config.yml`` into Sphinx config: Jupyter Book adds every ``*.js`` it finds
under ``html_static_path`` to every page, and chart libraries belong only on pages with charts.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parent.parent
CHART_MARKER = 'class="course-chart"'

# (package-relative source, destination under _static/course/)
VENDORED_FILES = [
    ("vega/build/vega.min.js", "vega.min.js"),
    ("vega-embed/build/vega-embed.min.js", "vega-embed.min.js"),
]
OWN_ASSETS = REPO_ROOT / "coursebook" / "static"


def _check_assets(app: Sphinx, config: Config) -> None:
    node_modules = REPO_ROOT / "node_modules"
    missing = [src for src, _ in VENDORED_FILES if not (node_modules / src).is_file()]
    if missing:
        raise ExtensionError(
            f"front-end assets missing from {node_modules} ({', '.join(missing)}): run `make assets`"
        )


def _copy_assets(app: Sphinx) -> None:
    # Copied straight into the output rather than through html_static_path: Sphinx filters static
    # files through exclude_patterns, and the pattern `course` (the nbgrader folder) would silently
    # drop a static folder of the same name.
    if app.builder.format != "html":
        return
    node_modules = REPO_ROOT / "node_modules"
    target = Path(app.outdir) / "_static" / "course"
    if target.exists():
        shutil.rmtree(target)
    for src, dest in VENDORED_FILES:
        (target / dest).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(node_modules / src, target / dest)
    for own in OWN_ASSETS.iterdir():
        if own.is_file():
            shutil.copyfile(own, target / own.name)


def _prune_page_assets(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree
) -> None:
    """Drop duplicated inline scripts, Thebe's loader when Thebe is off, scripts a page never uses.

    Sphinx 7.4 registers body-only scripts added during reading twice (``None`` vs ``""`` file
    names), which makes sphinx-thebe's ``const THEBE_JS_URL`` a SyntaxError on every page; with
    launch_buttons.thebe off, its script is unused and only points at a CDN.
    """
    launch = (app.config.html_theme_options or {}).get("launch_buttons") or {}
    thebe_on = bool(launch.get("thebe"))
    seen = set()
    kept = []
    for js in context.get("script_files", []):
        body = js.attributes.get("body", "")
        is_thebe = "sphinx-thebe" in str(js.filename or "") or "THEBE_JS_URL" in body
        key = (js.filename or "", tuple(sorted(js.attributes.items())))
        if key in seen or (is_thebe and not thebe_on):
            continue
        seen.add(key)
        kept.append(js)
    body = context.get("body", "")
    kept = [js for js in kept if _used_on_page(js, body)]
    context["script_files"][:] = kept
    # sphinx-design's 55 kB stylesheet styles only its own components (class names "sd-...").
    context["css_files"][:] = [
        css
        for css in context.get("css_files", [])
        if not ("sphinx-thebe" in str(css.filename) and not thebe_on)
        and not ("sphinx-design" in str(css.filename) and not SPHINX_DESIGN.search(body))
    ]


SPHINX_DESIGN = re.compile(r'class="(?:[^"]* )?sd-')
# Extension scripts Jupyter Book adds to every page, and what a page must contain to use them.
PAGE_FEATURE_SCRIPTS = {
    "design-tabs.js": re.compile("sd-tab-set"),
    "copybutton.js": re.compile('class="highlight'),
    "clipboard.min.js": re.compile('class="highlight'),
    # sphinx-togglebutton's selector ".toggle, .admonition.dropdown": a class "toggle" or
    # "dropdown" of its own, not sphinx-design's "sd-dropdown" (which needs no script).
    "togglebutton.js": re.compile(r'class="(?:[^"]* )?(?:toggle|dropdown)[ "]'),
}
TOGGLEBUTTON_SETTINGS = (
    "toggleHintShow",
    "toggleHintHide",
    "toggleOpenOnPrint",
    "togglebuttonSelector",
)


def _used_on_page(js, body: str) -> bool:
    name = str(js.filename or "").split("?")[0].rsplit("/", 1)[-1]
    if name in PAGE_FEATURE_SCRIPTS:
        return PAGE_FEATURE_SCRIPTS[name].search(body) is not None
    if any(setting in js.attributes.get("body", "") for setting in TOGGLEBUTTON_SETTINGS):
        return PAGE_FEATURE_SCRIPTS["togglebutton.js"].search(body) is not None
    return True


def _fix_bibliography_roles(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree
) -> None:
    # Docutils marks each citation role="doc-biblioentry" inside a role="list" container; a list
    # may only hold listitems (axe: aria-required-children, critical), and doc-biblioentry is
    # deprecated in DPUB-ARIA 1.1. Screen readers then announce "list, N items" as intended.
    body = context.get("body", "")
    if 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


def _add_chart_loader(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree
) -> None:
    # Called per page: Sphinx then attaches the script to this page only.
    if CHART_MARKER in context.get("body", ""):
        app.add_js_file("course/course-charts.js", loading_method="defer")


# pydata-sphinx-theme writes Sphinx's whole search index (~200 kB) into every page for
# search-as-you-type; course.js loads it when the reader opens the search box instead. Sphinx's
# Search defers a query until the index arrives (Search.deferQuery), so nothing typed is lost.
SEARCH_INDEX_TAG = re.compile(r'\s*<script src="(?:\.\./)*searchindex\.js"></script>')


def _defer_search_index(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        if page.name == "search.html":  # the results page needs the index at once
            continue
        html = page.read_text(encoding="utf-8")
        lean = SEARCH_INDEX_TAG.sub("", html, count=1)
        if lean != html:  # untouched pages keep their time stamps
            page.write_text(lean, encoding="utf-8")


def setup(app: Sphinx) -> dict:
    app.setup_extension("course_lean")  # lighter pages: charts compiled to Vega, icon fonts cut
    app.setup_extension("course_print")  # the printable course in every page's download menu
    app.connect("config-inited", _check_assets)
    app.connect("builder-inited", _copy_assets)
    app.connect("html-page-context", _add_chart_loader)
    app.connect("html-page-context", _prune_page_assets, priority=900)
    app.connect("html-page-context", _fix_bibliography_roles)
    app.connect("build-finished", _defer_search_index)
    app.add_css_file("course/course.css")
    app.add_js_file("course/course.js", loading_method="defer")
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
