"""Typed access to the course datasets in ``datasets/``.

>>> from coursedata import load
>>> survey = load("volgograd_survey")

Types come from ``datasets/datapackage.json``: strings with few distinct values become
``category``, integers ``Int64`` (missing-aware), numbers ``float64``, booleans ``boolean``,
other strings ``string``. The folder is found relative to this package (the repository is
installed editable), or from the environment variable ``COURSEDATA_DIR``.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["DATA_DIR", "UnknownDatasetError", "describe", "list_datasets", "load"]

DATA_DIR = Path(
    os.environ.get("COURSEDATA_DIR") or Path(__file__).resolve().parents[1] / "datasets"
)

# Columns that identify or label things with a small fixed set of values: pandas category.
_CATEGORY_HINTS = (
    "level",
    "group",
    "form",
    "answer_type",
    "row_kind",
    "targeting",
    "age_group",
    "population_group",
    "value_qualifier",
    "federal_district",
    "source_group",
    "activity_group",
)
_PANDAS_TYPES = {"integer": "Int64", "number": "float64", "boolean": "boolean"}


class UnknownDatasetError(KeyError):
    """Raised by load/describe for a name that is not in datapackage.json."""

    def __str__(self) -> str:  # KeyError would print the message with quotes around it
        return str(self.args[0])


@cache
def _package(data_dir: Path = DATA_DIR) -> dict[str, Any]:
    path = data_dir / "datapackage.json"
    if not path.exists():
        raise FileNotFoundError(f"{path} not found; run `python datasets/build.py` first")
    return json.loads(path.read_text(encoding="utf-8"))


def list_datasets() -> list[str]:
    """Names of all datasets, in the order of datapackage.json."""
    return [res["name"] for res in _package()["resources"]]


def describe(name: str) -> dict[str, Any]:
    """The datapackage.json resource (title, description, sources, licences, schema) of a dataset."""
    name = name.removesuffix(".csv")
    for res in _package()["resources"]:
        if res["name"] == name:
            return res
    valid = ", ".join(list_datasets())
    raise UnknownDatasetError(f"unknown dataset {name!r}; valid names: {valid}")


def _dtype(field: dict[str, Any]) -> str:
    if field["type"] == "string":
        is_label = field["name"] in _CATEGORY_HINTS or "enum" in field.get("constraints", {})
        return "category" if is_label else "string"
    return _PANDAS_TYPES[field["type"]]


def load(name: str) -> pd.DataFrame:
    """Load one dataset as a typed DataFrame, e.g. ``load("sonko_regions")``.

    Args:
        name: dataset name as listed by :func:`list_datasets` (a trailing ``.csv`` is ignored).

    Raises:
        UnknownDatasetError: the name is not in datapackage.json (the message lists valid names).
    """
    resource = describe(name)
    fields = resource["schema"]["fields"]
    read_types = {f["name"]: "string" if f["type"] == "string" else "object" for f in fields}
    read_types.update({f["name"]: "float64" for f in fields if f["type"] == "number"})
    frame = pd.read_csv(
        DATA_DIR / resource["path"],
        dtype=read_types,
        keep_default_na=False,
        na_values=[""],
        encoding="utf-8",
    )
    for field in fields:
        column = field["name"]
        kind = _dtype(field)
        if kind == "boolean":
            frame[column] = frame[column].map({"True": True, "False": False}).astype("boolean")
        elif kind == "Int64":
            frame[column] = pd.to_numeric(frame[column]).astype("Int64")
        else:
            frame[column] = frame[column].astype(kind)
    return frame
