"""The build reproduces the committed files byte for byte, and is deterministic."""

from __future__ import annotations

import importlib.util

import pytest

from coursedata.build import common, run
from tests.datasets.conftest import DATASETS, REPO

CODEBOOK = REPO / "book" / "reference" / "codebook.md"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("build")
    run(out, out / "codebook.md")
    return out


def test_build_matches_committed_files(built):
    names = sorted(p.name for p in built.glob("*.csv")) + ["datapackage.json"]
    assert names == sorted(p.name for p in DATASETS.glob("*.csv")) + ["datapackage.json"]
    changed = [n for n in names if (built / n).read_bytes() != (DATASETS / n).read_bytes()]
    assert not changed, f"rerun `python datasets/build.py`: {changed} differ"
    assert (built / "codebook.md").read_bytes() == CODEBOOK.read_bytes()


def test_build_is_deterministic(built, tmp_path):
    run(tmp_path, None)
    for path in tmp_path.iterdir():
        assert path.read_bytes() == (built / path.name).read_bytes(), path.name


def test_csv_format(built):
    for path in built.glob("*.csv"):
        data = path.read_bytes()
        assert b"\r" not in data and data.endswith(b"\n"), path.name
        data.decode("utf-8")


def _cli():
    spec = importlib.util.spec_from_file_location("build_cli", REPO / "datasets" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_reports_a_missing_raw_file_in_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(common, "RAW_DIR", tmp_path / "no-raw-here")
    code = _cli().main(["--out-dir", str(tmp_path / "out"), "--no-codebook"])
    err = capsys.readouterr().err.strip()
    assert code == 1
    assert err.startswith("error: raw source") and "\n" not in err
    assert not (tmp_path / "out").exists()
