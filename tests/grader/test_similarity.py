"""``similarity`` on a labelled SYNTHETIC cohort (tests/grader/similarity_fixture.py).

Planted: Boris copied Anna's code, renamed every variable, rewrote the comments and put
the cells in the other order; Gleb copied Vera's memo with light edits. Every learner has
the same necessary one-line answer to q2, and the other solutions are independent but
correct, so they resemble each other. Copies must be flagged, nothing else.
"""

from __future__ import annotations

import re

import pytest

from grader import cli, similarity
from tests.grader import similarity_fixture as fx


@pytest.fixture
def cohort(tmp_path):
    return fx.write_course(tmp_path / "course", fx.COHORT)


def _flagged(result):
    return {(*sorted((p.a, p.b)), p.kind) for p in result.pairs}


def test_copies_flagged_independent_not(cohort):
    result = similarity.main(assignment=fx.ASSIGNMENT, course=cohort)
    assert _flagged(result) == fx.COPIES
    code = next(p for p in result.pairs if p.kind == "code")
    assert code.score == pytest.approx(0.813, abs=0.001)  # measured, deterministic hashes
    memo = next(p for p in result.pairs if p.kind == "w1_memo")
    assert memo.score == pytest.approx(48 / 56)  # 48 of the shorter memo's 56 phrases
    assert result.submissions == 5 and result.clusters == [] and result.skipped == []


def test_stricter_threshold_and_looser_one(cohort):
    strict = similarity.main(assignment=fx.ASSIGNMENT, course=cohort, code_threshold=0.9)
    assert {p.kind for p in strict.pairs} == {"w1_memo"}
    # the closest independent pair (Anna and Vera, 0.27) appears only when asked
    loose = similarity.main(
        assignment=fx.ASSIGNMENT, course=cohort, code_threshold=0.2, code_min_tokens=20
    )
    assert ("anna", "vera", "code") in _flagged(loose)


def test_normalisation_russian_and_english():
    assert [w for w, _, _ in similarity.words("Ёлка, ЁЛКА! Tree-house: TREE")] == [
        "елка",
        "елка",
        "tree",
        "house",
        "tree",
    ]


def test_against_an_earlier_cohort(cohort, tmp_path):
    edited = fx.DINA_MEMO.replace("Средства стоит", "Деньги нужно").replace("заметно", "сильно")
    earlier = fx.write_course(
        tmp_path / "2024" / "course",
        {
            "zoe": ([fx.GLEB_Q1 + "\nprint(answer_count)\n", fx.NECESSARY], edited),
            "yan": ([fx.GLEB_Q1 + "\n# mine\n", fx.NECESSARY], fx.ANNA_MEMO),
        },
    )
    result = similarity.main(assignment=fx.ASSIGNMENT, course=cohort, against=[earlier])
    flagged = _flagged(result)
    assert flagged - fx.COPIES == {
        ("2024/course/zoe", "dina", "w1_memo"),  # Russian memo, lightly edited
        ("2024/course/zoe", "gleb", "code"),
        ("2024/course/yan", "gleb", "code"),
        ("2024/course/yan", "anna", "w1_memo"),
    }  # and the earlier cohort is not compared with itself (yan and zoe share code)


def test_page_side_by_side_escaped_and_offline(cohort, tmp_path):
    hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    fx.write_course(cohort, {"eve": ([f"x = '{hostile}'\n", fx.NECESSARY], hostile)})
    out = tmp_path / "sim.html"
    result = similarity.main(assignment=fx.ASSIGNMENT, course=cohort, out=out)
    page = out.read_text()
    assert "never an automatic penalty" in page
    assert "<script" not in page and "<img" not in page
    assert page.count("<mark>") >= 2 and 'class="sides"' in page
    assert not re.search(r"(src|href)=\"?https?:", page)
    assert result.out == out
    ru = similarity.main(assignment=fx.ASSIGNMENT, course=cohort, out=out, lang="ru")
    assert "не автоматическое наказание" in out.read_text() and ru.lang == "ru"


def test_cli_ranked_list_and_bad_out(cohort, tmp_path, capsys):
    assert cli.run(["similarity", fx.ASSIGNMENT, "--course", str(cohort)]) == 0
    text = capsys.readouterr().out
    assert "anna — boris" in text and "gleb — vera" in text
    assert text.index("gleb — vera") < text.index("anna — boris")  # ranked by score
    assert cli.run(["similarity", fx.ASSIGNMENT, "--course", str(cohort), "--out", "/"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and len(err.strip().splitlines()) == 1


def test_unreadable_and_linked_submissions_are_skipped(cohort):
    bad = cohort / "submitted" / "olga" / fx.ASSIGNMENT
    bad.mkdir(parents=True)
    (bad / f"{fx.ASSIGNMENT}.ipynb").write_text("{not json")
    link = cohort / "submitted" / "pavel" / fx.ASSIGNMENT
    link.mkdir(parents=True)
    (link / f"{fx.ASSIGNMENT}.ipynb").symlink_to(cohort / "source" / fx.ASSIGNMENT / "x")
    result = similarity.main(assignment=fx.ASSIGNMENT, course=cohort)
    assert sorted(label for label, _ in result.skipped) == ["olga", "pavel"]
    assert _flagged(result) == fx.COPIES


def test_terminal_gets_no_escape_sequences(cohort, capsys):
    evil = "mallory\x1b]0;pwned\x07\x1b[31m"
    fx.write_course(cohort, {evil: fx.COHORT["anna"]})
    assert cli.run(["similarity", fx.ASSIGNMENT, "--course", str(cohort)]) == 0
    text = capsys.readouterr().out
    assert "\x1b" not in text and "\x07" not in text
    assert "Groups linked by flagged pairs: anna, boris, mallory" in text  # defused, shown
