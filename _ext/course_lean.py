"""Lighter pages (issue 21): work the browser used to do on every visit is done once, at build time.

- Charts: each chart's Vega-Lite spec is compiled to a Vega spec by the vendored ``vega-lite``
  package (Node, from ``node_modules``; the same version the browser ran before), so a chart page
  loads Vega and Vega-Embed but no longer the 250 kB Vega-Lite compiler. Drawing, tooltips,
  selections and bound inputs are Vega's own and behave as before.
- Terminal colours: MyST-NB's 34 kB of ANSI colour rules go when no output prints in colour.
- Icons: the theme's Font Awesome web fonts (156 kB for the solid style, on every page) are cut
  down to the glyphs the site shows: icon classes found in the built pages and scripts, and the
  glyphs the theme's CSS draws itself (admonitions, breadcrumbs, external links).

All run when the build has finished, over every page written so far; all leave a page that is
already lean untouched, so incremental builds and the translated editions (own output folders)
are handled alike. They are incremental (issue 14): what each output file holds (icon classes,
coloured output, uncompiled charts) is remembered by its size and modification time, so only
pages written in this build are read again, and the cut CSS and fonts (Sphinx copies some theme
files back in full on every build) are kept by the hash of their input and the glyph set, so an
unchanged set costs a hash and a copy instead of a regex pass and a font subsetting. The output
is the same as a cold build's: the cache (one JSON per output folder, with the doctrees) only
skips work whose result it already holds.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import re
import shutil
import subprocess
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parent.parent
CHART_JSON = re.compile(
    r'(<div class="course-chart"[^>]*>.*?<script type="application/json">)(.*?)(</script>)', re.S
)
VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/"
# Reads a JSON list of Vega-Lite specs on stdin, writes [{spec, warnings}] for each on stdout.
COMPILE_JS = """
import * as vl from "vega-lite";
let input = "";
for await (const chunk of process.stdin) input += chunk;
const results = JSON.parse(input).map((spec) => {
  const warnings = [];
  const note = (...parts) => warnings.push(parts.join(" "));
  const logger = { level() { return this; }, warn: note, error: note, info() {}, debug() {} };
  return { spec: vl.compile(spec, { logger }).spec, warnings };
});
process.stdout.write(JSON.stringify(results));
"""


def compile_specs(specs: list[dict]) -> list[tuple[dict, list[str]]]:
    """Compile Vega-Lite specs to Vega with the vendored vega-lite; one Node process for all."""
    if not specs:
        return []
    node = shutil.which("node")
    if node is None:
        raise ExtensionError("node not found: charts are compiled with Node.js (as `make assets`)")
    done = subprocess.run(
        [node, "--input-type=module", "-e", COMPILE_JS],
        input=json.dumps(specs),
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,  # resolves "vega-lite" in the course's node_modules
        check=False,
    )
    if done.returncode != 0:
        raise ExtensionError(f"compiling the charts' Vega-Lite specs failed: {done.stderr.strip()}")
    return [(result["spec"], result["warnings"]) for result in json.loads(done.stdout)]


CSV_MIN_SAVING = 1_000  # bytes: smaller tables stay JSON, which is easier to read in the page


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"  # Vega reads "True" as true, and "False" too
    return repr(value) if isinstance(value, float) else str(value)


def compact_values(entry: dict) -> dict:
    """A Vega data entry whose inline rows are written as CSV text, when that is exact and smaller.

    Vega parses inline ``values`` given as a string by their ``format``; every column gets an
    explicit type, so "0123" stays text and numbers come back as the same doubles (repr round-trips).
    Left as JSON: rows with differing keys, nested values, empty strings (CSV reads them as null),
    a column mixing types, non-finite numbers, or a format other than JSON plus a parse map.
    """
    rows, fmt = entry.get("values"), entry.get("format", {"type": "json"})
    if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
        return entry
    if set(fmt) - {"type", "parse"} or fmt.get("type", "json") != "json":
        return entry
    columns = list(rows[0])
    types: dict[str, str] = {}
    for row in rows:
        if list(row) != columns:
            return entry
        for name, value in row.items():
            if value is None:
                continue
            kind = {bool: "boolean", int: "number", float: "number", str: "string"}.get(type(value))
            bad = value == "" or (kind == "number" and not math.isfinite(value))
            if kind is None or bad or types.setdefault(name, kind) != kind:
                return entry
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([_csv_cell(row[name]) for name in columns] for row in rows)
    parse = {name: types.get(name, "string") for name in columns} | fmt.get("parse", {})
    compact = {**entry, "values": text.getvalue(), "format": {"type": "csv", "parse": parse}}
    before = len(json.dumps(entry, ensure_ascii=False, separators=(",", ":")))
    after = len(json.dumps(compact, ensure_ascii=False, separators=(",", ":")))
    return compact if before - after >= CSV_MIN_SAVING else entry


def chart_rows(spec: dict) -> dict[str, list[dict]]:
    """A chart's inline tables by name, from a Vega-Lite spec (``datasets``) or a Vega spec built
    here (``data`` values, CSV text read back with its column types): for checks that compare what
    two pages plot."""
    tables = dict(spec.get("datasets", {}))
    for entry in spec.get("data", []):
        values = entry.get("values")
        if isinstance(values, str):
            parse = entry.get("format", {}).get("parse", {})
            reader = csv.DictReader(io.StringIO(values, newline=""))
            values = [{k: _typed(v, parse.get(k)) for k, v in row.items()} for row in reader]
        if isinstance(values, list):
            tables[entry["name"]] = values
    return tables


def _typed(cell: str, kind: str | None):
    if cell == "":
        return None
    if kind == "number":
        number = float(cell)
        return (
            int(number) if number.is_integer() and "." not in cell and "e" not in cell else number
        )
    return cell == "true" if kind == "boolean" else cell


def _vega_payload(spec: dict) -> str:
    # course-charts.js embeds in Vega mode; a $schema would only make vega-embed compare versions.
    spec.pop("$schema", None)
    spec["data"] = [compact_values(entry) for entry in spec.get("data", [])]
    # "</" inside a JSON string would close the script element early (as coursebook/charts.py).
    return json.dumps(spec, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def _compile_page_charts(outdir: Path, cache: dict) -> None:
    pages: dict[Path, str] = {}
    payloads: list[str] = []
    for page in sorted(outdir.rglob("*.html")):
        known = cache["files"].get(page.relative_to(outdir).as_posix())
        if known is not None and known["stat"] == _stat(page) and not known["charts"]:
            continue  # as this step left it in an earlier build: nothing to compile
        html = page.read_text(encoding="utf-8")
        found = [m.group(2) for m in CHART_JSON.finditer(html) if VEGA_LITE_SCHEMA in m.group(2)]
        if found:
            pages[page] = html
            payloads += [p for p in found if p not in payloads]
    compiled = compile_specs([json.loads(p) for p in payloads])
    vega = {}
    for payload, (spec, warnings) in zip(payloads, compiled, strict=True):
        for warning in warnings:
            # Notes the browser used to print to its console; the chart still draws.
            logger.info("Vega-Lite note on chart %s: %s", json.loads(payload).get("title"), warning)
        vega[payload] = _vega_payload(spec)
    for page, html in pages.items():
        lean = CHART_JSON.sub(
            lambda m: m.group(1) + vega.get(m.group(2), m.group(2)) + m.group(3), html
        )
        page.write_text(lean, encoding="utf-8")
    if pages:
        logger.info("charts compiled to Vega: %d specs on %d pages", len(payloads), len(pages))


# Font Awesome's CSS maps each icon class to its glyph: .fa-magnifying-glass:before{content:"\f002"}
ICON_RULE = re.compile(r"([^{}]+)\{content:\"\\([0-9a-f]{4})\"\}")
ICON_CLASS = re.compile(r"\bfa-[a-z0-9-]+")
GLYPH_ESCAPE = re.compile(r"\"\\([ef][0-9a-f]{3})\"")
PRIVATE_USE = (0xE000, 0xF8FF)  # where icon fonts keep their glyphs
WEBFONTS = Path("_static") / "vendor" / "fontawesome" / "webfonts"


def _stat(path: Path) -> list[int]:
    info = path.stat()
    return [info.st_mtime_ns, info.st_size]


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _icon_table(text: str) -> dict:
    """One stylesheet's icon classes (class -> glyph) and the glyphs its other rules draw."""
    by_class: dict[str, int] = {}
    table = []
    for rule in ICON_RULE.finditer(text):
        names = [s.strip().removeprefix(".").split(":")[0] for s in rule.group(1).split(",")]
        if all(name.startswith("fa-") for name in names):
            by_class.update(dict.fromkeys(names, int(rule.group(2), 16)))
            table.append(rule.group(0))
    # Glyphs the theme's own rules draw (--pst-icon-* variables, content:"\f107"): every
    # escape or private-use character outside the icon-class table.
    for entry in table:
        text = text.replace(entry, "", 1)
    drawn = {int(code, 16) for code in GLYPH_ESCAPE.findall(text)}
    drawn.update(ord(char) for char in text if PRIVATE_USE[0] <= ord(char) <= PRIVATE_USE[1])
    return {"by_class": by_class, "drawn": sorted(drawn)}


