"""Pack each released exercise (student notebook + its data/) into a zip for the book's download links.

Run after ``python -m grader release``: ``python -m coursebook.downloads --course course``.
"""

from __future__ import annotations

import argparse
import logging
import sys
import zipfile
from pathlib import Path

logger = logging.getLogger(__name__)
# A fixed timestamp keeps the zips byte-identical between builds of the same release.
FIXED_DATE = (2020, 1, 1, 0, 0, 0)


def pack_release(release_dir: Path, downloads_dir: Path) -> list[Path]:
    """Write ``<downloads_dir>/<id>.zip`` for every ``<release_dir>/<id>/``; return the zips."""
    if not release_dir.is_dir():
        raise FileNotFoundError(f"no released exercises in {release_dir}: run the release first")
    downloads_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for exercise in sorted(p for p in release_dir.iterdir() if p.is_dir()):
        target = downloads_dir / f"{exercise.name}.zip"
        partial = target.with_suffix(".zip.partial")
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
            for path in sorted(exercise.rglob("*")):
                if path.is_file() and ".ipynb_checkpoints" not in path.parts:
                    info = zipfile.ZipInfo(
                        f"{exercise.name}/{path.relative_to(exercise)}", FIXED_DATE
                    )
                    info.compress_type = zipfile.ZIP_DEFLATED
                    bundle.writestr(info, path.read_bytes())
        partial.replace(target)
        written.append(target)
        logger.info("packed %s", target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--course", type=Path, default=Path("course"), help="nbgrader course directory"
    )
    args = parser.parse_args(argv)
    try:
        zips = pack_release(args.course / "release", args.course / "downloads")
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"packed {len(zips)} exercise(s) into {args.course / 'downloads'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
