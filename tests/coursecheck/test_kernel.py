"""In a real Jupyter kernel a failed check shows one sentence, never a traceback."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

from grader.errors import GraderError
from grader.release import coursecheck_source


def _run(folder, *sources: str) -> list[list[dict]]:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    # allow_errors: the point of this test is what a failing cell shows
    NotebookClient(
        nb, timeout=60, allow_errors=True, resources={"metadata": {"path": folder}}
    ).execute()
    return [cell.outputs for cell in nb.cells]


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("en", "Run the answer cell above first: `problems` is not defined yet."),
        ("ru", "Сначала выполните ячейку с ответом выше: переменная `problems` ещё не задана."),
    ],
)
def test_unanswered_cell_then_check_shows_only_the_sentence(tmp_path, monkeypatch, lang, sentence):
    monkeypatch.delenv("COURSE_LANG", raising=False)
    # the released copy, as the learner gets it, beside the notebook (not the installed package)
    (tmp_path / "coursecheck.py").write_text(coursecheck_source(lang), encoding="utf-8")
    unanswered, checked = _run(
        str(tmp_path),
        "# YOUR CODE HERE\nraise NotImplementedError()",
        "import coursecheck\n"
        f"assert coursecheck.__file__ == {str(tmp_path / 'coursecheck.py')!r}\n"
        "from coursecheck import check\n"
        "check.defined('problems', globals())",
    )
    assert unanswered[0]["ename"] == "NotImplementedError"
    assert len(checked) == 1
    assert checked[0]["output_type"] == "error"
    assert checked[0]["ename"] == "CheckFailed"
    assert checked[0]["traceback"] == [sentence]


def test_release_sets_the_language_and_refuses_unknown_ones():
    assert 'DEFAULT_LANG = "ru"' in coursecheck_source("ru")
    assert 'DEFAULT_LANG = "en"' in coursecheck_source()
    from grader.release import main

    with pytest.raises(GraderError, match="unknown language 'de'"):
        main(lang="de")
