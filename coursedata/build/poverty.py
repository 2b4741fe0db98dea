"""Regional poverty tables from the social-russia-data mirror (Rosstat / EMISS figures)."""

from __future__ import annotations

import warnings

import pandas as pd

from coursedata.build.common import (
    REGION_FIELDS,
    SRD_LICENCE,
    Field,
    Table,
    drop_historic,
    raw,
    region_columns,
)
from coursedata.build.notes import COMPOSITION, POVERTY, SUBSISTENCE

POVERTY_CSV = "poverty_percent_by_regions_1992_2020.csv"
WELFARE_XLSX = "welfare_expense_share_2015_2020.xlsx"
COMPILED_CSV = "regions_data_2020.csv"
AGE_GROUPS = {  # column of poverty_socdem_*.xls -> (age_group id, English label)
    "Дети в возрасте до 16 лет": "children_under_16",
    "Население трудоспособного возраста": "working_age",
    "Население старше трудоспособного возраста": "above_working_age",
}
COMPILED_PARTS = {
    "Архангельская область": "Архангельская область без автономного округа",
    "Тюменская область": "Тюменская область без автономных округов",
}
SUBSISTENCE_COLUMNS = {  # regions_data_2020.csv column -> population_group
    "cost_of_living_all": "all",
    "cost_of_living_work": "working_age",
    "cost_of_living_retired": "pensioners",
    "cost_of_living_child": "children",
}


def _with_keys(frame: pd.DataFrame, source: str) -> pd.DataFrame:
    """Replace the raw 'region' column by the region key columns."""
    frame = frame[drop_historic(frame["region"])]
    keys = region_columns(frame["region"], source)
    return pd.concat([keys, frame.drop(columns="region")], axis=1)


def poverty_regions() -> pd.DataFrame:
    """Poverty rate by region and year; the compiled CSV writes 0.0 for missing values."""
    frame = pd.read_csv(raw(POVERTY_CSV))
    frame["region"] = frame["region"].str.strip()
    # Every federal-district row is 0.0 in every year: placeholders, not data. Drop them.
    frame = frame[~frame["region"].str.contains("федеральный округ")]
    frame = _with_keys(frame, POVERTY_CSV)
    # No territory has 0 % poor; a 0.0 marks a year the source has no figure for.
    frame["zero_in_source"] = frame["poverty_percent"] == 0
    frame["poverty_pct"] = frame["poverty_percent"].mask(frame["zero_in_source"])
    frame = frame.drop(columns="poverty_percent")
    return frame.sort_values(["region_code", "year"]).reset_index(drop=True)[
        [f.name for f in POVERTY_FIELDS]
    ]


def poverty_composition() -> pd.DataFrame:
    """Age composition of the poor, 2017-2020, one row per region x year x age group."""
    parts = []
    for year in range(2017, 2021):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pandas' notice that xlrd is deprecated
            sheet = pd.read_excel(
                raw(f"poverty_socdem_{year}.xls"), sheet_name="Данные", header=2, engine="xlrd"
            )
        sheet = sheet.rename(columns={sheet.columns[0]: "region"}).dropna(subset=["region"])
        sheet["region"] = sheet["region"].astype(str).str.strip()
        long = sheet.melt(
            id_vars="region",
            value_vars=list(AGE_GROUPS),
            var_name="age_group_ru",
            value_name="share_pct",
        )
        long["age_group"] = long["age_group_ru"].map(AGE_GROUPS)
        long["year"] = year
        parts.append(long)
    frame = _with_keys(pd.concat(parts, ignore_index=True), "poverty_socdem_2017-2020.xls")
    frame["share_pct"] = pd.to_numeric(frame["share_pct"], errors="raise").astype(float)
    # A region-year where all three groups are 0 is a placeholder (the shares must add to 100).
    group_sum = frame.groupby(["region_code", "year"])["share_pct"].transform("sum")
    frame["zero_row_in_source"] = (group_sum == 0) & frame["share_pct"].eq(0)
    frame["share_pct"] = frame["share_pct"].mask(frame["zero_row_in_source"])
    frame = frame.sort_values(["region_code", "year", "age_group"]).reset_index(drop=True)
    return frame[[f.name for f in COMPOSITION_FIELDS]]


def welfare_share() -> pd.DataFrame:
    """Social-policy share of regional consolidated budget spending, 2015-2020."""
    sheet = pd.read_excel(raw(WELFARE_XLSX), sheet_name="data")
    sheet["region"] = sheet["region"].str.replace(r"\s+", " ", regex=True).str.strip()
    # District rows are empty in this table (the source publishes none); drop them.
    sheet = sheet[~sheet["region"].str.contains("федеральный округ")]
    long = sheet.melt(id_vars="region", var_name="year", value_name="welfare_share_pct")
    long["year"] = long["year"].astype(float).astype(int)
    frame = _with_keys(long, WELFARE_XLSX)
    return frame.sort_values(["region_code", "year"]).reset_index(drop=True)


def subsistence_minimum() -> pd.DataFrame:
    """Subsistence minimum by population group, 2020, from the project's compiled table."""
    sheet = pd.read_csv(raw(COMPILED_CSV))[["region", *SUBSISTENCE_COLUMNS]]
    # This file's "Архангельская/Тюменская область" rows hold the figures of the regions
    # WITHOUT their autonomous okrugs: its population and poverty columns equal Rosstat's
    # "без АО" rows, not the totals. Key them accordingly.
    sheet["region"] = sheet["region"].replace(COMPILED_PARTS)
    long = sheet.melt(id_vars="region", var_name="column", value_name="rub_per_month")
    long["population_group"] = long.pop("column").map(SUBSISTENCE_COLUMNS)
    long["year"] = 2020
    frame = _with_keys(long, COMPILED_CSV)
    frame["rub_per_month"] = frame["rub_per_month"].astype("Int64")
    frame = frame.sort_values(["region_code", "population_group"]).reset_index(drop=True)
    return frame[[f.name for f in SUBSISTENCE_FIELDS]]


