"""coursedata.load / describe: typed frames, clear errors, works from any directory."""

from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd
import pytest

import coursedata
from coursedata import UnknownDatasetError, describe, list_datasets, load
from tests.datasets.conftest import REPO


def test_all_datasets_load_with_schema_types():
    for name in list_datasets():
        frame = load(name)
        assert len(frame) > 0, name
        for field in describe(name)["schema"]["fields"]:
            dtype = frame[field["name"]].dtype
            if field["type"] == "integer":
                assert dtype == "Int64", (name, field["name"])
            elif field["type"] == "number":
                assert dtype == "float64", (name, field["name"])
            elif field["type"] == "boolean":
                assert dtype == "boolean", (name, field["name"])
            else:
                assert isinstance(dtype, pd.CategoricalDtype) or dtype == "string"


def test_label_columns_are_categories():
    survey = load("volgograd_survey")
    assert isinstance(survey.group.dtype, pd.CategoricalDtype)
    assert set(survey.group.cat.categories) == {"ngo", "lsg", "all"}
    assert survey.item_ru.dtype == "string"


def test_missing_values_stay_missing():
    support = load("social_support_2021")
    assert support.amount_thous_rub.isna().any()
    assert support.loc[support.category_id == "all_recipients", "parent_id"].isna().all()
    regions = load("regions")
    assert regions.set_index("region_code").okato["RU-KDA"] == "03000000000"  # leading zero


def test_unknown_name_lists_valid_names():
    with pytest.raises(UnknownDatasetError) as err:
        load("volgograd")
    message = str(err.value)
    assert "unknown dataset 'volgograd'" in message
    assert "volgograd_survey" in message and "sonko_regions" in message


def test_describe_and_csv_suffix():
    resource = describe("volgograd_survey.csv")
    assert resource["path"] == "volgograd_survey.csv"
    assert resource["licenses"]
    assert load("regions.csv").shape == load("regions").shape


def test_data_dir_is_package_relative():
    assert coursedata.DATA_DIR == REPO / "datasets"


def test_loads_from_another_working_directory(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("COURSEDATA_DIR", None)
    code = "from coursedata import load; print(len(load('volgograd_survey')))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == str(len(load("volgograd_survey")))
