"""What each published Volgograd share is a share of, and which bases the shares allow.

The report prints shares, never the number of people behind them. Two things follow, and this
module records both so that chapters and exercises do not have to guess:

* Row flags (``share_of``, ``comparable_across_groups``, ``printed_decimals``): a few shares are
  of a subgroup, of requests or of projects, and a few NGO/LSG pairs measure different things.
* The base check (``volgograd_bases.csv``): for every block (question x group), the smallest
  number of respondents n <= group size for which every published share of the block is
  k/n rounded to the printed precision. "None" means no single base reproduces the block.
"""

from __future__ import annotations

import math

import pandas as pd

from coursedata.build.common import Field

# Shares that are not of all respondents of the group: (question, item, group) -> (share_of, note).
SHARE_OF = {
    ("s1_reasons_no_interaction", "tried_but_failed", "ngo"): (
        "subgroup",
        "share of the NGOs that do not interact; their number is not published, so the base "
        "is unknown",
    ),
    ("s1_reasons_no_interaction", "not_necessary", "ngo"): (
        "subgroup",
        "share of the NGOs that do not interact; their number is not published, so the base "
        "is unknown",
    ),
    ("s1_request_outcomes", "mostly_fulfilled", "lsg"): (
        "requests",
        "officials' estimate of the share of NGO requests that are fulfilled ('68,7% "
        "обращений'): a share of requests, not of officials",
    ),
    ("s1_request_outcomes", "not_fulfilled", "lsg"): (
        "requests",
        "officials' estimate of the share of NGO requests that are not fulfilled: a share of "
        "requests, not of officials",
    ),
    ("s2_grant_support", "received_grant_support", "ngo"): (
        "projects",
        "published as a share of projects, not of respondents; the report does not say of "
        "which projects",
    ),
    ("s2_grant_support", "received_grant_support", "lsg"): (
        "projects",
        "published as a share of projects ('18,2% проектов'), not of respondents",
    ),
}

# NGO/LSG pairs whose two figures do not measure the same thing: (question, item) -> reason.
NOT_COMPARABLE = {
    ("s1_contact_frequency", "regularly"): (
        "NGOs: contact the authorities regularly; officials: consider themselves constantly "
        "involved in interaction, which is a self-rating, not a contact frequency"
    ),
    ("s1_support_requests", "never"): (
        "NGOs: never asked for support; officials: never handle NGO requests (different questions)"
    ),
    ("s1_request_outcomes", "mostly_fulfilled"): (
        "NGOs: share of NGO respondents whose requests were mostly fulfilled; officials: share "
        "of requests fulfilled"
    ),
    ("s2_grant_support", "received_grant_support"): (
        "shares of projects; the report does not say whose projects each figure counts"
    ),
    ("s2_awards", "awarded"): (
        "NGOs: were awarded; officials: a 'level of awards' that may mean awards given"
    ),
    ("s2_council_functions", "discuss_ngo_issues"): (
        "the officials' figure is the first of two printed 'respectively' without saying what "
        "each refers to"
    ),
    ("s2_council_functions", "recommendations"): (
        "the officials' figure is the first of two printed 'respectively' without saying what "
        "each refers to"
    ),
}

# The only whole-number share printed with a decimal ("25,0%"); other whole numbers are "28%".
PRINTED_WITH_DECIMAL = {("s2_council_functions", "public_initiatives", "lsg")}


