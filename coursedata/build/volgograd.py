"""Build volgograd_survey.csv and volgograd_questions.csv from the transcription modules."""

from __future__ import annotations

import pandas as pd

from coursedata.build.common import Field, Table
from coursedata.build.notes import VOLGOGRAD
from coursedata.build.volgograd_bases import (
    BASE_FIELDS,
    BASE_NOTES,
    FLAG_FIELDS,
    add_row_flags,
    base_summary,
    bases_for_reading,
    bases_table,
)
from coursedata.build.volgograd_tables import TABLES
from coursedata.build.volgograd_text import QUESTIONS, REMARKS, UNGROUPED

BASES = {"ngo": 242, "lsg": 106, "all": 348}
SEED = "seed 003 (datasets/raw/volgograd_2021_report.txt)"
LICENCE = [
    {
        "name": "cited-report",
        "title": "Published analytical note of the Volgograd Institute of Civil Society "
        "(Волгоградский институт гражданского общества), 20.02.2021: figures transcribed and cited "
        "with attribution",
    }
]
CITATION = (
    "Социологическая группа Волгоградского института гражданского общества (2021). "
    "Межсекторное взаимодействие на муниципальном уровне в Волгоградской области: механизмы "
    "результативного социального диалога. Аналитическая справка, 20.02.2021. Survey of "
    "15.12.2020-15.02.2021 in 31 rural districts: 242 NGO and 106 local-government respondents."
)


def _questions() -> list[dict]:
    """Question-level records from both transcription modules, in report order."""
    out = []
    for qid, section, anchor, q_en, q_ru, atype, basis, items in QUESTIONS:
        out.append(
            dict(
                question_id=qid,
                source_ref=f"{section}: {anchor}",
                question_en=q_en,
                question_ru=q_ru,
                answer_type=atype,
                answer_type_basis=basis,
                items=items,
            )
        )
    for qid, table, q_en, q_ru, items in TABLES:
        out.append(
            dict(
                question_id=qid,
                source_ref=f"{table} (section 3)",
                question_en=q_en,
                question_ru=q_ru,
                answer_type="multiple",
                answer_type_basis="stated in the report",
                items=items,
            )
        )
    return out


def _rows(questions: list[dict]) -> pd.DataFrame:
    """One row per (question, item, group) with a published figure."""
    rows = []
    for q in questions:
        for item_id, item_en, item_ru, ngo, lsg in q["items"]:
            ru = (item_ru, item_ru) if isinstance(item_ru, str) else item_ru
            for group, share, label in (("ngo", ngo, ru[0]), ("lsg", lsg, ru[1])):
                if share is None:
                    continue
                qualifier, note = REMARKS.get((q["question_id"], item_id, group), ("exact", ""))
                rows.append(
                    dict(
                        question_id=q["question_id"],
                        item_id=item_id,
                        group=group,
                        item_ru=label,
                        item_en=item_en,
                        share_pct=float(share),
                        value_qualifier=qualifier,
                        note=note,
                    )
                )
    for qid, item_id, item_en, item_ru, share, note in UNGROUPED:
        rows.append(
            dict(
                question_id=qid,
                item_id=item_id,
                group="all",
                item_ru=item_ru,
                item_en=item_en,
                share_pct=share,
                value_qualifier="exact",
                note=note,
            )
        )
    return pd.DataFrame(rows)


