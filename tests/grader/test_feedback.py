"""feedback: answers, scores and visible messages shown; hidden tests never."""

from __future__ import annotations

import base64
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


# -- the newcomer's stumbles (issue 16) ----------------------------------------------------------
def _frame(grade_id: str, line: int) -> str:
    return f'  File "<test cell {grade_id}>", line {line}, in <module>'


def _failing(cell, line: int, evalue: str) -> None:
    import nbformat

    cell.outputs = [
        nbformat.v4.new_output(
            "error",
            ename="AssertionError",
            evalue=evalue,
            traceback=[
                "Traceback (most recent call last):",
                _frame(cell.metadata.nbgrader.grade_id, line),
                f"AssertionError: {evalue}",
            ],
        )
    ]


def _page(source, scores=None, **kwargs) -> str:
    scores = scores or {"q1_mean_score": {"score": 0.0, "max": 2.0, "pending": False}}
    secrets = hidden.secret_lines(source)
    return feedback.render(source, scores=scores, title="t", notes=[], secrets=secrets, **kwargs)


def test_visible_f_string_message_reaches_the_learner_as_written(mini_exercise):
    source = mini_exercise.source()
    # line 3 is the visible assert; its message was computed (an f-string), so it is not in
    # the source text -- it must still be shown
    _failing(source.cells[3], 3, "mean_score is 7.25, expected a value near the column mean")
    # line 5 is hidden; a learner-made message posing as a visible frame changes nothing
    forged = f"x\n{_frame('q2_top_group', 1)}"
    _failing(source.cells[5], 2, forged)
    page = _page(source)
    assert "mean_score is 7.25, expected a value near the column mean" in page
    assert page.count(hidden.HIDDEN_FAILED) == 1
    assert "posing" not in page and "line 1, in" not in page


def test_hidden_line_errors_are_neutral_even_when_not_assertions(mini_exercise):
    source = mini_exercise.source()
    _failing(source.cells[3], 5, "name 'secret_helper' is not defined")
    source.cells[3].outputs[0]["ename"] = "NameError"
    page = _page(source)
    assert "secret_helper" not in page and hidden.HIDDEN_FAILED in page


def test_trainer_comment_is_markdown_without_stray_quote_marks(mini_exercise):
    comment = "Good **work**.\n\nSecond line with <b>bold</b> & a > sign\n\n- point one"
    scores = {"q1_mean_score": {"score": 1.0, "max": 2.0, "pending": False, "comment": comment}}
    page = _page(mini_exercise.source(), scores)
    assert "<strong>work</strong>" in page and "<b>bold</b>" in page
    assert "<li>point one</li>" in page and "&amp; a &gt; sign" in page
    assert "&gt; Good" not in page and "> Good" not in page and "<blockquote>" not in page


def test_widget_outputs_show_a_note_not_their_repr(mini_exercise):
    import nbformat

    source = mini_exercise.source()
    cell = nbformat.v4.new_code_cell("interact(f)")
    cell.pop("id")
    widget = {"model_id": "abc", "version_major": 2, "version_minor": 0}
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={
                "application/vnd.jupyter.widget-view+json": widget,
                "text/plain": "interactive(children=(IntSlider(value=10000), Output()))",
            },
        )
    ]
    source.cells.append(cell)
    page = _page(source)
    assert "IntSlider(" not in page and "interactive widget" in page


def test_overridden_score_says_so_and_russian_labels(mini_exercise):
    scores = {
        "q1_mean_score": {"score": 2.0, "max": 2.0, "pending": False, "auto": 0.0},
        "q2_top_group": {"score": 1.0, "max": 1.0, "pending": False, "auto": None},
    }
    page = _page(mini_exercise.source(), scores)
    assert "score set by your trainer (the automatic check gave 0)" in page
    assert page.count("score set by your trainer") == 1
    ru = _page(mini_exercise.source(), scores, language="ru")
    assert '<html lang="ru">' in ru and "Текущий результат" in ru and "набрано 2 из 2" in ru
    assert "оценку выставил преподаватель (автоматическая проверка дала 0)" in ru
    assert "Score so far" not in ru
    scores["q2_top_group"]["score"] = 0.5
    assert "набрано 0,5 из 1" in _page(mini_exercise.source(), scores, language="ru")


def test_unknown_or_ungraded_student_is_one_error_line(graded_course, exercise, capsys):
    from grader.cli import run

    for student in ("nobody_here", "late_learner"):
        if student == "late_learner":  # submitted, but autograde never ran for them
            folder = graded_course / "submitted" / student / exercise.id
            folder.mkdir(parents=True)
            (folder / f"{exercise.id}.ipynb").write_text("{}")
        argv = ["feedback", exercise.id, "--student", student, "--course", str(graded_course)]
        assert run(argv) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("error:") and student in err[0]
    assert not (graded_course / "feedback").exists()


def test_override_from_the_gradebook_reaches_the_page(graded_course, exercise):
    from grader.course import Course
    from grader.gradebook import open_gradebook

    code = next(gid for gid, (_, kind) in exercise.points().items() if kind == "code")
    with open_gradebook(Course.open(graded_course).db_url) as gb:
        gb.find_grade(code, exercise.id, exercise.id, "vera_blank").manual_score = 1.0
        gb.db.commit()
    (page,) = feedback.main(assignment=exercise.id, course=graded_course, students=["vera_blank"])
    text = page.read_text()
    assert f"<strong>{code}</strong>: 1 / " in text
    assert "score set by your trainer (the automatic check gave 0)" in text


def test_isolated_rendering_reports_time_memory_and_errors():
    import time

    import pytest

    from grader.isolate import IsolationError, run_limited

    assert run_limited(sorted, [3, 1, 2], seconds=10, memory_mb=256) == [1, 2, 3]
    outcomes = {}
    for name, fn, arg in (
        ("timeout", time.sleep, 30),
        ("memory", bytearray, 2 * 1024 * 1024 * 1024),
        ("raised", int, "not a number"),
    ):
        started = time.monotonic()
        with pytest.raises(IsolationError) as caught:
            run_limited(fn, arg, seconds=2, memory_mb=256)
        outcomes[name] = caught.value.kind
        assert time.monotonic() - started < 10
    assert outcomes == {"timeout": "timeout", "memory": "memory", "raised": "raised"}


def test_attachments_of_other_types_are_not_images():
    from grader.sanitise import markdown_html

    html_doc = base64.b64encode(b"<script>alert(1)</script>").decode()
    attachments = {"x.png": {"text/html": html_doc}, "y.png": {"image/png": "not base64!"}}
    out = markdown_html("![x](attachment:x.png) ![y](attachment:y.png)", attachments=attachments)
    assert "src=" not in out and "script" not in out
