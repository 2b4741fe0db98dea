"""The Volgograd survey transcription against the published report (seed 003)."""

from __future__ import annotations

import re

import pytest

from coursedata import load
from tests.datasets.conftest import RAW

REPORT = (RAW / "volgograd_2021_report.txt").read_text(encoding="utf-8")
FINDINGS = REPORT[: REPORT.index("IV.Выводы")]  # sections 1-3 with Tables 1-3


@pytest.fixture(scope="module")
def survey():
    return load("volgograd_survey")


def share(survey, question, item, group):
    rows = survey[
        (survey.question_id == question) & (survey.item_id == item) & (survey.group == group)
    ]
    assert len(rows) == 1, (question, item, group)
    return float(rows.share_pct.iloc[0])


@pytest.mark.parametrize(
    ("question", "item", "group", "expected"),
    [
        ("t1_problems", "bureaucracy", "ngo", 61.6),
        ("t1_problems", "bureaucracy", "lsg", 3.5),
        ("t1_problems", "personal_ties", "ngo", 70.3),
        ("t1_problems", "personal_ties", "lsg", 8.9),
        ("t1_problems", "ngo_disunity", "lsg", 66.3),
        ("t1_problems", "corruption", "lsg", 1.2),
        ("t2_proposals_to_lsg", "open_contests", "ngo", 74.1),
        ("t2_proposals_to_lsg", "open_contests", "lsg", 10.4),
        ("t2_proposals_to_lsg", "more_advisory_councils", "lsg", 68.3),
        ("t3_proposals_to_ngo", "use_project_methods", "ngo", 71.1),
        ("t3_proposals_to_ngo", "propose_cooperation", "lsg", 68.2),
        ("s1_interaction", "yes", "ngo", 73.6),
        ("s1_interaction", "yes", "lsg", 97.4),
        ("s1_support_requests", "regularly", "lsg", 65.3),
        ("s2_contest_participation", "participated", "lsg", 28.5),
        ("s2_contest_participation", "participated", "ngo", 18.2),
        ("s2_information_sources", "legal_databases", "lsg", 76.8),
        ("s2_authority_interest", "sincere_interest", "lsg", 56.3),
        ("s2_authority_interest", "declarations_instead", "ngo", 58.7),
        ("s2_partner_criteria", "personal_ties", "lsg", 0.0),
        ("s2_overall_satisfaction", "not_satisfied", "ngo", 56.3),
    ],
)
def test_spot_checks_against_the_report(survey, question, item, group, expected):
    assert share(survey, question, item, group) == pytest.approx(expected)


def _pattern(value: float) -> str:
    whole, dec = f"{value:.1f}".split(".")
    tail = rf"(,\s?{dec})?" if dec == "0" else rf",\s?{dec}"
    return rf"(?<![\d,]){whole}{tail}\s?%"


def test_every_transcribed_share_is_printed_in_the_report(survey):
    missing = [v for v in survey.share_pct.unique() if not re.search(_pattern(v), FINDINGS)]
    assert not missing


def test_every_printed_share_is_transcribed(survey):
    printed = {
        float(f"{m.group(1)}.{m.group(2) or 0}")
        for m in re.finditer(r"(?<![\d,])(\d{1,3})(?:,\s?(\d))?\s?%", FINDINGS)
    }
    # Figures that only summarise others or describe the method (see codebook notes).
    summaries = {96.5, 30.0, 85.0, 40.0}
    assert printed - set(survey.share_pct) == summaries


def test_shares_bases_and_groups(survey):
    assert survey.share_pct.between(0, 100).all()
    known = survey[survey.base_n.notna()]
    bases = known.groupby("group", observed=True).base_n.unique()
    assert {g: list(b) for g, b in bases.items()} == {"ngo": [242], "lsg": [106], "all": [348]}
    assert (survey.group == "all").sum() == 1
    # base_n is empty exactly where the share is not of the whole group's respondents.
    assert (survey.base_n.isna() == (survey.share_of != "respondents")).all()


@pytest.mark.parametrize(
    ("question", "item", "group", "share_of"),
    [
        ("s1_reasons_no_interaction", "tried_but_failed", "ngo", "subgroup"),
        ("s1_reasons_no_interaction", "not_necessary", "ngo", "subgroup"),
        ("s1_request_outcomes", "mostly_fulfilled", "lsg", "requests"),
        ("s1_request_outcomes", "mostly_fulfilled", "ngo", "respondents"),
        ("s2_grant_support", "received_grant_support", "lsg", "projects"),
        ("t1_problems", "bureaucracy", "ngo", "respondents"),
    ],
)
def test_share_of_flags(survey, question, item, group, share_of):
    row = survey[
        (survey.question_id == question) & (survey.item_id == item) & (survey.group == group)
    ]
    assert row.share_of.iloc[0] == share_of
    if share_of != "respondents":
        assert row.base_n.isna().all() and row.note.iloc[0]


