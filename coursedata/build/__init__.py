"""Build every tidy CSV in datasets/ from datasets/raw/, plus datapackage.json and the codebook.

``python datasets/build.py`` is the entry point; :func:`run` does the work so that tests can
build into a temporary folder and compare bytes.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from coursedata.build import evaluation, panes, population, poverty, socpod, sonko, volgograd
from coursedata.build.common import REPO_DIR, Table, check_columns, write_csv
from coursedata.build.datapackage import package_descriptor

log = logging.getLogger(__name__)

BUILDERS = (volgograd, sonko, socpod, poverty, population, panes, evaluation)
DEFAULT_OUT = REPO_DIR / "datasets"
DEFAULT_CODEBOOK = REPO_DIR / "book" / "reference" / "codebook.md"


def build_tables(skip: tuple[str, ...] = ()) -> list[Table]:
    """Run every per-source builder (except modules named in ``skip``) and check the columns."""
    tables: list[Table] = []
    for module in BUILDERS:
        name = module.__name__.rsplit(".", 1)[-1]
        if name in skip:
            continue
        log.info("building %s", name)
        tables.extend(module.build())
    for table in tables:
        check_columns(table)
    return tables


def run(out_dir: Path = DEFAULT_OUT, codebook: Path | None = DEFAULT_CODEBOOK) -> list[Path]:
    """Write all CSVs and datapackage.json into ``out_dir`` (and the codebook); return paths."""
    from coursedata.build.codebook import render_codebook

    tables = build_tables()
    written = []
    for table in tables:
        path = out_dir / table.path
        write_csv(table.frame, path)
        written.append(path)
        log.info("wrote %s (%d rows)", path, len(table.frame))
    descriptor = package_descriptor(tables)
    package = out_dir / "datapackage.json"
    text = json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
    package.write_bytes(text.encode("utf-8"))
    written.append(package)
    if codebook is not None:
        codebook.parent.mkdir(parents=True, exist_ok=True)
        shown = {t.name: t.codebook_rows for t in tables if t.codebook_rows is not None}
        codebook.write_bytes(render_codebook(descriptor, shown).encode("utf-8"))
        written.append(codebook)
    return written
