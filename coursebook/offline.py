"""The site as one download: ``course-site.zip`` holds both editions, the exercises' zips and (once
``make pdf`` has placed them in the site, ``pdf/`` of each edition) the printable PDFs, and opens
from ``course-site/index.html`` by double-click.

Nothing needs rewriting for ``file://``: the built site links pages relatively, loads its libraries
from ``_static/``, draws charts with the vendored Vega, and Sphinx's search reads
``searchindex.js`` through a script tag, which browsers allow from ``file://`` (a ``fetch`` would not).

Usage: python -m coursebook.offline [--site _build/html] [--out FILE]
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TOP = "course-site"  # the folder the archive unpacks into
# Fixed time stamps: the same site gives the same archive, byte for byte.
STAMP = (2020, 1, 1, 0, 0, 0)
SKIP = {".buildinfo", ".doctrees"}


def site_files(site: Path) -> list[Path]:
    """Every file of the built site, in a stable order, without Sphinx's build bookkeeping."""
    return sorted(
        path
        for path in site.rglob("*")
        if path.is_file() and not SKIP.intersection(path.relative_to(site).parts)
    )


def build(site: Path, out: Path) -> int:
    """Write the archive; return the number of files in it."""
    if not (site / "index.html").is_file():
        raise FileNotFoundError(f"no built site at {site}: run `make course` first")
    entries = [(path, f"{TOP}/{path.relative_to(site).as_posix()}") for path in site_files(site)]
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_suffix(".zip.part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for path, name in entries:
            info = zipfile.ZipInfo(name, STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            # Already-compressed files (zips, PDFs, images, fonts) are stored, not squeezed again.
            if path.suffix in {".zip", ".pdf", ".png", ".jpg", ".woff", ".woff2"}:
                info.compress_type = zipfile.ZIP_STORED
            archive.writestr(info, path.read_bytes())
    partial.replace(out)  # never a half-written archive under the final name
    return len(entries)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=REPO / "_build" / "html")
    parser.add_argument("--out", type=Path, default=REPO / "_build" / "course-site.zip")
    args = parser.parse_args(argv)
    try:
        count = build(args.site, args.out)
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"{args.out}: {count} files, {args.out.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
