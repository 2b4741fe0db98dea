"""check: contract problems found with precise messages; good exercises pass."""

from __future__ import annotations

import json
import shutil

import nbformat

from grader.check import check_exercise
from grader.rubric import rubric_points


def _copy(exercise, tmp_path, name):
    dest = tmp_path / "exercises" / name
    shutil.copytree(exercise.folder, dest)
    (dest / f"{exercise.id}.ipynb").rename(dest / f"{name}.ipynb")
    return dest


def _edit(folder, change):
    path = folder / f"{folder.name}.ipynb"
    nb = nbformat.read(path, as_version=4)
    change(nb)
    nbformat.write(nb, path)


def test_rubric_points_from_table_and_list():
    text = (
        "# Rubric\n\n## `w1_task` (3 points)\n\n| criterion | points |\n|---|---|\n"
        "| names it | 1 |\n| explains | **2** |\n| **Total** | **3** |\n\n## w2_other — 4 балла\n\n- does A (1 балл)\n"
        "- does B: 3 points\n"
    )
    assert rubric_points(text, "w1_task") == (3.0, 3.0)
    assert rubric_points(text, "w2_other") == (4.0, 4.0)
    assert rubric_points(text, "w3_none") == (None, None)


def test_good_exercises_pass(exercise, mini_exercise):
    assert check_exercise(exercise.folder, datasets=exercise.datasets) == []
    assert check_exercise(mini_exercise.folder, datasets=mini_exercise.datasets) == []


def test_metadata_problems_are_named_precisely(mini_exercise, tmp_path):
    folder = _copy(mini_exercise, tmp_path, "ex_bad")

    def break_it(nb):
        nb.cells[3].metadata.nbgrader["grade_id"] = "cell-b41ef16616efdfa8"
        nb.cells[5].metadata.nbgrader["points"] = 0
        nb.cells[5].source = nb.cells[5].source.replace("### END HIDDEN TESTS", "")
        nb.cells[4].metadata.nbgrader["grade_id"] = "q2_top_group"  # duplicate of the test
        nb.cells[1].outputs = [nbformat.v4.new_output("stream", text="x")]

    _edit(folder, break_it)
    (folder / "rubric.md").write_text("## w1_interpretation\n\n| c | points |\n|-|-|\n| a | 2 |\n")
    problems = "\n".join(check_exercise(folder, datasets=mini_exercise.datasets))
    assert "cell 2 (no grade_id): outputs not cleared" not in problems
    assert "cell 2: outputs not cleared" in problems
    assert "random grade_id" in problems and "cell-b41ef16616efdfa8" in problems
    assert "(q2_top_group): grade_id used twice" in problems
    assert "graded cell needs points > 0 in its metadata, has 0" in problems
    assert "needs a ### BEGIN/END HIDDEN TESTS block" in problems
    assert "criteria for w1_interpretation add up to 2, the cell is worth 3" in problems


def test_wrong_solution_and_blank_that_scores_are_reported(mini_exercise, tmp_path):
    folder = _copy(mini_exercise, tmp_path, "ex_runs")

    def break_it(nb):
        nb.cells[3].source = nb.cells[3].source.replace("5.5", "6.5")
        nb.cells[
            5
        ].source = (
            'assert True, "always"\n### BEGIN HIDDEN TESTS\nassert 1 + 1 == 2\n### END HIDDEN TESTS'
        )

    _edit(folder, break_it)
    problems = check_exercise(folder, datasets=mini_exercise.datasets)
    assert any("the solution scores 0/2 on q1_mean_score" in p for p in problems), problems
    assert any("the unanswered student version scores 1 on q2_top_group" in p for p in problems), (
        problems
    )
    assert json.dumps(problems).count("ex_runs") == len(problems)
