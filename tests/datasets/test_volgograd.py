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
    bases = survey.groupby("group", observed=True).base_n.unique()
    assert {g: list(b) for g, b in bases.items()} == {"ngo": [242], "lsg": [106], "all": [348]}
    assert (survey.group == "all").sum() == 1


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