def _page_facts(outdir: Path, cache: dict) -> dict[str, dict]:
    """What each built page and script holds, read again only where size or mtime changed."""
    facts = {}
    for path in sorted(outdir.rglob("*")):
        if path.suffix not in {".html", ".js"} or "webfonts" in path.parts or not path.is_file():
            continue
        name, stat = path.relative_to(outdir).as_posix(), _stat(path)
        known = cache["files"].get(name)
        if known is None or known["stat"] != stat:
            text = path.read_text(encoding="utf-8", errors="replace")
            charts = any(VEGA_LITE_SCHEMA in m.group(2) for m in CHART_JSON.finditer(text))
            known = {
                "stat": stat,
                "icons": sorted(set(ICON_CLASS.findall(text))),
                "colour": path.suffix == ".html" and 'class="-Color' in text,
                "charts": path.suffix == ".html" and charts,
            }
        facts[name] = known
    cache["files"] = facts
    return facts


def icon_codepoints(outdir: Path, cache: dict | None = None) -> set[int]:
    """The Font Awesome glyphs the built site can show."""
    cache = cache if cache is not None else _new_cache(outdir)
    by_class: dict[str, int] = {}
    drawn: set[int] = set()
    tables = {}
    for css in sorted((outdir / "_static").rglob("*.css")):
        data = css.read_bytes()
        key = _sha(data)
        table = cache["css"].get(key) or _icon_table(data.decode("utf-8", errors="replace"))
        tables[key] = table
        by_class.update(table["by_class"])
        drawn.update(table["drawn"])
    # Sphinx copies some theme files back in full on each build and leaves others as cut: keep
    # the tables of both forms (a few recent ones) so neither is parsed again.
    cache["css"] = tables | dict(list(cache["css"].items())[: max(0, 64 - len(tables))])
    used = {name for known in _page_facts(outdir, cache).values() for name in known["icons"]}
    return drawn | {by_class[name] for name in used if name in by_class}