def build() -> list[Table]:
    """Return the three Volgograd tables (survey, questions, bases)."""
    questions = _questions()
    rows = _rows(questions)
    meta = pd.DataFrame(questions).drop(columns="items")
    sums = rows[rows["group"] != "all"].pivot_table(
        index="question_id", columns="group", values="share_pct", aggfunc="sum"
    )
    meta["sum_ngo_pct"] = meta["question_id"].map(sums["ngo"]).round(1)
    meta["sum_lsg_pct"] = meta["question_id"].map(sums["lsg"]).round(1)
    single = meta["answer_type"] == "single"
    meta["sums_over_100"] = single & ((meta["sum_ngo_pct"] > 100) | (meta["sum_lsg_pct"] > 100))

    survey = rows.merge(
        meta[["question_id", "question_en", "question_ru", "answer_type", "source_ref"]],
        on="question_id",
        how="left",
        validate="m:1",
    )
    survey["base_n"] = survey["group"].map(BASES)
    group_sum = survey.groupby(["question_id", "group"])["share_pct"].transform("sum").round(1)
    survey["sums_over_100"] = (survey["answer_type"] == "single") & (group_sum > 100)
    survey = add_row_flags(survey, BASES)
    bases = bases_table(survey, BASES)
    survey = survey[[c.name for c in SURVEY_FIELDS]]
    meta = meta[[c.name for c in QUESTION_FIELDS]]
    flagged = meta[meta["sums_over_100"]]
    notes = [
        *VOLGOGRAD,
        "Single-choice questions whose published shares add past 100 % "
        "(kept as published, sums_over_100 = true): "
        + "; ".join(
            f"{r.question_id} (NGO {r.sum_ngo_pct:g} %, LSG {r.sum_lsg_pct:g} %)"
            for r in flagged.itertuples()
        )
        + ".",
    ]
    source = [
        {
            "title": f"{SEED}: sections 1-2 (running text) and Tables 1-3",
            "path": "raw/volgograd_2021_report.txt",
        }
    ]
    return [
        Table(
            "volgograd_survey",
            "Volgograd survey of NGOs and local government, 2020-21",
            "Every share published in the report on intersectoral interaction at municipal "
            "level in Volgograd oblast, one row per question x answer option x respondent group "
            "(ngo = socially oriented NGOs incl. TOS, n = 242; lsg = local self-government, "
            "n = 106). Shares are as published (never corrected). " + CITATION,
            source,
            LICENCE,
            SURVEY_FIELDS,
            survey,
            ["question_id", "item_id", "group"],
            notes,
        ),
        Table(
            "volgograd_questions",
            "Volgograd survey: questions",
            "One row per question of the Volgograd survey: wording, where it is in the report, "
            "answer type (and whether the report states it), the sum of published shares per "
            "group, and the sums_over_100 flag for single-choice questions. " + CITATION,
            source,
            LICENCE,
            QUESTION_FIELDS,
            meta,
            ["question_id"],
            notes,
        ),
        Table(
            "volgograd_bases",
            "Volgograd survey: which numbers of respondents fit the published shares",
            "One row per question x respondent group: the smallest number of respondents (up to "
            "the group size) for which every published share of the block is a whole count "
            "divided by that number, at the precision printed. The report never publishes the "
            "number who answered a question; this table shows that for most blocks no single "
            "number does. Computed by datasets/build.py from volgograd_survey. " + CITATION,
            source,
            LICENCE,
            BASE_FIELDS,
            bases[[c.name for c in BASE_FIELDS]],
            ["question_id", "group"],
            [*BASE_NOTES, base_summary(bases)],
            codebook_rows=bases_for_reading(bases),
        ),
    ]


_Q = Field(
    "question_id",
    "string",
    "Stable question id: s1_/s2_ = running text of sections 1-2, t1_/t2_/t3_ = Tables 1-3",
    label_ru="Вопрос (код)",
)
SURVEY_FIELDS = [
    _Q,
    Field(
        "item_id",
        "string",
        "Answer option id (snake_case English), stable across groups",
        label_ru="Вариант ответа (код)",
    ),
    Field(
        "group",
        "string",
        "Respondent group: ngo = socially oriented NGOs (СО НКО, incl. TOS), "
        "lsg = local self-government (ОМСУ); all = figure published without a group",
        enum=("ngo", "lsg", "all"),
        label_ru="Группа респондентов",
    ),
    Field("item_ru", "string", "Answer option in Russian, as published", label_ru="Вариант ответа"),
    Field("item_en", "string", "Answer option, our English translation"),
    Field(
        "share_pct",
        "number",
        "Share of the group's respondents choosing the option, as published",
        unit="percent",
        label_ru="Доля, %",
    ),
    Field(
        "value_qualifier",
        "string",
        "exact = figure as printed; approx = 'около'; "
        "less_than = 'менее' (share_pct is then the bound)",
        enum=("exact", "approx", "less_than"),
    ),
    Field("note", "string", "Remark on this figure (ambiguity in the report), empty if none"),
    Field("question_en", "string", "Question, our English wording"),
    Field(
        "question_ru",
        "string",
        "Short Russian name of the question (our wording)",
        label_ru="Вопрос",
    ),
    Field(
        "answer_type",
        "string",
        "single or multiple choice (see answer_type_basis in volgograd_questions)",
        enum=("single", "multiple"),
    ),
    Field(
        "source_ref",
        "string",
        "Where the figure is in the report: section and the opening "
        "words of the paragraph, or the table number",
    ),
    Field(
        "base_n",
        "integer",
        "Number of respondents in the group (242 NGO, 106 LSG, 348 all): an upper bound, since "
        "the report does not say how many answered each question (see volgograd_bases); empty "
        "where the share is not of all the group's respondents (see share_of)",
        unit="persons",
    ),
    Field(
        "sums_over_100",
        "boolean",
        "True if the question is single-choice and the group's "
        "published shares add to more than 100 % (kept as published)",
    ),
    *FLAG_FIELDS,
]
QUESTION_FIELDS = [
    _Q,
    Field("source_ref", "string", "Section and opening words of the paragraph, or table number"),
    Field("question_en", "string", "Question, our English wording"),
    Field("question_ru", "string", "Short Russian name of the question (our wording)"),
    Field("answer_type", "string", "single or multiple choice", enum=("single", "multiple")),
    Field(
        "answer_type_basis",
        "string",
        "Whether the report states the answer type, or how we decided it",
    ),
    Field(
        "sum_ngo_pct", "number", "Sum of the published NGO shares of this question", unit="percent"
    ),
    Field(
        "sum_lsg_pct", "number", "Sum of the published LSG shares of this question", unit="percent"
    ),
    Field(
        "sums_over_100",
        "boolean",
        "Single-choice question whose published shares add past 100 % for at least one group",
    ),
]
