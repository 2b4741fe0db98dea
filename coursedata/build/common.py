"""Helpers shared by the per-source builders: paths, deterministic CSV output, typed fields."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from coursedata.regions import UnmappedRegionError, is_historic, normalise_many, region_table

log = logging.getLogger(__name__)

REPO_DIR = Path(__file__).resolve().parents[2]
RAW_DIR = REPO_DIR / "datasets" / "raw"

ROSSTAT_LICENCE = {
    "name": "rosstat-attribution",
    "title": "Official statistics of Rosstat (rosstat.gov.ru), reproduced with attribution; "
    "mirrored from github.com/findatalab/rosstat-open-data (MIT-licensed repository), "
    "commit b6ea930962bcf6086fa832aaa06f9bbef863f44c",
}
SRD_LICENCE = {
    "name": "rosstat-attribution",
    "title": "Official statistics of Rosstat / EMISS (fedstat.ru), compiled by the public repository "
    "github.com/dnt1971/SkillFactory_Itog_Project (no licence file; its README names Rosstat "
    "and fedstat.ru as sources), commit cd29dfa2a16e5c2d1aa84d92aee1a3994dad4577",
}


@dataclass(frozen=True)
class Field:
    """One column of a tidy table, as described in datapackage.json."""

    name: str
    type: str  # frictionless type: string, integer, number, boolean
    description: str
    unit: str | None = None
    label_ru: str | None = None
    enum: tuple[str, ...] | None = None


@dataclass
class Table:
    """A built table plus everything datapackage.json says about it."""

    name: str
    title: str
    description: str
    sources: list[dict[str, str]]
    licenses: list[dict[str, str]]
    fields: list[Field]
    frame: pd.DataFrame
    primary_key: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # caveats rendered in the codebook
    # A small derived table whose rows the codebook prints in full (display version of frame).
    codebook_rows: pd.DataFrame | None = None

    @property
    def path(self) -> str:
        """Relative path of the CSV inside datasets/."""
        return f"{self.name}.csv"


def raw(name: str) -> Path:
    """Path of a raw source file; a missing file is a clear error, not a pandas traceback."""
    path = RAW_DIR / name
    if not path.exists():
        raise FileNotFoundError(f"raw source {path} is missing; copy it from the shared sources")
    return path


def region_columns(names: pd.Series, source: str) -> pd.DataFrame:
    """Map raw region names to region_code, region_ru (canonical) and level."""
    codes = normalise_many(names.tolist(), source)
    key = region_table().set_index("region_code")
    return pd.DataFrame(
        {
            "region_code": codes,
            "region_ru": key.loc[codes, "name_ru"].to_numpy(),
            "level": key.loc[codes, "level"].to_numpy(),
        },
        index=names.index,
    )


def drop_historic(names: pd.Series) -> pd.Series:
    """Boolean mask of rows to keep: False for dissolved units / old district boundaries."""
    mask = ~names.map(is_historic)
    dropped = sorted(set(names[~mask]))
    if dropped:
        log.info("dropping historic units: %s", "; ".join(dropped))
    return mask


REGION_FIELDS = [
    Field(
        "region_code",
        "string",
        "Region key (see regions.csv): ISO 3166-2:RU code, RU for "
        "the country, FD-... for federal districts",
        label_ru="Код региона",
    ),
    Field(
        "region_ru",
        "string",
        "Canonical Russian name of the territory (from regions.csv)",
        label_ru="Регион",
    ),
    Field(
        "level",
        "string",
        "Territorial level: country, district, region, or region_part "
        "(a region without its autonomous okrugs)",
        enum=("country", "district", "region", "region_part"),
    ),
]


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write a frame byte-for-byte reproducibly: UTF-8, LF, fixed float format, no index."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = frame.to_csv(index=False, lineterminator="\n", float_format="%.10g")
    path.write_bytes(text.encode("utf-8"))


def check_columns(table: Table) -> None:
    """Fail early if the frame's columns and the declared fields disagree."""
    declared = [f.name for f in table.fields]
    actual = list(table.frame.columns)
    if declared != actual:
        raise RuntimeError(f"{table.name}: declared fields {declared} != columns {actual}")


__all__ = [
    "Field",
    "REGION_FIELDS",
    "ROSSTAT_LICENCE",
    "SRD_LICENCE",
    "Table",
    "UnmappedRegionError",
    "check_columns",
    "drop_historic",
    "raw",
    "region_columns",
    "write_csv",
]