def _cut_in_place(path: Path, make) -> None:
    made = make(path.read_bytes())
    if made is not None:
        path.write_bytes(made)


def _drop_unused_icon_rules(outdir: Path, codepoints: set[int], cut=None) -> None:
    # The icon-class table (~1,800 rules, 85 kB of the theme's CSS) shrinks to the icons kept in
    # the fonts: a class whose glyph is gone could draw nothing anyway.
    cut = cut or _cut_in_place

    def lean(data: bytes) -> bytes | None:
        text = data.decode("utf-8")

        def keep(rule: re.Match) -> str:
            names = [s.strip().removeprefix(".").split(":")[0] for s in rule.group(1).split(",")]
            table = all(name.startswith("fa-") for name in names)
            return rule.group(0) if not table or int(rule.group(2), 16) in codepoints else ""

        result = ICON_RULE.sub(keep, text)
        return result.encode("utf-8") if result != text else None

    for css in sorted((outdir / "_static").rglob("*.css")):
        cut(css, lean)


def _cut_font(font_file: Path, codepoints: set[int], data: bytes) -> bytes | None:
    from fontTools import subset  # 0.2 s to import: only when a font is cut, not on every build

    flavor = {".woff2": "woff2", ".woff": "woff", ".ttf": None}.get(font_file.suffix, "skip")
    if flavor == "skip":
        return None
    options = subset.Options()
    options.layout_features = ["*"]
    font = subset.load_font(io.BytesIO(data), options)
    keep = codepoints & set(font.getBestCmap())
    if len(keep) == len(font.getBestCmap()):
        return None  # already subset (an earlier run of this build)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=keep)
    subsetter.subset(font)
    options.flavor = flavor
    out = io.BytesIO()
    subset.save_font(font, out, options)
    return out.getvalue()