def build() -> list[Table]:
    """Return the poverty, composition, welfare-share and subsistence-minimum tables."""
    lic = [SRD_LICENCE]
    composition = poverty_composition()
    zero = composition[composition["zero_row_in_source"]]
    zero_note = "Region-years with 0 in all three groups: " + "; ".join(
        f"{code} {year}" for code, year in zero[["region_code", "year"]].drop_duplicates().values
    )
    return [
        Table(
            "poverty_regions",
            "Poverty rate by region, 1992-2020",
            "Share of the population with money income below the regional subsistence "
            "minimum (Rosstat), by region and year: Russia from 1992, regions from 1995, "
            "Chechnya from 2003, Crimea and Sevastopol from 2015. The compiled source writes "
            "0.0 where it has no figure (every federal-district row and some early years of "
            "autonomous okrugs, Chechnya, Kamchatka); we drop the district rows and keep the "
            "other zeros as missing poverty_pct with zero_in_source = true.",
            [
                {
                    "title": f"{POVERTY_CSV} (all 2,339 rows; district rows dropped)",
                    "path": f"raw/{POVERTY_CSV}",
                }
            ],
            lic,
            POVERTY_FIELDS,
            poverty_regions(),
            ["region_code", "year"],
            POVERTY,
        ),
        Table(
            "poverty_composition",
            "Age composition of the poor by region, 2017-2020",
            "Distribution of the low-income population (income below the subsistence minimum) "
            "by age group: children under 16, working age, above working age; percent of all "
            "poor in the territory (the three groups add to about 100). From Rosstat's "
            "Sample Survey of Incomes and Participation in Social Programmes. Missing where "
            "the source has no figure (see notes).",
            [
                {
                    "title": "poverty_socdem_2017.xls ... poverty_socdem_2020.xls, sheet 'Данные', "
                    "rows 4-91",
                    "path": "raw/poverty_socdem_2017.xls",
                }
            ],
            lic,
            COMPOSITION_FIELDS,
            composition,
            ["region_code", "year", "age_group"],
            [*COMPOSITION, zero_note + "."],
        ),
        Table(
            "welfare_expense_share",
            "Social-policy share of regional budgets, 2015-2020",
            "Share of spending on social policy in total spending of the consolidated budget "
            "of each region (Rosstat 'Regions of Russia' annex, table 1.3). Federal-district "
            "rows are empty in the source and are dropped.",
            [{"title": f"{WELFARE_XLSX}, sheet 'data' (rows 2-95)", "path": f"raw/{WELFARE_XLSX}"}],
            lic,
            WELFARE_FIELDS,
            welfare_share(),
            ["region_code", "year"],
        ),
        Table(
            "subsistence_minimum_2020",
            "Subsistence minimum by population group, 2020",
            "Regional subsistence minimum (прожиточный минимум) per person per month for the "
            "whole population, working-age people, pensioners and children, 2020. Taken from "
            "the compiled cross-section regions_data_2020.csv of the mirrored project, the "
            "only copy in our sources; it does not say which period of 2020 (year or quarter) "
            "the figures refer to, so treat them as indicative.",
            [
                {
                    "title": f"{COMPILED_CSV}, columns cost_of_living_all/_work/_retired/_child",
                    "path": f"raw/{COMPILED_CSV}",
                }
            ],
            lic,
            SUBSISTENCE_FIELDS,
            subsistence_minimum(),
            ["region_code", "population_group"],
            SUBSISTENCE,
        ),
    ]


_YEAR = Field("year", "integer", "Calendar year", label_ru="Год")
POVERTY_FIELDS = [
    *REGION_FIELDS,
    _YEAR,
    Field(
        "poverty_pct",
        "number",
        "Share of population with income below the subsistence minimum",
        unit="percent",
        label_ru="Доля населения с доходами ниже прожиточного минимума, %",
    ),
    Field(
        "zero_in_source",
        "boolean",
        "True where the source has 0.0 (a placeholder for "
        "'no figure'); poverty_pct is then missing",
    ),
]
COMPOSITION_FIELDS = [
    *REGION_FIELDS,
    _YEAR,
    Field(
        "age_group",
        "string",
        "children_under_16, working_age, above_working_age",
        enum=tuple(AGE_GROUPS.values()),
    ),
    Field("age_group_ru", "string", "Age group as published", label_ru="Группа"),
    Field(
        "share_pct",
        "number",
        "Share of this group among the poor of the territory",
        unit="percent",
        label_ru="Распределение малоимущего населения, %",
    ),
    Field(
        "zero_row_in_source",
        "boolean",
        "True where the source has 0 for all three groups of the territory and year "
        "(a placeholder); share_pct is then missing",
    ),
]
WELFARE_FIELDS = [
    *REGION_FIELDS,
    _YEAR,
    Field(
        "welfare_share_pct",
        "number",
        "Social-policy spending as a share of all spending of the region's consolidated budget",
        unit="percent",
        label_ru="Удельный вес расходов на социальную политику, %",
    ),
]
SUBSISTENCE_FIELDS = [
    *REGION_FIELDS,
    Field(
        "population_group",
        "string",
        "all, working_age, pensioners, children",
        enum=tuple(SUBSISTENCE_COLUMNS.values()),
    ),
    Field("year", "integer", "Year (2020)"),
    Field(
        "rub_per_month",
        "integer",
        "Subsistence minimum per person per month",
        unit="roubles per month",
        label_ru="Величина прожиточного минимума, руб./мес.",
    ),
]
