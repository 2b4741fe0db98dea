"""Known totals and published values of the Rosstat-derived tables."""

from __future__ import annotations

import pandas as pd
import pytest

from coursedata import load


@pytest.fixture(scope="module")
def sonko():
    return load("sonko_regions")


def test_sonko_published_values(sonko):
    ngo = sonko.set_index(["region_code", "year"]).ngo_count
    assert ngo["RU", 2012] == 108084
    assert ngo["RU", 2024] == 133812
    assert ngo["RU-VGG", 2024] == 2428
    assert pd.isna(ngo["RU-CR", 2014]) and ngo["RU-CR", 2015] == 1521


def test_sonko_russia_equals_sum_of_districts(sonko):
    columns = ["ngo_count", "ngo_owning_premises", "receipts_thous_rub", "staff_avg", "volunteers"]
    country = sonko[sonko.level == "country"].set_index("year")[columns]
    districts = sonko[sonko.level == "district"].groupby("year")[columns].sum()
    # Rosstat rounds receipts per territory: allow 1 thousand roubles.
    assert ((country - districts).abs() <= 1).all().all()


def test_sonko_districts_equal_sum_of_additive_regions(sonko):
    key = load("regions")[["region_code", "federal_district", "is_additive"]]
    rows = sonko.merge(key, on="region_code")
    regions = rows[rows.is_additive].groupby(["federal_district", "year"], observed=True)
    summed = regions.ngo_count.sum()
    districts = rows[rows.level == "district"].set_index(["region_code", "year"]).ngo_count
    districts.index.names = ["federal_district", "year"]
    assert (summed.reindex(districts.index) == districts).all()


def test_sonko_national_tables():
    funding = load("sonko_funding_sources").set_index(["year", "source_id"]).amount_mln_rub
    assert funding[2012, "total"] == 446784
    assert funding[2024, "municipal_budgets"] == 16763
    activity = load("sonko_activity_types").set_index(["year", "activity_id"]).ngo_count
    assert activity[2024, "social_services"] == 31456
    assert pd.isna(activity[2015, "social_services"])
    assert activity[2024, "total"] == 133812


def test_social_support_structure_and_totals():
    support = load("social_support_2021")
    amount = support.set_index(["region_code", "form", "category_id"]).amount_thous_rub
    assert amount["RU", "total", "all_recipients"] == 1468709237
    assert amount["RU", "cash", "low_income_families_with_children"] == 110324055
    assert amount["RU-VGG", "total", "all_recipients"] == 12625283
    tested = set(support.loc[support.means_tested, "category_id"])
    assert tested == {"low_income_citizens", "low_income_families_with_children"}
    wide = support.pivot_table(
        index=["region_code", "category_id"],
        columns="form",
        values="amount_thous_rub",
        aggfunc="sum",
        observed=True,
    ).fillna(0)
    # Table 1 (cash + in kind) equals Table 2 + Table 3 in every row of every territory.
    assert ((wide.total - wide.cash - wide.in_kind).abs() <= 1).all()
    assert support.region_code.nunique() == 96


def test_poverty_values_and_placeholders():
    poverty = load("poverty_regions").set_index(["region_code", "year"])
    assert poverty.poverty_pct["RU", 1992] == 33.5
    assert poverty.poverty_pct["RU", 2020] == 12.1
    assert poverty.poverty_pct["RU-VGG", 2020] == 11.9
    assert pd.isna(poverty.poverty_pct["RU-CE", 2005]) and poverty.zero_in_source["RU-CE", 2005]
    assert poverty.poverty_pct.dropna().between(0.1, 100).all()


def test_compiled_cross_section_agrees_with_our_derivation():
    compiled = load("subsistence_minimum_2020")
    assert compiled.rub_per_month.gt(5000).all()
    poverty = load("poverty_regions")
    welfare = load("welfare_expense_share")
    assert set(compiled.region_code) <= set(poverty.region_code)
    assert (
        welfare[(welfare.region_code == "RU") & (welfare.year == 2020)].welfare_share_pct.item()
        == 21.3
    )


def test_poverty_composition_adds_to_100():
    comp = load("poverty_composition")
    sums = comp.groupby(["region_code", "year"]).share_pct.sum(min_count=3).dropna()
    assert ((sums - 100).abs() <= 0.3).all()
    ru2017 = comp[(comp.region_code == "RU") & (comp.year == 2017)].set_index("age_group")
    assert ru2017.share_pct["children_under_16"] == 39.3


def test_population_adds_up_and_panes():
    pop = load("population_regions")
    additive = set(load("regions").query("is_additive").region_code)
    summed = pop[pop.region_code.isin(additive)].groupby("year").population.sum()
    country = pop[pop.region_code == "RU"].set_index("year").population
    assert (summed == country).all()
    panes = load("panes_transfers")
    assert len(panes) == 1948
    assert (panes.eligible == (panes.income_centered < 0)).all()
