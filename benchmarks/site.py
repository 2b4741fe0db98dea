"""Benchmark: what each page of the built site costs a reader, measured in Chromium over loopback.

Per page of the table of contents (each in a fresh browser context, so nothing is cached): bytes
transferred (as served, uncompressed, and as a gzip-compressing web server would send them), number
of requests, time to the load event and to the last chart drawn, and the scripts the page loads
that its content does not use. Then the largest page and a verdict against the targets: every
chapter page ≤ 1.5 MB including chart libraries; no page loads a script it does not use; every
font and icon comes from the site itself.

Usage: .venv/bin/python benchmarks/site.py [--site _build/html] [--edition ru] [--json out.json]
(``--edition ru`` measures the Russian edition's pages, ``ru/<page>.html`` of the same site.)
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run as a script: share the browser suite's tools

from tests.site.sitetools import (  # noqa: E402
    CHART_TIMEOUT_MS,
    CHARTS_SETTLED_JS,
    DESKTOP,
    guard_network,
    launch,
    serve,
    toc_pages,
)

BUDGET = 1_500_000  # bytes per chapter page, chart libraries included
# A script is "used" on a page only if the page holds what it works on (CSS selector).
SCRIPT_NEEDS = {
    "course-charts.js": "div.course-chart",
    "vega.min.js": "div.course-chart",
    "vega-embed.min.js": "div.course-chart",
    "tex-chtml.js": "mjx-container, .math",
    "design-tabs.js": ".sd-tab-set",
    "copybutton.js": "div.highlight pre",
    "clipboard.min.js": "div.highlight pre",
    "togglebutton.js": ".toggle, .admonition.dropdown",
    "sphinx-thebe.js": ".thebe-launch-button",
    # pydata-sphinx-theme puts Sphinx's search on every page; only search-as-you-type uses it there.
    "searchtools.js": "#search-results, .search-button__search-container input:focus",
    "language_data.js": "#search-results, .search-button__search-container input:focus",
    "searchindex.js": "#search-results, .search-button__search-container input:focus",
}
TIMING_JS = """() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const mark = performance.getEntriesByName('course-charts-settled')[0];
    return {load: nav ? nav.loadEventEnd : null, charts: mark ? mark.startTime : null,
            nCharts: document.querySelectorAll('div.course-chart').length};
}"""


@dataclass
class PageCost:
    page: str
    bytes: int = 0
    gzip_bytes: int = 0
    requests: int = 0
    load_ms: float = 0.0
    charts: int = 0
    last_chart_ms: float | None = None
    unused_scripts: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    fonts: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _local_file(site: Path, url: str) -> Path | None:
    path = site / unquote(urlsplit(url).path).lstrip("/")
    return path if path.is_file() else None


def measure(browser, site: Path, base: str, page: str) -> PageCost:
    """Open one page in a fresh context and account for everything it fetched."""
    cost = PageCost(page)
    context = browser.new_context(**DESKTOP)
    network = guard_network(context)
    tab = context.new_page()
    cdp = context.new_cdp_session(tab)
    cdp.send("Network.enable")
    urls: dict[str, tuple[str, str]] = {}

    def on_response(event: dict) -> None:
        urls[event["requestId"]] = (event["response"]["url"], event["type"])

    def on_finished(event: dict) -> None:
        url, kind = urls.get(event["requestId"], ("", ""))
        cost.requests += 1
        cost.bytes += int(event["encodedDataLength"])
        local = _local_file(site, url) if url else None
        cost.gzip_bytes += len(gzip.compress(local.read_bytes(), 6)) if local else 0
        if kind == "Font" or url.split("?")[0].endswith((".woff", ".woff2", ".ttf", ".svg")):
            cost.fonts.append(urlsplit(url).path)

    cdp.on("Network.responseReceived", on_response)
    cdp.on("Network.loadingFinished", on_finished)
    tab.on("console", lambda m: cost.errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: cost.errors.append(str(e)))
    tab.goto(f"{base}{page}.html", wait_until="load")
    tab.wait_for_function(CHARTS_SETTLED_JS, timeout=CHART_TIMEOUT_MS)
    tab.wait_for_load_state("networkidle")
    timing = tab.evaluate(TIMING_JS)
    cost.load_ms, cost.charts, cost.last_chart_ms = timing["load"], timing["nCharts"], None
    if cost.charts:
        cost.last_chart_ms = timing["charts"]
    loaded = tab.evaluate("() => performance.getEntriesByType('resource').map(r => r.name)")
    for url in loaded:
        name = urlsplit(url).path.rsplit("/", 1)[-1]
        need = SCRIPT_NEEDS.get(name)
        if need and not tab.evaluate("(sel) => document.querySelector(sel) !== null", need):
            cost.unused_scripts.append(name)
    cost.external, cost.failed = list(network.external), list(network.failed)
    context.close()
    return cost


def report(costs: list[PageCost]) -> int:
    """Print the table and the verdicts; return the number of pages over budget (gzip)."""
    print(
        f"{'page':58} {'KB':>7} {'KB gz':>6} {'req':>4} {'load ms':>8} {'charts':>6} {'last chart ms':>13}"
    )
    for c in costs:
        last = f"{c.last_chart_ms:.0f}" if c.last_chart_ms is not None else "-"
        print(
            f"{c.page.rsplit('/', 1)[-1][:48]:48} {c.bytes / 1000:7.0f} {c.gzip_bytes / 1000:6.0f} {c.requests:4d} "
            f"{c.load_ms:8.0f} {c.charts:6d} {last:>13}"
        )
    largest = max(costs, key=lambda c: c.bytes)
    print(
        f"\nlargest page: {largest.page} — {largest.bytes / 1e6:.2f} MB "
        f"({largest.gzip_bytes / 1e6:.2f} MB gzip)"
    )
    over = [c.page for c in costs if c.bytes > BUDGET]
    over_gz = [c.page for c in costs if c.gzip_bytes > BUDGET]
    print(f"pages over {BUDGET / 1e6:.1f} MB as served uncompressed (make serve): {len(over)}")
    print(
        f"pages over {BUDGET / 1e6:.1f} MB as a gzip-compressing host sends them: {over_gz or 'none'}"
    )
    unused: dict[str, list[str]] = {}
    for c in costs:
        for script in c.unused_scripts:
            unused.setdefault(script, []).append(c.page)
    print("scripts loaded where the page does not use them:")
    for script, pages in sorted(unused.items()):
        print(f"  {script}: {len(pages)}/{len(costs)} pages")
    if not unused:
        print("  none")
    fonts = sorted({f for c in costs for f in c.fonts})
    print(f"fonts/icons fetched (all from the site itself): {fonts or 'none'}")
    external = sorted({u for c in costs for u in c.external})
    print(f"requests to other hosts (blocked): {external or 'none'}")
    noisy = {c.page: c.errors for c in costs if c.errors}
    thebe = [p for p, errs in noisy.items() if any("THEBE_JS_URL" in e for e in errs)]
    require = [p for p, errs in noisy.items() if any("require" in e.lower() for e in errs)]
    print(
        f"console errors: {noisy or 'none'}; THEBE_JS_URL errors: {thebe or 'none'}; "
        f"require.js errors: {require or 'none'}"
    )
    return len(over_gz)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=REPO / "_build" / "html")
    parser.add_argument("--toc", type=Path, default=REPO / "_toc.yml")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--edition", default="", help="a translated edition to measure, e.g. ru")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"error: no built site at {args.site}: run `make course` first", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    pages = [f"{args.edition}/{page}" if args.edition else page for page in toc_pages(args.toc)]
    with serve(args.site) as base, sync_playwright() as playwright:
        browser = launch(playwright)
        costs = [measure(browser, args.site, base, page) for page in pages]
        browser.close()
    report(costs)
    if args.json:
        args.json.write_text(json.dumps([asdict(c) for c in costs], indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
