"""A labelled SYNTHETIC cohort for ``similarity`` (tests and benchmarks/similarity.py).

Nothing here is a real learner's work: the code and memos were written for this fixture.
The course folder is written directly in nbgrader's layout (``source/``, ``release/``,
``submitted/``); ``similarity`` needs no gradebook.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

ASSIGNMENT = "ex_sim"

GIVEN = 'import pandas as pd\n\ndf = pd.read_csv("data/districts.csv")\ndf.head()'
TEMPLATE = "# YOUR CODE HERE\nraise NotImplementedError()"
PROMPT = (
    "**Written task.** In a short memo to the head of the social protection department, "
    "say which districts should receive the extra funds and why."
)
NECESSARY = 'top_district = df.groupby("district")["share_poor"].mean().idxmax()'

# Anna's own solution; Boris copies it, renames every variable and swaps the two cells.
ANNA_Q1 = """# share of poor households per district, weighted by households
weights = df["households"]
weighted = (df["share_poor"] * weights).groupby(df["district"]).sum()
totals = weights.groupby(df["district"]).sum()
poverty_by_district = (weighted / totals).sort_values(ascending=False)
needy = [name for name, value in poverty_by_district.items() if value > 0.25]
answer_count = len(needy)
"""
BORIS_Q1 = """w = df["households"]  # households are the weights
num = (df["share_poor"] * w).groupby(df["district"]).sum()
den = w.groupby(df["district"]).sum()
rate = (num / den).sort_values(ascending=False)

selected = [d for d, v in rate.items() if v > 0.25]
answer_count = len(selected)
"""
VERA_Q1 = """result = {}
for district, group in df.groupby("district"):
    poor = (group.share_poor * group.households).sum()
    result[district] = poor / group.households.sum()
