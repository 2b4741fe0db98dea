"""Regional budget spending on social support by recipient category, 2021 (socpod_2021.xlsx).

Each territory sheet holds three tables (1: cash + in kind, 2: in kind, 3: cash) with the same
rows. We keep the "Всего" column (all support types) of every row; the per-support-type columns
are left in the raw workbook.
"""

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
from coursedata.regions import clean_name

FILE = "socpod_2021.xlsx"
FORMS = {"Таблица 1": "total", "Таблица 2": "in_kind", "Таблица 3": "cash"}
FED, REG, OTH, FAM = (
    "federal_competence",
    "regional_competence",
    "other_categories",
    "families_with_children",
)

# fmt: off
# Row label (start) -> (category_id, category_en, parent_id, row_kind, targeting)
CATEGORIES = [
    ("Всего", "all_recipients", "All recipient categories", "", "total", "aggregate"),
    ("Категории населения, отнесенные к компетенции Российской Федерации", FED,
     "Categories under federal competence (delegated)", "all_recipients", "subtotal", "aggregate"),
    ("инвалиды войны", "war_invalids", "War invalids", FED, "category", "categorical"),
    ("ветераны Великой Отечественной Войны", "wwii_veterans",
     "Veterans of the Great Patriotic War (except home-front workers)", FED, "category",
     "categorical"),
    ("ветераны боевых действий", "combat_veterans", "Combat veterans", FED, "category",
     "categorical"),
    ("члены семей погибших (умерших) инвалидов", "families_of_fallen_veterans",
     "Families of deceased war invalids, WWII participants and combat veterans", FED, "category",
     "categorical"),
    ("инвалиды", "disabled", "Disabled people", FED, "category", "categorical"),
    ("дети-инвалиды", "disabled_children", "Disabled children", FED, "category", "categorical"),
    ("лица, подвергшиеся воздействию радиации", "radiation_victims",
     "People exposed to radiation", FED, "category", "categorical"),
    ("граждане, награжденные знаком", "honorary_donors", "Honorary Donors of Russia / USSR", FED,
     "category", "categorical"),
    ("герои Советского Союза", "heroes",
     "Heroes of the Soviet Union / Russia / Labour and full cavaliers of the Orders of Glory, "
     "and their families", FED, "category", "categorical"),
    ("Категории граждан, отнесенные к компетенции субъектов", REG,
     "Categories under regional competence", "all_recipients", "subtotal", "aggregate"),
    ("труженики тыла", "home_front_workers", "Home-front workers (WWII)", REG, "category",
     "categorical"),
    ("ветераны труда", "labour_veterans", "Labour veterans", REG, "category", "categorical"),
    ("реабилитированные лица", "repression_victims",
     "Rehabilitated victims of political repression", REG, "category", "categorical"),
    ("Другие категории граждан в соответствии", OTH,
     "Other categories under regional and municipal acts and programmes", "all_recipients",
     "subtotal", "aggregate"),
    ("пенсионеры, не относящиеся к льготным", "pensioners_non_privileged",
     "Pensioners outside the privileged categories", OTH, "category", "categorical"),
    ("пенсионеры, получающие региональную", "pensioners_regional_supplement",
     "Pensioners receiving the regional social pension supplement", OTH, "category",
     "categorical"),
    ("пенсионеры из числа бывших", "former_civil_servants", "Pensioners who were civil servants",
     OTH, "category", "categorical"),
    ("дети войны", "war_children", "'Children of the war'", OTH, "category", "categorical"),
    ("граждане предпенсионного возраста", "pre_retirement_age", "Citizens of pre-retirement age",
     OTH, "category", "categorical"),
    ("доноры", "donors", "Blood donors", OTH, "category", "categorical"),
    ("лица, страдающие социально-значимыми", "chronic_illness",
     "People with socially significant, chronic or severe illnesses", OTH, "category",
     "categorical"),
    ("граждане, удостоенные почетных званий", "honorary_titles",
     "Holders of honorary titles, people with special merits", OTH, "category", "categorical"),
    ("ветераны военной службы", "military_service_veterans", "Veterans of military service", OTH,
     "category", "categorical"),
    ("участники вооруженных конфликтов", "peacetime_conflict_participants",
     "Participants of armed conflicts in peacetime", OTH, "category", "categorical"),
    ("члены семей погибших", "families_of_fallen", "Families of the fallen", OTH, "category",
     "categorical"),
    ("граждане, попавшие в трудную", "difficult_life_situation",
     "Citizens in a difficult life situation", OTH, "category", "needs_based"),
    ("малоимущие граждане", "low_income_citizens", "Low-income citizens", OTH, "category",
     "means_tested"),
    ("отдельные категории специалистов", "specialists", "Certain categories of specialists", OTH,
     "category", "categorical"),
    ("молодые семьи", "young_families", "Young families", OTH, "category", "categorical"),
    ("семьи с детьми", FAM, "Families with children", OTH, "category", "categorical"),
    ("из них малоимущие", "low_income_families_with_children",
     "Low-income families with children (of families with children)", FAM, "sub_category",
     "means_tested"),
    ("лица, получающие региональный материнский", "regional_maternity_capital",
     "Recipients of regional maternity capital", FAM, "sub_category", "categorical"),
    ("получатели ежемесячной денежной выплаты", "third_child_monthly_payment",
     "Recipients of the monthly payment at the birth of a third or later child", FAM,
     "sub_category", "categorical"),
    ("лица, получающие компенсацию части", "preschool_fee_compensation",
     "Recipients of partial compensation of pre-school fees", FAM, "sub_category", "categorical"),
    ("дети из отдельных категорий семей", "children_of_certain_families",
     "Children from certain categories of families", OTH, "category", "categorical"),
    ("дети-сироты", "orphans", "Orphans and children without parental care", OTH, "category",
     "categorical"),
    ("студенты, учащиеся, школьники", "students", "Students and school pupils", OTH, "category",
     "categorical"),
    ("беременные женщины", "pregnant_nursing", "Pregnant women and nursing mothers", OTH,
     "category", "categorical"),
    ("другие категории", "other", "Other categories", OTH, "category", "categorical"),
]
# fmt: on
_BY_PREFIX = {clean_name(c[0]): c for c in CATEGORIES}
SKIP = re.compile(r"^(в том числе|из строки|\(январь|тысяча|расходы консолид|к содержанию)")


