"""feedback: answers, scores and visible messages shown; hidden tests never."""

from __future__ import annotations

import re

from grader import feedback, hidden


def _pages(course, exercise):
    return {
        p.parts[-3]: p.read_text() for p in feedback.main(assignment=exercise.id, course=course)
    }


def test_feedback_never_shows_hidden_tests_and_loads_nothing_remote(
    graded_course, exercise, cohort
):
    course = graded_course
    pages = _pages(course, exercise)
    assert sorted(pages) == sorted(cohort)
    secrets = hidden.secret_lines(exercise.source())
    assert secrets, "the exercise under test must have hidden tests"
    for student, page in pages.items():
        assert hidden.leaks(page, secrets) == [], student
        assert "BEGIN HIDDEN TESTS" not in page
        assert not re.search(r"<script[^>]+src=", page), "no external scripts"
        # Inlined MathJax carries its default CDN path as a string; the markup must not.
        markup = re.sub(r"<script>.*?</script>", "", page, flags=re.S)
        assert not re.search(r"https?://(cdn|unpkg|cdnjs)", markup)
        assert (course / "feedback" / student / exercise.id / "timestamp.txt").is_file()
    # every autograded item appears with its score
    for gid, (points, kind) in exercise.points().items():
        if kind == "code":
            assert f"<strong>{gid}</strong>: {points:g} / {points:g} points" in pages["anna_right"]
            assert f"<strong>{gid}</strong>: 0 / {points:g} points" in pages["vera_blank"]
    assert "waiting for your trainer" in pages["anna_right"]


def test_hidden_assert_in_traceback_is_replaced(mini_exercise):
    import nbformat

    source = mini_exercise.source()
    secrets = hidden.secret_lines(source)
    test = source.cells[5]  # q2_top_group: the hidden assert carries a telling message
    test.outputs = [
        nbformat.v4.new_output(
            "error",
            ename="AssertionError",
            evalue="HIDDEN-CHECK-top-group-is-b",
            traceback=['----> 3 assert top_group == "b", "HIDDEN-CHECK-top-group-is-b"'],
        )
    ]
    visible = source.cells[3]
    visible.outputs = [
        nbformat.v4.new_output(
            "error",
            ename="AssertionError",
            evalue="mean_score should be a number such as 4.2",
            traceback=["x"],
        )
    ]
    scores = {"q1_mean_score": {"score": 0.0, "max": 2.0, "pending": False, "comment": None}}
    page = feedback.render(source, scores=scores, title="t", notes=[], secrets=secrets)
    assert "HIDDEN-CHECK" not in page and "top_group ==" not in page
    assert hidden.HIDDEN_FAILED in page
    assert "mean_score should be a number such as 4.2" in page