def test_pairs_that_measure_different_things_are_flagged(survey):
    both = survey[survey.group.isin(["ngo", "lsg"])]
    flags = both.groupby(["question_id", "item_id"], observed=True).comparable_across_groups.first()
    assert not flags[("s1_contact_frequency", "regularly")]  # 80 % 'constantly involved'
    assert not flags[("s1_request_outcomes", "mostly_fulfilled")]  # 68.7 % of requests
    assert flags[("s2_overall_satisfaction", "fully")]
    assert flags[("t1_problems", "bureaucracy")]
    assert not flags[("s1_reasons_no_interaction", "tried_but_failed")]  # NGO figure only
    regular = both[(both.question_id == "s1_contact_frequency") & (both.item_id == "regularly")]
    assert regular.note.str.contains("not a contact frequency").all()


def test_printed_decimals_match_the_report(survey):
    for row in survey.itertuples():
        whole, dec = f"{row.share_pct:.1f}".split(".")
        printed = (
            rf"(?<![\d,]){whole},\s?{dec}\s?%"
            if row.printed_decimals
            else rf"(?<![\d,]){whole}\s?%"
        )
        assert re.search(printed, FINDINGS), (row.question_id, row.item_id, row.group)


def test_base_check_measures_every_block():
    bases = load("volgograd_bases").set_index(["question_id", "group"])
    # Table 1: no single number of respondents up to the group size gives every share.
    assert bases.loc[("t1_problems", "ngo"), "verdict"] == "no_base_fits"
    assert bases.loc[("t1_problems", "lsg"), "verdict"] == "no_base_fits"
    multi = bases[bases.answer_type == "multiple"]
    assert len(multi) == 20 and (multi.verdict == "no_base_fits").all()
    # 73.6 % and 24 % of NGOs: 242 fits, and so do smaller bases; 72 is the smallest.
    assert bases.loc[("s1_interaction", "ngo"), "smallest_base"] == 72
    assert bases.loc[("s1_interaction", "ngo"), "verdict"] == "group_size_fits"
    # 106.8 % for a single-choice block: the counts cannot fit any base.
    assert bases.loc[("s2_information_satisfaction", "ngo"), "verdict"] == "no_base_fits"
    # Shares of requests or projects are not checked against the number of respondents.
    assert bases.loc[("s2_grant_support", "lsg"), "verdict"] == "not_checked"
    assert bases.smallest_base.isna().eq(bases.consistent_bases == 0).all()


def test_consistent_bases_by_hand():
    from coursedata.build.volgograd_bases import consistent_bases

    # 50 % and 33.3 %: n = 6 is the smallest base (3/6 and 2/6).
    assert consistent_bases([(50.0, 1), (33.3, 1)], 10, single=False) == [6]
    # As single choice 60 % + 60 % cannot both hold in one group.
    assert consistent_bases([(60.0, 0), (60.0, 0)], 10, single=True) == []
    assert consistent_bases([(60.0, 0), (60.0, 0)], 10, single=False) == [5, 10]


def test_tables_are_complete(survey):
    counts = survey[survey.question_id.str.startswith("t")].groupby("question_id").size()
    assert counts.to_dict() == {
        "t1_problems": 26,
        "t2_proposals_to_lsg": 10,
        "t3_proposals_to_ngo": 10,
    }
    assert (survey[survey.question_id.str.startswith("t")].answer_type == "multiple").all()


def test_ids_are_snake_case_and_unique(survey):
    assert survey.item_id.str.fullmatch(r"[a-z0-9_]+").all()
    assert not survey.duplicated(["question_id", "item_id", "group"]).any()


def test_single_choice_over_100_is_flagged_not_fixed(survey):
    questions = load("volgograd_questions")
    flagged = questions[questions.sums_over_100]
    assert flagged.question_id.tolist() == ["s2_information_satisfaction"]
    assert flagged.sum_ngo_pct.iloc[0] == pytest.approx(106.8)
    rows = survey[survey.question_id == "s2_information_satisfaction"]
    assert rows[rows.group == "ngo"].sums_over_100.all()
    assert not rows[rows.group == "lsg"].sums_over_100.any()
    assert share(survey, "s2_information_satisfaction", "not_satisfied", "ngo") == 49.2


def test_every_question_has_metadata(survey):
    questions = load("volgograd_questions")
    assert set(survey.question_id) == set(questions.question_id)
    assert questions.answer_type_basis.str.len().gt(10).all()