def _subset_icon_fonts(outdir: Path, cache: dict, blobs: Path) -> None:
    fonts = sorted((outdir / WEBFONTS).glob("fa-*.*")) if (outdir / WEBFONTS).is_dir() else []
    if not fonts:
        return
    codepoints = icon_codepoints(outdir, cache)
    glyphs = _sha(json.dumps(sorted(codepoints)).encode())
    # Cuts for this glyph set: both the full files Sphinx copies back and the already cut ones.
    previous = {key: done for key, done in cache["cuts"].items() if key.endswith(glyphs)}
    results = dict(previous)

    def cut(path: Path, make) -> None:
        # The same input file and glyph set always cut to the same bytes: kept from the last build.
        data = path.read_bytes()
        key = f"{_sha(data)}:{glyphs}"
        done = previous.get(key)
        if done is None or (done != "same" and not (blobs / done).is_file()):
            made = make(data)
            done = "same" if made is None else _sha(made)
            if made is not None:
                blobs.mkdir(parents=True, exist_ok=True)
                (blobs / done).write_bytes(made)
        results[key] = done
        if done != "same":
            partial = path.with_name(path.name + ".part")
            partial.write_bytes((blobs / done).read_bytes())
            partial.replace(path)

    _drop_unused_icon_rules(outdir, codepoints, cut)
    for font_file in fonts:
        cut(font_file, lambda data, font_file=font_file: _cut_font(font_file, codepoints, data))
    cache["cuts"] = results
    for stale in set(p.name for p in blobs.glob("*")) - set(results.values()):
        (blobs / stale).unlink()
    logger.info("icon fonts cut to %d glyphs", len(codepoints))


# MyST-NB's stylesheet spends 34 kB of its 43 kB on colours for ANSI terminal output
# (div.highlight .-Color-Red ...), which only shows where a cell prints coloured text.
ANSI_RULE = re.compile(r"div\.highlight \.-Color[^{}]*\{[^{}]*\}\s*")


def _drop_unused_ansi_colours(outdir: Path, cache: dict) -> None:
    if any(known["colour"] for known in _page_facts(outdir, cache).values()):
        return
    for css in sorted((outdir / "_static").glob("mystnb*.css")):
        text = css.read_text(encoding="utf-8")
        lean = ANSI_RULE.sub("", text)
        if lean != text:
            css.write_text(lean, encoding="utf-8")


CACHE_VERSION = 1


def _new_cache(outdir: Path) -> dict:
    return {"version": CACHE_VERSION, "outdir": str(outdir), "files": {}, "css": {}, "cuts": {}}


def _lean_build(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    # Kept with the doctrees (not published), one file per output folder (editions, builders).
    name = f"course_lean-{_sha(str(outdir.resolve()).encode())[:12]}"
    store = Path(app.doctreedir) / f"{name}.json"
    try:
        cache = json.loads(store.read_text(encoding="utf-8"))
        if cache.get("version") != CACHE_VERSION or cache.get("outdir") != str(outdir):
            cache = _new_cache(outdir)
    except (OSError, ValueError):
        cache = _new_cache(outdir)
    _compile_page_charts(outdir, cache)
    _subset_icon_fonts(outdir, cache, Path(app.doctreedir) / name)
    _drop_unused_ansi_colours(outdir, cache)
    _page_facts(outdir, cache)  # the stat of each page as this build leaves it
    store.parent.mkdir(parents=True, exist_ok=True)
    partial = store.with_name(store.name + ".part")
    partial.write_text(json.dumps(cache), encoding="utf-8")
    partial.replace(store)


def setup(app: Sphinx) -> dict:
    app.connect("build-finished", _lean_build)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
