"""Derive every tidy CSV in datasets/ (plus datapackage.json and the codebook) from datasets/raw/.

Usage: python datasets/build.py [--out-dir DIR] [--no-codebook]
Running it twice gives byte-identical files. The logic lives in coursedata/build/.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # works without `pip install -e .`

from coursedata.build import DEFAULT_CODEBOOK, DEFAULT_OUT, run  # noqa: E402
from coursedata.regions import UnmappedRegionError  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, build, and report; user errors become one line and exit code 1."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out-dir",
        type=Path,
        default=DEFAULT_OUT,
        help="folder for the CSVs and datapackage.json (default: datasets/)",
    )
    parser.add_argument(
        "--no-codebook", action="store_true", help="do not regenerate book/reference/codebook.md"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        written = run(args.out_dir, None if args.no_codebook else DEFAULT_CODEBOOK)
    except (FileNotFoundError, UnmappedRegionError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"wrote {len(written)} files to {args.out_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