def _match(label: str) -> tuple:
    """Find the category of a row label; several prefixes could match, the longest wins."""
    key = clean_name(label)
    hits = [
        c
        for prefix, c in _BY_PREFIX.items()
        if key == prefix
        or key.startswith(prefix + " ")
        or (key.startswith(prefix) and len(prefix) > 20)
    ]
    if not hits:
        raise KeyError(f"{FILE}: row label without a category: {label!r}")
    return max(hits, key=lambda c: len(c[0]))


def _sheet_rows(sheet) -> list[dict]:
    """All category rows of the three tables of one territory sheet."""
    rows, form, footnote = [], None, {}
    for label, total in sheet.iter_rows(values_only=True, max_col=2):
        if not isinstance(label, str):
            continue
        text = label.strip()
        if text in FORMS:
            form = FORMS[text]
        elif text.startswith("*"):
            footnote[form] = True
        elif form and not SKIP.match(clean_name(text)) and total != "Всего":
            _, cat_id, *_ = _match(text)
            value = None if total in (None, "") else int(total)
            rows.append(
                {
                    "form": form,
                    "category_id": cat_id,
                    "category_ru": text,
                    "amount_thous_rub": value,
                }
            )
    for row in rows:
        row["total_not_itemised"] = footnote.get(row["form"], False)
    return rows


def _frame() -> pd.DataFrame:
    workbook = openpyxl.load_workbook(raw(FILE), read_only=True, data_only=True)
    records = []
    for sheet in workbook.worksheets[1:]:
        for row in _sheet_rows(sheet):
            records.append({"territory": sheet.title, **row})
    workbook.close()
    frame = pd.DataFrame(records)
    if frame.duplicated(["territory", "form", "category_id"]).any():
        raise RuntimeError(f"{FILE}: a category appears twice in one table")
    meta = pd.DataFrame(
        [c[1:] for c in CATEGORIES],
        columns=["category_id", "category_en", "parent_id", "row_kind", "targeting"],
    )
    frame = frame.merge(meta, on="category_id", how="left", validate="m:1")
    frame["means_tested"] = frame["targeting"] == "means_tested"
    frame["amount_thous_rub"] = frame["amount_thous_rub"].astype("Int64")
    keys = region_columns(frame["territory"], f"{FILE} sheet names")
    frame = pd.concat([keys, frame.drop(columns="territory")], axis=1)
    order = {c[1]: i for i, c in enumerate(CATEGORIES)}
    frame["_o"] = frame["category_id"].map(order)
    frame["_f"] = frame["form"].map({"total": 0, "in_kind": 1, "cash": 2})
    frame = frame.sort_values(["region_code", "_f", "_o"]).drop(columns=["_o", "_f"])
    return frame[[f.name for f in FIELDS]].reset_index(drop=True)


