"""Population by region (1 January, 1999-2022) and the region key table regions.csv."""

from __future__ import annotations

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
from coursedata.regions import normalise_many, region_table

POPULATION_XLSX = "population.xlsx"
GEO_CSV = "regions_geo.csv"
SECTION = "Раздел 1."


def population() -> pd.DataFrame:
    """Resident population on 1 January, by region.

    The EMISS export alternates a name row (name, OKATO code) and a 'Раздел 1.' row carrying
    the numbers; municipal rows inside Altai krai carry their numbers on the name row itself
    and are therefore skipped by taking only name rows followed by a 'Раздел 1.' row.
    """
    sheet = pd.read_excel(raw(POPULATION_XLSX), sheet_name="Отчет", header=None)
    years = [int(str(v).split()[1]) for v in sheet.iloc[1, 2:]]
    labels = sheet[0].astype(str).str.strip()
    records = []
    for i in range(3, len(sheet) - 1):
        if labels[i].startswith("Раздел") or not labels[i + 1].startswith(SECTION):
            continue
        okato = str(sheet.iat[i, 1])
        if len(okato) == 3 and okato != "643":  # district: boundaries change (see codebook)
            continue
        for year, value in zip(years, sheet.iloc[i + 1, 2:], strict=True):
            records.append({"region": labels[i], "okato": okato, "year": year, "population": value})
    frame = pd.DataFrame(records)
    frame = frame[drop_historic(frame["region"])].dropna(subset=["population"])
    keys = region_columns(frame["region"], POPULATION_XLSX)
    frame = pd.concat([keys, frame[["year", "population"]]], axis=1)
    frame["population"] = frame["population"].astype("int64")
    return frame.sort_values(["region_code", "year"]).reset_index(drop=True)


def regions() -> pd.DataFrame:
    """The key table with centroid coordinates of each region where the source has them."""
    key = region_table()
    geo = pd.read_csv(raw(GEO_CSV))
    geo["region_code"] = normalise_many(geo["region"], GEO_CSV)
    key = key.merge(
        geo[["region_code", "lat", "lon"]], on="region_code", how="left", validate="1:1"
    )
    return key[[f.name for f in REGION_KEY_FIELDS]]


def build() -> list[Table]:
    """Return regions and population_regions."""
    return [
        Table(
            "regions",
            "Region key (ISO 3166-2:RU) with federal district and coordinates",
            "The key every regional table joins on: one row per territory that appears in the "
            "sources. Region codes are ISO 3166-2:RU where one exists. Crimea (RU-CR) and "
            "Sevastopol (RU-SEV) carry non-ISO codes: ISO 3166-2 lists them under Ukraine "
            "(UA-43, UA-40), while Rosstat publishes them among Russian regions from 2014/2015; "
            "rows are kept as published and flagged is_iso = false so analyses can include or "
            "exclude them explicitly. Rosstat's figures from 2022 exclude the DNR, LNR, "
            "Zaporozhye and Kherson oblasts; none of our sources has rows for them, and the "
            "normaliser rejects such names rather than guessing. Nenets AO is part of "
            "Arkhangelsk oblast and Khanty-Mansi and Yamalo-Nenets AOs of Tyumen oblast in "
            "Rosstat totals (nested_in); the '... without autonomous okrugs' rows have level "
            "region_part and codes RU-ARK-XAO / RU-TYU-XAO (ours). federal_district is the "
            "current (post-2018) assignment: Buryatia and Zabaykalsky krai moved from the "
            "Siberian to the Far Eastern district in November 2018, Crimea and Sevastopol "
            "formed the Crimean district in 2014-2016.",
            [
                {
                    "title": "coursedata/regions.py (key typed from ISO 3166-2:RU and OKATO codes "
                    "in population.xlsx); lat/lon from regions_geo.csv",
                    "path": f"raw/{GEO_CSV}",
                }
            ],
            [SRD_LICENCE],
            REGION_KEY_FIELDS,
            regions(),
            ["region_code"],
        ),
        Table(
            "population_regions",
            "Resident population by region, 1999-2022",
            "Resident population on 1 January of each year (EMISS indicator "
            "23110000100030200002), Russia and regions. Federal-district rows are dropped "
            "because the export mixes several boundary versions (codes 032/037/040, 035/041, "
            "036/042); sum regions with regions.is_additive instead. Units dissolved in "
            "2005-2008 (Komi-Permyak, Agin-Buryat, Taymyr, Evenk, Ust-Orda, Koryak okrugs) are "
            "dropped; their population is inside the merged region's figures from the merger "
            "on. Crimea and Sevastopol from 2015.",
            [
                {
                    "title": f"{POPULATION_XLSX}, sheet 'Отчет', rows 4-370 (municipal rows of Altai "
                    "krai skipped)",
                    "path": f"raw/{POPULATION_XLSX}",
                }
            ],
            [SRD_LICENCE],
            POPULATION_FIELDS,
            population(),
            ["region_code", "year"],
        ),
    ]


REGION_KEY_FIELDS = [
    Field(
        "region_code",
        "string",
        "Region key: ISO 3166-2:RU code; RU = country; FD-... = "
        "federal district; RU-CR, RU-SEV, RU-ARK-XAO, RU-TYU-XAO are not ISO codes",
        label_ru="Код региона",
    ),
    Field(
        "okato", "string", "OKATO code of the territory (Rosstat classifier)", label_ru="Код ОКАТО"
    ),
    Field(
        "federal_district",
        "string",
        "region_code of the federal district (current boundaries); empty for the country",
        label_ru="Федеральный округ",
    ),
    Field(
        "level",
        "string",
        "country, district, region, or region_part",
        enum=("country", "district", "region", "region_part"),
    ),
    Field(
        "nested_in",
        "string",
        "For autonomous okrugs and region_part rows: the region whose "
        "published total already includes this territory",
    ),
    Field("name_ru", "string", "Canonical Russian name", label_ru="Название"),
    Field("name_en", "string", "English name"),
    Field("is_iso", "boolean", "True if region_code is an ISO 3166 code"),
    Field(
        "is_additive",
        "boolean",
        "True for rows that can be summed to district or country "
        "totals without double counting (regions not nested in another region)",
    ),
    Field("lat", "number", "Latitude of the region's centre", unit="degrees"),
    Field("lon", "number", "Longitude of the region's centre", unit="degrees"),
]
POPULATION_FIELDS = [
    *REGION_FIELDS,
    Field("year", "integer", "Year; the count is on 1 January of this year", label_ru="Год"),
    Field(
        "population",
        "integer",
        "Resident population on 1 January",
        unit="persons",
        label_ru="Численность постоянного населения",
    ),
]
