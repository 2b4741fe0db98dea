"""Rosstat form 1-СОНКО (socially oriented NGOs), 2012-2024: regional and national tables."""

from __future__ import annotations

import re

import openpyxl
import pandas as pd

from coursedata.build.common import (
    REGION_FIELDS,
    ROSSTAT_LICENCE,
    Field,
    Table,
    raw,
    region_columns,
)
from coursedata.build.notes import SONKO, SONKO_TRENDS
from coursedata.build.sonko_labels import ACTIVITIES, FUNDING_SOURCES

FILE = "SONKO_2012-2024.xlsx"
REGION_SHEETS = {  # sheet -> (column, unit)
    "1.1.": ("ngo_count", "organisations"),
    "1.1.1.": ("ngo_owning_premises", "organisations"),
    "1.2.": ("receipts_thous_rub", "thousand roubles"),
    "1.3.": ("staff_avg", "persons"),
    "1.4": ("volunteers", "persons"),
}
NEW_REGIONS_NOTE = (
    "From 2022 Rosstat's figures exclude the Donetsk and Luhansk People's Republics and the "
    "Zaporozhye and Kherson oblasts (footnote of every sheet); no row for them exists."
)


def _value(cell: object) -> float | None:
    """Rosstat prints ' - ' for 'no data'; keep it missing, never zero."""
    if cell is None or (isinstance(cell, str) and cell.strip() in {"-", "", "…", "..."}):
        return None
    return float(cell)


def _sheet(name: str) -> tuple[list[int], list[tuple]]:
    """Years of the header row and the data rows (label first) of one sheet."""
    workbook = openpyxl.load_workbook(raw(FILE), read_only=True, data_only=True)
    rows = list(workbook[name].iter_rows(values_only=True))
    workbook.close()
    header = rows[3]
    years = [int(str(v)[:4]) for v in header[1:] if v is not None]
    data = [r[: len(years) + 1] for r in rows[4:] if isinstance(r[0], str)]
    return years, data


def _long(name: str, column: str) -> pd.DataFrame:
    """One sheet in long form: label, year, value; footnotes and 'в том числе' rows dropped."""
    years, data = _sheet(name)
    records = [
        {"label": label.strip(), "year": year, column: _value(v)}
        for label, *values in data
        if not re.match(r"^(в том числе|из них|\d\))", label.strip())
        for year, v in zip(years, values, strict=True)
    ]
    return pd.DataFrame(records)


def _regions() -> pd.DataFrame:
    """Sheets 1.1-1.4 merged: one row per territory x year."""
    frame = None
    for sheet, (column, _unit) in REGION_SHEETS.items():
        part = _long(sheet, column)
        frame = (
            part
            if frame is None
            else frame.merge(part, on=["label", "year"], how="outer", validate="1:1")
        )
    keys = region_columns(frame["label"], f"{FILE} sheets 1.1-1.4")
    frame = pd.concat([keys, frame.drop(columns="label")], axis=1)
    for column, _unit in REGION_SHEETS.values():
        frame[column] = frame[column].round().astype("Int64")
    return frame.sort_values(["region_code", "year"]).reset_index(drop=True)


def _national(sheet: str, labels: dict[str, tuple[str, str, str]], value: str) -> pd.DataFrame:
    """A national sheet (rows = categories) with our ids, English labels and groups."""
    frame = _long(sheet, value)
    frame["label"] = frame["label"].str.replace(r"\s+", " ", regex=True)
    unknown = sorted(set(frame["label"]) - set(labels))
    if unknown:
        raise KeyError(f"{FILE} sheet {sheet}: labels without an English id: {unknown}")
    ids = frame["label"].map(lambda s: labels[s][0])
    frame.insert(1, "label_en", frame["label"].map(lambda s: labels[s][1]))
    frame.insert(2, "group", frame["label"].map(lambda s: labels[s][2]))
    frame.insert(0, "id", ids)
    order = {key: i for i, key in enumerate(v[0] for v in labels.values())}
    frame = frame.sort_values(["year", "id"], key=lambda s: s.map(order) if s.name == "id" else s)
    return frame.reset_index(drop=True)


def _district_check(regions: pd.DataFrame) -> str:
    """Say where Rosstat's Russia row differs from the sum of its federal-district rows."""
    columns = [c for c, _ in REGION_SHEETS.values()]
    country = regions[regions["level"] == "country"].set_index("year")[columns]
    districts = regions[regions["level"] == "district"].groupby("year")[columns].sum()
    diff = (country - districts).stack()
    diff = diff[diff != 0]
    where = "; ".join(f"{col} {year}: {int(v):+d}" for (year, col), v in diff.items())
    return "Russia equals the sum of the eight federal districts in every year and column" + (
        f" except (Russia minus districts) {where}." if where else "."
    )


