"""Tools shared by the browser suite and ``benchmarks/site.py``: a loopback static server over a built
site, the table of contents as a page list, and a Chromium that may only talk to loopback hosts.
"""

from __future__ import annotations

import functools
import http.server
import ipaddress
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
# Flags that keep Chromium quiet on a closed network (measured: see shared stack-facts notes).
# Playwright adds --headless itself and gives every launch a fresh temporary --user-data-dir.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
MOBILE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
CHART_TIMEOUT_MS = 20_000

# Every chart div is settled: drawn (data-rendered="true") or failed (data-rendered="error").
CHARTS_SETTLED_JS = """() => Array.from(document.querySelectorAll('div.course-chart'))
    .every(c => c.dataset.rendered === 'true' || c.dataset.rendered === 'error')"""
FORGET_STORAGE_JS = "try { localStorage.clear(); sessionStorage.clear(); } catch (e) {}"
LATE_ASSETS_JS = """async () => {
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
    await document.fonts.ready;
}"""
CHART_STATE_JS = """() => Array.from(document.querySelectorAll('div.course-chart')).map(c => ({
    id: c.id,
    rendered: c.dataset.rendered || null,
    label: c.getAttribute('aria-label'),
    svg: c.querySelectorAll('svg').length,
    marks: c.querySelectorAll('svg g.role-mark > *').length,
    error: (c.querySelector('.course-chart-error') || {}).textContent || null,
}))"""
WIDGET_STATE_JS = """() => ({
    saved: document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').length,
    rendered: document.querySelectorAll('.jupyter-widgets').length,
})"""
AXE_RUN_JS = """async () => {
    const result = await axe.run(document, {resultTypes: ['violations']});
    return result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        targets: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
        count: v.nodes.length,
    }));
}"""


def toc_pages(toc_file: Path) -> list[str]:
    """Return every document of a jb-book ``_toc.yml`` (root, chapters, nested sections), in order."""
    toc = yaml.safe_load(toc_file.read_text(encoding="utf-8"))
    pages = [toc["root"]]

    def walk(entries: list[dict[str, Any]]) -> None:
        for entry in entries:
            if "file" in entry:
                pages.append(entry["file"])
            walk(entry.get("sections", []))

    for part in toc.get("parts", []):
        walk(part.get("chapters", []))
    walk(toc.get("chapters", []))
    # "book/index.md" and "book/index" name the same page.
    return [
        str(Path(p).with_suffix("")) if Path(p).suffix in {".md", ".ipynb"} else p for p in pages
    ]


def is_loopback(url: str) -> bool:
    """True for URLs that never leave the machine (loopback hosts, file:, data:, blob:, about:)."""
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob", "about", "file"}:
        return True
    host = (parts.hostname or "").strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".ipynb": "application/x-ipynb+json",
        ".js": "text/javascript",
        ".woff2": "font/woff2",
    }

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (a free port) for the duration of the block; yield its URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@dataclass(frozen=True)
class Site:
    """A built site being served: its html folder, base URL, toc pages and source folder."""

    name: str
    html: Path
    url: str
    pages: list[str]
    sources: Path

    def url_of(self, page: str) -> str:
        return f"{self.url}{page}.html"

    def file_of(self, page: str) -> Path:
        return self.html / f"{page}.html"

    def chart_chapter(self) -> str:
        """The first chapter with a chart (else the first chapter): the one shown in screenshots."""
        chapters = [p for p in self.pages[1:] if self.file_of(p).is_file()]
        with_charts = [
            p for p in chapters if 'class="course-chart"' in self.file_of(p).read_text("utf-8")
        ]
        return (with_charts or chapters)[0]

    def source_of(self, page: str) -> str:
        """The page's MyST/notebook source text ('' if it has none)."""
        for suffix in (".md", ".ipynb"):
            path = self.sources / f"{page}{suffix}"
            if path.is_file():
                return path.read_text(encoding="utf-8")
        return ""