def add_row_flags(survey: pd.DataFrame, group_size: dict[str, int]) -> pd.DataFrame:
    """Add share_of, comparable_across_groups, printed_decimals; blank base_n where unknown."""
    out = survey.copy()
    keys = list(zip(out["question_id"], out["item_id"], out["group"], strict=True))
    out["share_of"] = [SHARE_OF.get(k, ("respondents", ""))[0] for k in keys]
    extra = [SHARE_OF.get(k, ("", ""))[1] for k in keys]
    groups_per_item = out.groupby(["question_id", "item_id"])["group"].transform(
        lambda g: set(g) >= {"ngo", "lsg"}
    )
    pair_differs = [(q, i) in NOT_COMPARABLE for q, i, _ in keys]
    out["comparable_across_groups"] = groups_per_item.astype(bool) & ~pd.Series(
        pair_differs, index=out.index
    )
    for pos, (q, i, g) in enumerate(keys):
        if (q, i) in NOT_COMPARABLE and g in ("ngo", "lsg"):
            extra[pos] = "; ".join(
                x
                for x in (extra[pos], "not comparable across groups: " + NOT_COMPARABLE[(q, i)])
                if x
            )
    out["note"] = [
        "; ".join(x for x in (old, new) if x and new not in old)
        for old, new in zip(out["note"], extra, strict=True)
    ]
    whole = out["share_pct"] == out["share_pct"].round(0)
    with_decimal = pd.Series([k in PRINTED_WITH_DECIMAL for k in keys], index=out.index)
    out["printed_decimals"] = (~whole | with_decimal).astype(int)
    base = out["group"].map(group_size).astype("Int64")
    out["base_n"] = base.where(out["share_of"] == "respondents")
    return out


def _count_range(share_pct: float, decimals: int, n: int) -> tuple[int, int]:
    """Whole counts k with k/n inside the printed share's rounding interval (any rounding rule)."""
    half = 0.5 * 10.0**-decimals
    low = max(0, math.ceil((share_pct - half) * n / 100 - 1e-9))
    high = min(n, math.floor((share_pct + half) * n / 100 + 1e-9))
    return low, high


def consistent_bases(shares: list[tuple[float, int]], max_n: int, single: bool) -> list[int]:
    """Every n in 1..max_n that reproduces all (share, decimals); single-choice counts fit in n."""
    found = []
    for n in range(1, max_n + 1):
        ranges = [_count_range(share, dec, n) for share, dec in shares]
        if any(low > high for low, high in ranges):
            continue
        if single and sum(low for low, _ in ranges) > n:  # options exclude each other
            continue
        found.append(n)
    return found


def bases_table(survey: pd.DataFrame, group_size: dict[str, int]) -> pd.DataFrame:
    """One row per question x group (ngo, lsg): the base check described in the module docstring."""
    checked = survey[
        survey["group"].isin(["ngo", "lsg"])
        & (survey["value_qualifier"] == "exact")
        & survey["share_of"].isin(["respondents", "subgroup"])
    ]
    rows = []
    blocks = survey[survey["group"].isin(["ngo", "lsg"])].drop_duplicates(["question_id", "group"])
    for block in blocks.itertuples():
        size = group_size[block.group]
        part = checked[
            (checked["question_id"] == block.question_id) & (checked["group"] == block.group)
        ]
        shares = list(zip(part["share_pct"], part["printed_decimals"], strict=True))
        fits = consistent_bases(shares, size, block.answer_type == "single") if shares else []
        if not shares:
            verdict = "not_checked"
        elif size in fits:
            verdict = "group_size_fits"
        elif fits:
            verdict = "only_smaller_bases_fit"
        else:
            verdict = "no_base_fits"
        rows.append(
            dict(
                question_id=block.question_id,
                group=block.group,
                answer_type=block.answer_type,
                shares_checked=len(shares),
                group_size=size,
                smallest_base=fits[0] if fits else pd.NA,
                consistent_bases=len(fits),
                verdict=verdict,
            )
        )
    table = pd.DataFrame(rows)
    table["smallest_base"] = table["smallest_base"].astype("Int64")
    return table


def base_summary(bases: pd.DataFrame) -> str:
    """One sentence per verdict, generated so that the codebook always matches the table."""
    multi = bases[bases["answer_type"] == "multiple"]
    fits = multi[multi["verdict"] != "no_base_fits"]
    return (
        f"Result: of {len(multi)} multiple-choice blocks, {len(multi) - len(fits)} have no base "
        f"up to the group size; of {len(bases)} blocks in all, "
        + ", ".join(
            f"{count} {verdict}"
            for verdict, count in bases["verdict"].value_counts().sort_index().items()
        )
        + "."
    )


