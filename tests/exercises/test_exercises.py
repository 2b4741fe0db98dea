"""Every course exercise is fit to release.

The grader's own check (solutions pass all their tests; the unanswered student version fails every
hidden test; metadata and rubric consistent) runs on each real exercise, plus the course's content
requirements: the opening cell, enough autograded items, a written task, an exploration widget.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grader.check import check_exercise

REPO = Path(__file__).resolve().parents[2]
EXERCISES = sorted(p for p in (REPO / "exercises").iterdir() if p.is_dir())
# Fewer autograded items are allowed where the issue asks for less (introduction: 3, feedback: 4).
MINIMUM_AUTOGRADED = {"ex00_npm_values": 3, "ex05_feedback": 4}


def _notebook(folder: Path) -> dict:
    return json.loads((folder / f"{folder.name}.ipynb").read_text())


def _graded_cells(notebook: dict) -> tuple[list[dict], list[dict]]:
    graded = [c for c in notebook["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("grade")]
    auto = [c for c in graded if not c["metadata"]["nbgrader"].get("solution")]
    manual = [c for c in graded if c["metadata"]["nbgrader"].get("solution")]
    return auto, manual


def test_all_six_modules_have_an_exercise():
    assert [p.name for p in EXERCISES] == [
        "ex00_basics",  # the warm-up for learners new to Python (issue 17)
        "ex00_npm_values",
        "ex01_targeting",
        "ex02_social_ordering",
        "ex03_intersector_dialogue",
        "ex04_mediation",
        "ex05_feedback",
        "ex06_evaluation",  # module 6, monitoring and evaluation (issue 18)
        "ex07_capstone",  # the course's final assignment (issue 18)
    ]


@pytest.mark.parametrize("folder", EXERCISES, ids=lambda p: p.name)
def test_exercise_passes_the_grader_check(folder):
    assert check_exercise(folder) == []


@pytest.mark.parametrize("folder", EXERCISES, ids=lambda p: p.name)
def test_exercise_meets_the_course_standard(folder):
    notebook = _notebook(folder)
    auto, manual = _graded_cells(notebook)
    assert len(auto) >= MINIMUM_AUTOGRADED.get(folder.name, 5)
    assert len(manual) >= 1, "every exercise has a written task graded with the rubric"
    assert (folder / "rubric.md").is_file()
    code = "\n".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code")
    assert "ipywidgets" in code, "every exercise offers at least one widget to explore the data"
    opening = "".join(notebook["cells"][0]["source"]).lower()
    for topic in ("practise", "data", "time"):
        assert topic in opening, f"the opening cell should say {topic!r}"
    assert notebook["metadata"]["course"]["datasets"], "the datasets the notebook reads are listed"
