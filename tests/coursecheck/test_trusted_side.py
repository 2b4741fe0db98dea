"""The grader's trusted test process imports the INSTALLED coursecheck, never a learner's copy.

A hostile learner can leave a ``coursecheck.py`` in the folder the notebook runs in or next to
the submitted file; the visible checks that import it run in the trusted process, so a planted
module there would run the learner's code with the grader's rights. SYNTHETIC exercise below.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import coursecheck
import nbformat
import pytest

from grader.check import student_version
from grader.worker import GradeTask, grade

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None, reason="needs bubblewrap")

ANSWER = "### BEGIN SOLUTION\nx = 42\n### END SOLUTION\n"
TEST = (
    "from coursecheck import check\n"
    'check.defined("x", globals())\n'
    'check.number(x, "x")\n'
    "### BEGIN HIDDEN TESTS\n"
    "import coursecheck\n"
    'assert not hasattr(coursecheck, "PLANTED"), coursecheck.__file__\n'
    f"assert coursecheck.__file__ == {coursecheck.__file__!r}\n"
    "assert x == 42\n"
    "### END HIDDEN TESTS\n"
)
PLANTED = "PLANTED = True\nclass check:\n    def __getattr__(self, name):\n        return print\n"
# the learner's answer also plants the module wherever its code can write
HOSTILE = (
    "x = 42\n"
    "from pathlib import Path\n"
    f"for folder in (Path.cwd(), Path.cwd() / 'data', Path.home()):\n"
    "    try:\n"
    f"        (folder / 'coursecheck.py').write_text({PLANTED!r})\n"
    "    except OSError:\n"
    "        pass\n"
)


def _cell(kind: str, source: str, grade_id: str, *, solution: bool, points: int = 0):
    make = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
    cell = make(source)
    cell.metadata["nbgrader"] = {
        "grade_id": grade_id,
        "grade": points > 0,
        "solution": solution,
        "locked": not solution,
        "schema_version": 3,
        **({"points": points} if points else {}),
    }
    return cell


def _task(tmp_path: Path, answer: str | None) -> GradeTask:
    source = nbformat.v4.new_notebook()
    source.cells = [
        _cell("code", ANSWER, "answer_x", solution=True),
        _cell("code", TEST, "check_x", solution=False, points=1),
    ]
    source_path = tmp_path / "source.ipynb"
    nbformat.write(source, source_path)
    submitted = student_version(source)
    if answer is not None:
        submitted.cells[0].source = answer
    folder = tmp_path / "submitted"
    folder.mkdir()
    (folder / "coursecheck.py").write_text(PLANTED)  # beside the submitted notebook
    nbformat.write(submitted, folder / "ex_trust.ipynb")
    data = tmp_path / "data"
    data.mkdir()
    return GradeTask(
        student="s_trust",
        assignment="ex_trust",
        notebook="ex_trust.ipynb",
        submission_path=str(folder / "ex_trust.ipynb"),
        source_path=str(source_path),
        data_dir=str(data),
    )


def test_a_planted_coursecheck_is_never_imported_by_the_trusted_tests(tmp_path):
    result = grade(_task(tmp_path, HOSTILE))
    (check_x,) = [g for g in result.grades if g.grade_id == "check_x"]
    assert (check_x.score, check_x.reason) == (1.0, None)


def test_an_unanswered_check_fails_with_the_friendly_sentence_on_the_trusted_side(tmp_path):
    result = grade(_task(tmp_path, None))
    (check_x,) = [g for g in result.grades if g.grade_id == "check_x"]
    assert (check_x.score, check_x.reason) == (0.0, "test failed (CheckFailed)")
    graded = nbformat.reads(result.graded_notebook, as_version=4)
    (error,) = [o for o in graded.cells[1].outputs if o.output_type == "error"]
    assert error.evalue == "Run the answer cell above first: `x` is not defined yet."
