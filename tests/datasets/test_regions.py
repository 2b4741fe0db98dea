"""Region normalisation: every region row of every table maps to the key, none is lost."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from coursedata import describe, list_datasets, load
from coursedata.regions import UnmappedRegionError, is_historic, normalise, normalise_many
from tests.datasets.conftest import RAW


@pytest.fixture(scope="module")
def key():
    return load("regions")


def test_key_table(key):
    assert key.region_code.is_unique
    assert (key.level == "region").sum() == 85
    assert (key.level == "district").sum() == 8
    regions = key[key.level == "region"]
    assert regions.lat.notna().all() and regions.lon.notna().all()
    assert set(key.loc[~key.is_iso, "region_code"]) >= {"RU-CR", "RU-SEV"}
    # Nenets AO sits in Arkhangelsk oblast, the Yugra and Yamal okrugs in Tyumen oblast.
    nested = key.dropna(subset=["nested_in"]).set_index("region_code").nested_in
    assert nested["RU-NEN"] == "RU-ARK" and nested["RU-KHM"] == nested["RU-YAN"] == "RU-TYU"
    assert key.is_additive.sum() == 82


def test_regional_tables_only_use_key_codes(key):
    for name in list_datasets():
        fields = [f["name"] for f in describe(name)["schema"]["fields"]]
        if "region_code" in fields and name != "regions":
            codes = set(load(name).region_code)
            assert codes <= set(key.region_code), (name, codes - set(key.region_code))


@pytest.mark.parametrize(
    ("raw_name", "code"),
    [
        ("Hижегородская область", "RU-NIZ"),  # Latin H in the SONKO workbook
        ("Город Москва столица Российской Федерации город федерального значения", "RU-MOW"),
        ("  Ханты-Мансийский автономный округ – Югра", "RU-KHM"),
        ("Респ. Северная Осетия-Алания", "RU-SE"),
        ("Тюменская обл.(без авт.округов)", "RU-TYU-XAO"),
        ("Волгоградская область", "RU-VGG"),
    ],
)
def test_known_spellings(raw_name, code):
    assert normalise(raw_name) == code


def test_unmapped_names_are_all_listed():
    with pytest.raises(UnmappedRegionError) as err:
        normalise_many(["Волгоградская область", "Донецкая Народная Республика", "Атлантида"])
    assert err.value.names == ["Атлантида", "Донецкая Народная Республика"]
    assert "2 region name(s)" in str(err.value)


def _no_rows_lost(raw_names: list[str], table: str) -> None:
    names = {n.strip() for n in raw_names if not is_historic(n)}
    codes = set(normalise_many(sorted(names)))
    assert len(codes) == len(names), "two raw names collapsed onto one code"
    assert codes == set(load(table).region_code), table


def test_no_region_lost_sonko():
    book = openpyxl.load_workbook(RAW / "SONKO_2012-2024.xlsx", read_only=True)
    labels = [r[0] for r in book["1.1."].iter_rows(min_row=5, max_row=102, values_only=True)]
    _no_rows_lost([x for x in labels if x and not x.startswith("в том числе")], "sonko_regions")


def test_no_region_lost_social_support():
    book = openpyxl.load_workbook(RAW / "socpod_2021.xlsx", read_only=True)
    _no_rows_lost(book.sheetnames[1:], "social_support_2021")


def test_no_region_lost_poverty():
    names = pd.read_csv(RAW / "poverty_percent_by_regions_1992_2020.csv").region.str.strip()
    regions = [n for n in set(names) if "федеральный округ" not in n]  # all-zero placeholders
    _no_rows_lost(regions, "poverty_regions")


def test_no_region_lost_welfare_and_population():
    welfare = pd.read_excel(RAW / "welfare_expense_share_2015_2020.xlsx", sheet_name="data")
    names = welfare.region.str.replace(r"\s+", " ", regex=True).str.strip()
    _no_rows_lost([n for n in names if "федеральный округ" not in n], "welfare_expense_share")
    population = load("population_regions")
    assert population.region_code.nunique() == 88  # Russia, 85 regions, 2 regions without AOs
