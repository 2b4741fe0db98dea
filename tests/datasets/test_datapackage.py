"""datapackage.json validates and describes every CSV and every column."""

from __future__ import annotations

import csv

from frictionless import validate

from tests.datasets.conftest import DATASETS


def test_package_validates_with_frictionless():
    report = validate(str(DATASETS / "datapackage.json"))
    errors = [] if report.valid else report.flatten(["title", "message"])[:10]
    assert report.valid, errors


def test_every_csv_is_described(package):
    described = {res["path"] for res in package["resources"]}
    on_disk = {p.name for p in DATASETS.glob("*.csv")}
    assert on_disk == described


def test_every_field_is_described_and_present(package):
    for res in package["resources"]:
        with open(DATASETS / res["path"], encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        fields = res["schema"]["fields"]
        assert header == [f["name"] for f in fields], res["name"]
        for field in fields:
            assert field["type"] in {"string", "integer", "number", "boolean"}
            assert len(field["description"]) > 10, (res["name"], field["name"])


def test_resources_carry_provenance(package):
    for res in package["resources"]:
        assert res["title"] and len(res["description"]) > 80, res["name"]
        assert res["sources"] and all(s["title"] for s in res["sources"]), res["name"]
        assert res["licenses"] and all(lic["title"] for lic in res["licenses"]), res["name"]
        for source in res["sources"]:
            path = source.get("path", "")
            if path.startswith("raw/"):
                assert (DATASETS / path).exists(), path


def test_numeric_measures_have_units(package):
    exempt = {"year", "household_id", "lat", "lon"}
    for res in package["resources"]:
        for field in res["schema"]["fields"]:
            if field["type"] in {"integer", "number"} and field["name"] not in exempt:
                assert field.get("unit"), (res["name"], field["name"])


def test_raw_folder_is_small():
    total = sum(p.stat().st_size for p in (DATASETS / "raw").iterdir())
    assert total < 20 * 1024 * 1024