def _notes(frame: pd.DataFrame) -> list[str]:
    """Headline shares for Russia, computed from the table itself."""
    ru = frame[frame["region_code"] == "RU"]
    notes = []
    for form in ("total", "cash", "in_kind"):
        part = ru[ru["form"] == form]
        total = part.loc[part["category_id"] == "all_recipients", "amount_thous_rub"].sum()
        itemised = part.loc[part["row_kind"] == "category", "amount_thous_rub"].sum()
        tested = part.loc[part["means_tested"], "amount_thous_rub"].sum()
        notes.append(
            f"Russia, form {form}: means-tested categories {100 * tested / total:.1f} % of the "
            f"total, {100 * tested / itemised:.1f} % of the spending itemised by category; the "
            f"categories add to {100 * itemised / total:.1f} % of the total."
        )
    return notes


def build() -> list[Table]:
    """Return social_support_2021."""
    frame = _frame()
    return [
        Table(
            "social_support_2021",
            "Regional social-support spending by recipient category, 2021",
            "Spending of the consolidated budgets of Russian regions on social support measures in "
            "January-December 2021, by territory, recipient category and form of support (total = "
            "cash and in kind; in_kind; cash), thousand roubles. Categories are nested (see "
            "parent_id and row_kind): sum only row_kind == 'category' rows, or use the subtotals; "
            "sub_category rows are 'of which' parts of families_with_children. means_tested marks "
            "the income-tested categories (low-income citizens; low-income families with children); "
            "all other categories are categorical (by status) except 'difficult life situation' "
            "(needs-based, no income test). Where total_not_itemised is true, Rosstat's footnote "
            "says some regions reported totals without a category breakdown, so categories add to "
            "less than the total. Blank = no spending reported. The source footnote refers the "
            "three sub-rows to the 'families with children' row by its row number ('из строки 43/"
            "149').",
            [
                {
                    "title": f"Rosstat, {FILE} (updated 15.03.2022): one sheet per territory (96 sheets "
                    "after 'Содержание'), Tables 1-3, column 'Всего'",
                    "path": f"raw/{FILE}",
                }
            ],
            [ROSSTAT_LICENCE],
            FIELDS,
            frame,
            ["region_code", "form", "category_id"],
            _notes(frame),
        )
    ]


FIELDS = [
    *REGION_FIELDS,
    Field(
        "form",
        "string",
        "Form of support: total (cash and in kind, Table 1), in_kind (Table 2), cash (Table 3)",
        enum=("total", "in_kind", "cash"),
        label_ru="Форма",
    ),
    Field("category_id", "string", "Recipient category id (snake_case)"),
    Field(
        "category_ru", "string", "Recipient category as published", label_ru="Категория получателей"
    ),
    Field("category_en", "string", "Recipient category, our translation"),
    Field(
        "parent_id",
        "string",
        "category_id of the row this one is part of (empty for the grand total)",
    ),
    Field(
        "row_kind",
        "string",
        "total, subtotal, category, or sub_category ('of which')",
        enum=("total", "subtotal", "category", "sub_category"),
    ),
    Field(
        "targeting",
        "string",
        "means_tested (income test), needs_based, categorical (by status), aggregate (totals)",
        enum=("means_tested", "needs_based", "categorical", "aggregate"),
    ),
    Field(
        "means_tested",
        "boolean",
        "True for income-tested categories (low-income citizens, "
        "low-income families with children)",
        label_ru="Адресная (по нуждаемости)",
    ),
    Field(
        "amount_thous_rub",
        "integer",
        "Spending in 2021 on this category and form",
        unit="thousand roubles",
        label_ru="тысяча рублей",
    ),
    Field(
        "total_not_itemised",
        "boolean",
        "True if the table's footnote says the total includes "
        "spending reported without a category breakdown",
    ),
]