def build() -> list[Table]:
    """Return sonko_regions, sonko_funding_sources and sonko_activity_types."""
    regions = _regions()
    notes = [*SONKO, _district_check(regions)]
    funding = _national("3.", FUNDING_SOURCES, "amount_mln_rub").rename(
        columns={
            "id": "source_id",
            "label": "source_ru",
            "label_en": "source_en",
            "group": "source_group",
        }
    )
    funding["amount_mln_rub"] = funding["amount_mln_rub"].round().astype("Int64")
    activity = _national("2.", ACTIVITIES, "ngo_count").rename(
        columns={
            "id": "activity_id",
            "label": "activity_ru",
            "label_en": "activity_en",
            "group": "activity_group",
        }
    )
    activity["ngo_count"] = activity["ngo_count"].round().astype("Int64")
    funding = funding[
        ["year", "source_id", "source_ru", "source_en", "source_group", "amount_mln_rub"]
    ]
    activity = activity[
        ["year", "activity_id", "activity_ru", "activity_en", "activity_group", "ngo_count"]
    ]
    src = [
        {
            "title": f"Rosstat form 1-СОНКО, update of 06.08.2025, {FILE}, sheets 1.1, 1.1.1, "
            "1.2, 1.3, 1.4 (rows 5-102: Russia, federal districts, regions)",
            "path": f"raw/{FILE}",
        }
    ]
    return [
        Table(
            "sonko_regions",
            "Socially oriented NGOs by region, 2012-2024",
            "Rosstat form 1-СОНКО by territory and year: number of socially oriented NGOs "
            "(SO NGOs), of which owning non-residential premises, total receipts of money and "
            "other property, average staff and average number of volunteers. Wide form: one "
            "row per territory x year. Rows for Russia (level country) and federal districts "
            "(level district) are Rosstat's own totals. Arkhangelsk and Tyumen oblasts are "
            "published including their autonomous okrugs, which are also listed separately "
            "(regions.csv: nested_in), plus rows without the okrugs (level region_part); sum "
            "rows with regions.is_additive to avoid double counting. Crimea and Sevastopol "
            "have no data before 2015. " + NEW_REGIONS_NOTE,
            src,
            [ROSSTAT_LICENCE],
            SONKO_REGION_FIELDS,
            regions,
            ["region_code", "year"],
            notes,
        ),
        Table(
            "sonko_funding_sources",
            "Sources of funds of SO NGOs, Russia, 2012-2024",
            "National receipts of socially oriented NGOs by source (federal, regional, "
            "municipal budgets, presidential-grant operator grants, donations, sales ...), "
            "million roubles. The row source_id = total is Rosstat's total; the sources are "
            "'из них' (of which) items and need not add to it. " + NEW_REGIONS_NOTE,
            [{"title": f"{FILE}, sheet 3 (rows 5-22)", "path": f"raw/{FILE}"}],
            [ROSSTAT_LICENCE],
            FUNDING_FIELDS,
            funding,
            ["year", "source_id"],
        ),
        Table(
            "sonko_activity_types",
            "SO NGOs by type of activity, Russia, 2012-2024",
            "Number of socially oriented NGOs carrying out each type of activity defined by "
            "Federal Law 7-FZ 'On non-commercial organisations' (one organisation may carry out "
            "several, so the types add to more than the total). Includes 'provision of social "
            "services to the population' (from 2016). Missing = not observed that year. "
            + NEW_REGIONS_NOTE,
            [{"title": f"{FILE}, sheet 2 (rows 5-38)", "path": f"raw/{FILE}"}],
            [ROSSTAT_LICENCE],
            ACTIVITY_FIELDS,
            activity,
            ["year", "activity_id"],
            [SONKO_TRENDS],
        ),
    ]


SONKO_REGION_FIELDS = [
    *REGION_FIELDS,
    Field("year", "integer", "Reporting year (1-СОНКО annual form)", label_ru="Год"),
    Field(
        "ngo_count",
        "integer",
        "Number of socially oriented NGOs (sheet 1.1)",
        unit="organisations",
        label_ru="Общее количество организаций",
    ),
    Field(
        "ngo_owning_premises",
        "integer",
        "SO NGOs owning non-residential premises (sheet 1.1.1)",
        unit="organisations",
        label_ru="Количество организаций, имеющих нежилое помещение в собственности",
    ),
    Field(
        "receipts_thous_rub",
        "integer",
        "Total receipts of money and other property (sheet 1.2)",
        unit="thousand roubles",
        label_ru="Всего поступлений денежных средств и иного имущества, тыс. руб.",
    ),
    Field(
        "staff_avg",
        "integer",
        "Average number of employees of all SO NGOs (sheet 1.3)",
        unit="persons",
        label_ru="Средняя численность работников",
    ),
    Field(
        "volunteers",
        "integer",
        "Average number of volunteers of all SO NGOs (sheet 1.4)",
        unit="persons",
        label_ru="Средняя численность добровольцев",
    ),
]
FUNDING_FIELDS = [
    Field("year", "integer", "Reporting year"),
    Field("source_id", "string", "Funding source id (snake_case); total = all receipts"),
    Field("source_ru", "string", "Funding source as published", label_ru="Источник поступлений"),
    Field("source_en", "string", "Funding source, our translation"),
    Field(
        "source_group",
        "string",
        "Our grouping: total, budget (federal/regional/municipal/"
        "extra-budgetary funds), state_grants (grants of NGO operators funded by federal "
        "subsidies), private, foreign, own_income, other",
        enum=("total", "budget", "state_grants", "private", "foreign", "own_income", "other"),
    ),
    Field(
        "amount_mln_rub",
        "integer",
        "Receipts from this source",
        unit="million roubles",
        label_ru="млн рублей",
    ),
]
ACTIVITY_FIELDS = [
    Field("year", "integer", "Reporting year"),
    Field("activity_id", "string", "Activity type id (snake_case); total = all SO NGOs"),
    Field("activity_ru", "string", "Activity type as published", label_ru="Вид деятельности"),
    Field("activity_en", "string", "Activity type, our translation"),
    Field(
        "activity_group",
        "string",
        "Our grouping: total, social (social support and services), other",
        enum=("total", "social", "other"),
    ),
    Field(
        "ngo_count",
        "integer",
        "Number of SO NGOs carrying out this activity",
        unit="organisations",
        label_ru="единиц",
    ),
]
