"""Shared fixtures for the dataset tests: paths and the loaded data package."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DATASETS = REPO / "datasets"
RAW = DATASETS / "raw"


@pytest.fixture(scope="session")
def package() -> dict:
    """The committed datapackage.json."""
    return json.loads((DATASETS / "datapackage.json").read_text(encoding="utf-8"))
