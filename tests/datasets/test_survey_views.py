"""The survey views chapters share: one row per option, both groups side by side."""

from __future__ import annotations

import pytest

from coursedata import load
from coursedata.survey import by_group, for_chart


@pytest.fixture(scope="module")
def survey():
    return load("volgograd_survey")


def test_by_group_puts_both_groups_side_by_side(survey):
    problems = by_group(survey, "t1_problems")
    assert len(problems) == 13
    assert problems.loc["bureaucracy", "ngo"] == pytest.approx(61.6)
    assert problems.loc["bureaucracy", "lsg"] == pytest.approx(3.5)
    assert list(problems.columns) == ["item_en", "item_ru", "ngo", "lsg"]


def test_by_group_keeps_one_row_per_option_when_wording_differs(survey):
    criteria = survey[survey["question_id"].str.contains("partner")]["question_id"].iloc[0]
    table = by_group(survey, criteria)
    assert table.index.is_unique
    assert table.loc["personal_ties", "lsg"] == pytest.approx(0.0)
    assert table.loc["personal_ties", "ngo"] == pytest.approx(62.6)


def test_for_chart_labels_groups(survey):
    rows = for_chart(survey, "t2_proposals_to_lsg")
    assert set(rows["group_label"]) == {"NGOs · СО НКО", "Local government · ОМСУ"}
    assert len(rows) == 10


def test_unknown_question_is_a_clear_error(survey):
    with pytest.raises(KeyError, match="no_such_question"):
        by_group(survey, "no_such_question")