def bases_for_reading(bases: pd.DataFrame) -> pd.DataFrame:
    """The table as the codebook prints it: 'none <= group size' instead of an empty base."""
    shown = bases.astype({"smallest_base": "object"}).copy()
    missing = shown["smallest_base"].isna() & (shown["verdict"] != "not_checked")
    shown.loc[missing, "smallest_base"] = "none ≤ " + shown.loc[missing, "group_size"].astype(str)
    shown.loc[shown["verdict"] == "not_checked", "smallest_base"] = "not checked"
    return shown


BASE_NOTES = [
    "Method. A share printed with one decimal stands for any value within 0.05 points of it, a "
    "share printed as a whole number ('28%') for any value within 0.5 points (either rounding "
    "rule). A base n fits a block when every checked share of the block can be written as k/n "
    "for a whole k inside that interval; for a single-choice block the smallest such counts must "
    "also add up to no more than n. Every n from 1 to the group size (242 NGO, 106 LSG) is tried.",
    "Checked shares: exact figures of the NGO and LSG groups that are shares of respondents or of "
    "a subgroup of respondents. Figures marked 'около'/'менее' and shares of requests or projects "
    "(share_of in volgograd_survey) are left out; a block with none left is 'not_checked'.",
    "Reading the result. 'no_base_fits' means that no single number of respondents up to the "
    "group size reproduces all the block's shares: different options had different bases, or the "
    "shares were computed in a way the report does not describe. 'only_smaller_bases_fit' and "
    "'group_size_fits' show that some base is possible, not that it was used: with one or two "
    "shares many bases fit by chance (see consistent_bases).",
]

BASE_FIELDS = [
    Field("question_id", "string", "Question id (as in volgograd_survey)", label_ru="Вопрос (код)"),
    Field(
        "group",
        "string",
        "Respondent group: ngo = socially oriented NGOs, lsg = local self-government",
        enum=("ngo", "lsg"),
        label_ru="Группа респондентов",
    ),
    Field("answer_type", "string", "single or multiple choice", enum=("single", "multiple")),
    Field(
        "shares_checked",
        "integer",
        "Number of the block's published shares used in the check (see the notes)",
        unit="shares",
    ),
    Field(
        "group_size",
        "integer",
        "Respondents in the group (upper bound of any base)",
        unit="persons",
    ),
    Field(
        "smallest_base",
        "integer",
        "Smallest number of respondents n <= group_size that reproduces every checked share at "
        "its printed rounding; empty = no such n",
        unit="persons",
        label_ru="Наименьшая возможная база",
    ),
    Field(
        "consistent_bases",
        "integer",
        "How many n from 1 to group_size reproduce every checked share",
        unit="bases",
    ),
    Field(
        "verdict",
        "string",
        "group_size_fits, only_smaller_bases_fit, no_base_fits, or not_checked",
        enum=("group_size_fits", "only_smaller_bases_fit", "no_base_fits", "not_checked"),
    ),
]

FLAG_FIELDS = [
    Field(
        "share_of",
        "string",
        "What the share is a share of: respondents = all respondents of the group; subgroup = "
        "only some of them (number not published); requests = NGO requests; projects = projects",
        enum=("respondents", "subgroup", "requests", "projects"),
    ),
    Field(
        "comparable_across_groups",
        "boolean",
        "True if the item has an NGO and an LSG figure that measure the same thing; False "
        "where the two figures differ in what they measure (see note) or one is missing",
    ),
    Field(
        "printed_decimals",
        "integer",
        "Decimals printed in the report (0 for '28%', 1 for '28,7%'): the share is exact only "
        "to half a unit of that digit",
        unit="digits",
    ),
]