@dataclass
class NetworkLog:
    """What one browser context asked for: everything off loopback is aborted and recorded."""

    external: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def guard_network(context: Any) -> NetworkLog:
    """Abort and record every request of ``context`` that would leave the machine."""
    log = NetworkLog()

    def route(route: Any) -> None:
        url = route.request.url
        if is_loopback(url):
            route.continue_()
        else:
            log.external.append(url)
            route.abort("blockedbyclient")

    def failed(request: Any) -> None:
        # Chromium fetches the favicon on its own and aborts that fetch when the tab moves on
        # to the next page: not a resource of the page under test, not a failure of the site
        if request.failure == "net::ERR_ABORTED" and "/favicon." in request.url:
            return
        log.failed.append(f"{request.url} ({request.failure})")

    context.route("**/*", route)
    context.on("requestfailed", failed)
    context.on(
        "response",
        lambda r: log.failed.append(f"{r.url} (HTTP {r.status})") if r.status >= 400 else None,
    )
    return log


def launch(playwright: Any) -> Any:
    """Start Debian's Chromium headless with the closed-network flags."""
    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} missing: install Debian chromium (`make system-deps`)")
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )


@dataclass
class PageReport:
    """Everything the suite checks about one page, gathered in a single visit."""

    url: str
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    charts: list[dict[str, Any]] = field(default_factory=list)
    widgets: dict[str, int] = field(default_factory=dict)
    axe_violations: list[dict[str, Any]] = field(default_factory=list)


class Visitor:
    """One browser context and one reused tab that visits pages and reports what went wrong."""

    def __init__(self, browser: Any, options: dict[str, Any] | None = None) -> None:
        self.context = browser.new_context(**(options or DESKTOP))
        # Every page is judged as a first visit (a reader arriving from a search engine): what
        # earlier pages stored (theme mode, sidebar state) must not hide a first-visit error.
        self.context.add_init_script(FORGET_STORAGE_JS)
        self.network = guard_network(self.context)
        self.page = self.context.new_page()
        self._errors: list[str] = []
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self._errors.append(f"page error: {error}"))

    def _on_console(self, message: Any) -> None:
        if message.type == "error":
            # For "Failed to load resource" the location is the resource that failed.
            where = (message.location or {}).get("url", "")
            self._errors.append(f"console: {message.text} [{where}]")

    def open(self, url: str) -> None:
        """Load ``url`` and wait until its charts have settled and the network is quiet."""
        self.page.goto(url, wait_until="load")
        self.page.wait_for_function(CHARTS_SETTLED_JS, timeout=CHART_TIMEOUT_MS)
        # Late requests (MathJax and its fonts, icon fonts) must be seen too; cheaper than
        # waiting for "networkidle" (half a second of silence) on every page.
        self.page.evaluate(LATE_ASSETS_JS)

    def visit(self, url: str, *, axe: bool = True) -> PageReport:
        """Open ``url`` and collect errors, requests, chart and widget states and axe violations."""
        self._errors.clear()
        external_before = len(self.network.external)
        failed_before = len(self.network.failed)
        report = PageReport(url=url)
        try:
            self.open(url)
        except Exception as error:  # a timeout is itself the finding; keep what was recorded
            self._errors.append(f"load: {type(error).__name__}: {str(error).splitlines()[0]}")
        report.charts = self.page.evaluate(CHART_STATE_JS)
        report.widgets = self.page.evaluate(WIDGET_STATE_JS)
        # Taken before axe runs: axe re-fetches @import-ed stylesheets (resolving some of them
        # against the page URL, hence 404s) and those requests are not the site's.
        report.console_errors = list(self._errors)
        report.external_requests = self.network.external[external_before:]
        report.failed_requests = self.network.failed[failed_before:]
        if axe:
            self.page.add_script_tag(path=str(AXE_JS))
            report.axe_violations = self.page.evaluate(AXE_RUN_JS)
        return report

    def close(self) -> None:
        self.context.close()


def serious_violations(report: PageReport) -> list[str]:
    """Readable lines for the axe violations a reader would be blocked by."""
    return [
        f"{v['id']} ({v['impact']}, {v['count']} node(s)): {v['help']} — e.g. {v['targets'][:3]}"
        for v in report.axe_violations
        if v["impact"] in {"critical", "serious"}
    ]
