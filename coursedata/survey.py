"""Views of the Volgograd survey that chapters and exercises use again and again."""

from __future__ import annotations

import pandas as pd

GROUP_LABELS = {"ngo": "NGOs · СО НКО", "lsg": "Local government · ОМСУ"}


def _question_rows(survey: pd.DataFrame, question_id: str) -> pd.DataFrame:
    rows = survey[(survey["question_id"] == question_id) & survey["group"].isin(["ngo", "lsg"])]
    if rows.empty:
        raise KeyError(f"no NGO or local-government figures for question {question_id!r}")
    return rows


def by_group(survey: pd.DataFrame, question_id: str) -> pd.DataFrame:
    """One row per answer option (index ``item_id``): ``item_en``, ``item_ru``, ``ngo``, ``lsg`` shares."""
    rows = _question_rows(survey, question_id)
    table = rows.pivot(index="item_id", columns="group", values="share_pct")
    table = table.reindex(columns=["ngo", "lsg"])  # a question may have figures for one group only
    table.columns.name = None
    # The Russian wording can differ between the groups' rows; keep the first one printed.
    labels = rows.drop_duplicates("item_id").set_index("item_id")[["item_en", "item_ru"]]
    return labels.join(table)


def for_chart(survey: pd.DataFrame, question_id: str) -> pd.DataFrame:
    """The rows of one question with a readable ``group_label``, ready for an Altair chart."""
    rows = _question_rows(survey, question_id)
    rows = rows[["item_id", "item_en", "item_ru", "group", "share_pct", "base_n"]].copy()
    rows["group_label"] = rows["group"].map(GROUP_LABELS)
    return rows
