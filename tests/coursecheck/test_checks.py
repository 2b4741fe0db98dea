"""coursecheck: each common slip gives its one plain sentence, right answers pass silently."""

from __future__ import annotations

import coursecheck
import numpy as np
import pandas as pd
import pytest
from coursecheck import CheckFailed, check


@pytest.fixture(autouse=True)
def english(monkeypatch):
    monkeypatch.delenv("COURSE_LANG", raising=False)


def _says(call) -> str:
    with pytest.raises(CheckFailed) as caught:
        call()
    text = str(caught.value)
    assert "\n" not in text
    return text


def test_not_defined_names_the_variable_and_the_cell_to_run():
    assert _says(lambda: check.defined("problems", {})) == (
        "Run the answer cell above first: `problems` is not defined yet."
    )


@pytest.mark.parametrize(
    ("value", "phrase"), [(Ellipsis, "is still `...`"), (None, "is None")], ids=["dots", "none"]
)
def test_placeholders_are_not_answers(value, phrase):
    assert phrase in _says(lambda: check.defined(["ok", "x"], {"ok": 1, "x": value}))


def test_defined_passes_and_returns_nothing():
    assert check.defined(["a", "b"], {"a": 0, "b": ""}) is None


def test_fraction_instead_of_per_cent():
    text = _says(lambda: check.percent(0.42, "share_pct"))
    assert text == (
        "`share_pct` is 0.42, which looks like a fraction: give it in per cent (42, not 0.42)."
    )
    assert check.percent(42.0, "share_pct") is None
    assert check.percent(np.float64(0.5), "x", small_ok=True) is None


def test_a_column_of_fractions_is_caught():
    assert "look like fractions" in _says(lambda: check.percents(pd.Series([0.2, 0.5]), "s"))
    assert check.percents({"a": 20, "b": 50.5}, "s") is None
    assert "between 0 and 100" in _says(lambda: check.percents([20, 150], "s"))


def test_series_instead_of_list_suggests_tolist():
    text = _says(lambda: check.list_of(pd.Series(["a"]), "ngo_top3", length=3))
    assert "`.tolist()`" in text and "`ngo_top3`" in text


def test_list_length_and_allowed_values():
    assert _says(lambda: check.list_of(["a"], "top", length=3)) == (
        "`top` should have 3 items, but it has 1."
    )
    assert "'z'" in _says(lambda: check.list_of(["a", "z"], "top", allowed=["a", "b"]))
    assert check.list_of(["a", "b"], "top", length=2, allowed=["a", "b"]) is None


@pytest.mark.parametrize(
    ("value", "phrase"),
    [
        ("12.5", "remove the quotation marks"),
        ("many", "is the text 'many'"),
        (True, "True or False"),
        (np.True_, "True or False"),
        (pd.Series([1.0, 2.0]), "a column (Series)"),
        ([1, 2], "a list"),
        (float("nan"), "NaN"),
    ],
    ids=["quoted", "word", "bool", "numpy-bool", "series", "list", "nan"],
)
def test_number_slips(value, phrase):
    assert phrase in _says(lambda: check.number(value, "x"))


def test_numbers_pass_including_numpy():
    for value in (3, 2.5, np.int64(4), np.float32(1.5)):
        assert check.number(value, "x", low=0, high=10) is None
    assert "between 0 and 1" in _says(lambda: check.number(3, "x", low=0, high=1))
    assert "round it to 1" in _says(lambda: check.number(12.345, "x", digits=1))
    assert check.number(12.3, "x", digits=1) is None
    assert _says(lambda: check.number(np.float64(12.345), "x", digits=1)).startswith(
        "`x` is 12.345:"
    )
    assert "'z', which" in _says(lambda: check.list_of([np.str_("z")], "top", allowed=["a"]))
    assert "whole number" in _says(lambda: check.whole_number(2.5, "n"))
    assert check.whole_number(np.int64(7), "n") is None


def test_table_names_missing_and_present_columns():
    frame = pd.DataFrame({"region": ["A", "B"], "ngo": [1, 2]})
    assert _says(lambda: check.table(frame, "problems", columns=["ngo", "gap_pp"])) == (
        "`problems` is missing the column(s) gap_pp; it has: region, ngo."
    )
    assert "should have 3 rows, but it has 2" in _says(lambda: check.table(frame, "t", rows=3))
    assert "double brackets" in _says(lambda: check.table(frame["ngo"], "t"))
    assert check.table(frame, "t", columns=["ngo"], rows=2, index=[0, 1]) is None


def test_mapping_series_and_ordering():
    assert "`.to_dict()`" in _says(lambda: check.mapping(pd.Series({"a": 1}), "counts"))
    assert "ngo" in _says(lambda: check.mapping({"lsg": 1}, "counts", keys=["ngo", "lsg"]))
    assert check.mapping({"ngo": 1, "lsg": 2}, "counts", keys=["ngo"]) is None
    frame = pd.DataFrame({"share": [3, 1, 2]})
    assert "largest to smallest (share)" in _says(
        lambda: check.ordered(frame, "top", by="share", descending=True)
    )
    assert check.ordered([1, 2, 2, 5], "v") is None
    assert "one column" in _says(lambda: check.series(frame, "s"))
    assert check.series(frame["share"], "s", length=3, index=[0, 2]) is None


def test_text_choice_and_free_condition():
    assert _says(lambda: check.text("two words", "memo", min_words=5)) == (
        "`memo` has 2 word(s); write at least 5."
    )
    assert "one of: a, b" in _says(lambda: check.one_of("c", "choice", ["a", "b"]))
    assert _says(lambda: check.that(False, "Plain.", ru="Просто.")) == "Plain."
    assert check.that(True, "never") is None


def test_russian_from_the_environment(monkeypatch):
    monkeypatch.setenv("COURSE_LANG", "ru")
    assert _says(lambda: check.defined("problems", {})) == (
        "Сначала выполните ячейку с ответом выше: переменная `problems` ещё не задана."
    )
    assert _says(lambda: check.that(False, "Plain.", ru="Просто.")) == "Просто."


def test_module_default_language_and_unknown_values(monkeypatch):
    monkeypatch.setattr(coursecheck, "DEFAULT_LANG", "ru")
    assert coursecheck.language() == "ru"
    monkeypatch.setenv("COURSE_LANG", "de")  # unknown: the default stays
    assert coursecheck.language() == "ru"


def test_every_message_exists_in_both_languages_with_the_same_fields():
    import string

    for key, versions in coursecheck.MESSAGES.items():
        assert set(versions) == {"en", "ru"}, key
        fields = [{f for _, f, _, _ in string.Formatter().parse(v) if f} for v in versions.values()]
        assert fields[0] == fields[1], key


def test_render_traceback_is_the_sentence_only():
    error = CheckFailed("One sentence.")
    assert isinstance(error, AssertionError)
    assert error._render_traceback_() == ["One sentence."]


def test_passed_prints_a_line(capsys):
    assert check.passed() is None
    assert capsys.readouterr().out.startswith("✓ The visible checks pass.")