needy = sorted(k for k in result if result[k] > 0.25)
answer_count = len(needy)
"""
GLEB_Q1 = """df["poor_households"] = df["share_poor"] * df["households"]
agg = df.pivot_table(index="district", values=["poor_households", "households"], aggfunc="sum")
agg["rate"] = agg["poor_households"] / agg["households"]
answer_count = int((agg["rate"] > 0.25).sum())
"""
DINA_Q1 = """import numpy as np
rates = df.groupby("district").apply(lambda g: np.average(g["share_poor"], weights=g["households"]))
answer_count = int(np.count_nonzero(rates.to_numpy() > 0.25))
"""

VERA_MEMO = (
    "The extra funds should go first to Krasnoarmeysky and Kirovsky districts. In both, "
    "more than a quarter of households live below the subsistence minimum, and the survey "
    "shows that large families there wait longest for targeted assistance. Dzerzhinsky "
    "district comes next: its share is lower, but the number of poor households is the "
    "largest because the district is big."
)
GLEB_MEMO = (  # Vera's memo, lightly edited: case, punctuation, a few words changed
    "Extra funds should go first to the Krasnoarmeysky and Kirovsky districts: in both, "
    "more than a quarter of households live below the subsistence minimum and the survey "
    "shows that big families there wait longest for targeted assistance. Dzerzhinsky "
    "district comes next - its share is lower, but the number of poor households is the "
    "largest, since the district is big!"
)
ANNA_MEMO = (
    "I would fund Kirovsky first. Its poverty rate is the highest of all districts in the "
    "table, and the gap to the city average is wide. Krasnoarmeysky is a close second."
)
BORIS_MEMO = (
    "Our numbers point to two districts. Kirovsky and Krasnoarmeysky both exceed the "
    "twenty five per cent line, so the department should split the money between them."
)
DINA_MEMO = (
    "Средства стоит направить в Кировский и Красноармейский районы: там доля бедных "
    "домохозяйств выше четверти. Остальные районы заметно ниже этого уровня."
)

# label -> (code cells in the learner's order, memo)
COHORT = {
    "anna": ([ANNA_Q1, NECESSARY], ANNA_MEMO),
    "boris": ([NECESSARY, BORIS_Q1], BORIS_MEMO),  # copied code, cells reordered
    "vera": ([VERA_Q1, NECESSARY], VERA_MEMO),
    "gleb": ([GLEB_Q1, NECESSARY], GLEB_MEMO),  # copied memo
    "dina": ([DINA_Q1, NECESSARY], DINA_MEMO),
}
COPIES = {("anna", "boris", "code"), ("gleb", "vera", "w1_memo")}


def _cell(kind: str, source: str, grade_id: str | None = None, **meta) -> dict:
    cell = {"cell_type": kind, "metadata": {}, "source": source}
    if grade_id:
        cell["metadata"]["nbgrader"] = {"grade_id": grade_id, "schema_version": 3, **meta}
    if kind == "code":
        cell.update(outputs=[], execution_count=None)
    return cell


def notebook(q1: str, q2: str, memo: str, order=(0, 1)) -> dict:
    answers = [
        _cell("code", q1, "q1_count", solution=True, grade=False),
        _cell("code", q2, "q2_top", solution=True, grade=False),
    ]
    cells = [
        _cell("markdown", "# Districts (synthetic fixture)"),
        _cell("code", GIVEN),
        *[answers[i] for i in order],
        _cell("code", "assert isinstance(answer_count, int)", "t_q1", grade=True, points=1),
        _cell("markdown", PROMPT),
        _cell("markdown", memo, "w1_memo", solution=True, grade=True, points=3),
    ]
    return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def write_course(root: Path, learners: dict[str, tuple[list[str], str]]) -> Path:
    """A course folder with the released template and one submission per learner."""
    for folder in ("source", "release"):
        target = root / folder / ASSIGNMENT
        target.mkdir(parents=True, exist_ok=True)
        released = notebook(TEMPLATE, TEMPLATE, "YOUR ANSWER HERE")
        (target / f"{ASSIGNMENT}.ipynb").write_text(json.dumps(released))
    for label, (cells, memo) in learners.items():
        target = root / "submitted" / label / ASSIGNMENT
        target.mkdir(parents=True, exist_ok=True)
        nb = notebook(cells[0], cells[1], memo)
        (target / f"{ASSIGNMENT}.ipynb").write_text(json.dumps(nb, ensure_ascii=False))
    return root


_NAMES = [
    "data",
    "frame",
    "table",
    "rates",
    "totals",
    "share",
    "value",
    "count",
    "result",
    "grouped",
    "needy",
    "poor",
]
_WORDS = [
    "district",
    "funds",
    "households",
    "poverty",
    "share",
    "survey",
    "minimum",
    "families",
    "support",
    "budget",
    "priority",
    "rate",
    "city",
    "region",
    "department",
    "assistance",
    "needs",
    "evidence",
    "table",
    "average",
    "higher",
    "lower",
    "growth",
    "children",
    "pensioners",
    "income",
    "transfer",
    "criteria",
    "targeting",
]


_LINES = (  # identifiers and strings are abstracted away: variety lives in the structure
    "{a} = df[{q}{col}{q}].{agg}() * {n}",
    "{a} = [{b} for {b} in range({n}) if {b} % {m} == {k}]",
    "{a} = sorted({b}, key=lambda x: x * {n} - {m})[:{k}]",
    "{a} = {{k: v / {n} for k, v in {b}.items() if v > {m}}}",
    "for {b} in range({n}):\n    {a} += {b} ** {k} - {m}",
    "{a} = int(len({b}) * {n} / ({m} + {k}))",
    "if {a} > {n}:\n    {b} = min({a}, {m})\nelse:\n    {b} = max({a}, {k})",
    "{a} = df.groupby({q}{col}{q})[{q}{col}{q}].{agg}().nlargest({n})",
    "{a} = round(sum({b}) / max(len({b}), {n}), {k})",
    "{a} = abs({b} - {n}) < {m} or {b} == {k}",
)
_COLUMNS = ("district", "region", "share_poor", "households", "year")
_AGGS = ("mean", "median", "max", "sum", "std")


def _code(rng: random.Random) -> str:
    lines = []
    for _ in range(rng.randint(5, 12)):
        a, b = rng.sample(_NAMES, 2)
        lines.append(
            rng.choice(_LINES).format(
                a=a,
                b=b,
                q='"',
                col=rng.choice(_COLUMNS),
                agg=rng.choice(_AGGS),
                n=rng.randint(2, 99),
                m=rng.randint(2, 99),
                k=rng.randint(0, 9),
            )
        )
    lines.append(f"answer_count = int(len({rng.choice(_NAMES)}))")
    return "\n".join(lines)


def synthetic(n: int, seed: int = 1) -> dict[str, tuple[list[str], str]]:
    """``n`` varied SYNTHETIC learners for timing (every tenth copies the one before)."""
    rng = random.Random(seed)
    out: dict[str, tuple[list[str], str]] = {}
    previous = None
    for i in range(n):
        if previous and i % 10 == 0:
            out[f"s{i:04d}"] = previous
            continue
        memo = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(40, 120)))
        previous = ([_code(rng), NECESSARY], memo)
        out[f"s{i:04d}"] = previous
    return out
