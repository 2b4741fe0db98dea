"""The command line: --help everywhere, one clear error line and a non-zero exit."""

from __future__ import annotations

import subprocess
import sys

import pytest

from grader.cli import run

VERBS = ["release", "check", "collect", "autograde", "feedback", "export", "report"]


def test_help_of_every_verb(capsys):
    for verb in VERBS:
        with pytest.raises(SystemExit) as exit_info:
            run([verb, "--help"])
        assert exit_info.value.code == 0
        assert f"usage: python -m grader {verb}" in capsys.readouterr().out


def test_module_entry_point():
    done = subprocess.run(
        [sys.executable, "-m", "grader", "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and "autograde" in done.stdout


def _error_line(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    return err[0]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["autograde", "ex", "--course", "{tmp}/none"], "course directory"),
        (["feedback", "nope", "--course", "{course}"], "unknown assignment 'nope'"),
        (["report", "nope", "--out", "{tmp}/r.html", "--course", "{course}"], "unknown assignment"),
        (
            [
                "autograde",
                "{ex}",
                "--course",
                "{course}",
                "--db",
                "postgresql+psycopg://nobody@127.0.0.1:9/none",
            ],
            "cannot open the gradebook postgresql+psycopg://nobody@127.0.0.1:9/none",
        ),
        (
            ["autograde", "{ex}", "--course", "{course}", "--dask", "tcp://127.0.0.1:9"],
            "cannot reach the Dask scheduler at tcp://127.0.0.1:9",
        ),
        (["release", "nope", "--course", "{tmp}/c2", "--exercises", "{tmp}"], "unknown exercise"),
        (["export", "--format", "csv", "--course", "{course}", "--assignment", "zz"], "unknown"),
    ],
)
def test_errors_are_one_line(argv, message, course, exercise, tmp_path, capsys):
    values = {"tmp": tmp_path, "course": course, "ex": exercise.id}
    before = sorted(p.relative_to(course) for p in course.rglob("*"))
    code = run([a.format(**values) for a in argv])
    assert code == 2
    line = _error_line(capsys)
    assert line.startswith("error: ") and message in line
    assert sorted(p.relative_to(course) for p in course.rglob("*")) == before
    assert not (tmp_path / "c2").exists()


def test_course_id_is_set_once_and_kept(tmp_path, mini_exercise):
    from grader import release
    from grader.course import Course

    course = tmp_path / "course"
    common = {"exercises": mini_exercise.folder.parent, "datasets": mini_exercise.datasets}
    release.main(assignments=[mini_exercise.id], course=course, course_id="spring-2027", **common)
    assert "course_id = 'spring-2027'" in (course / "nbgrader_config.py").read_text()
    release.main(assignments=[mini_exercise.id], course=course, **common)  # no --course-id again
    opened = Course.open(course)
    assert opened.course_id == "spring-2027"
    assert opened.nbgrader_coursedir().course_id == "spring-2027"
    assert run(["release", "--course", str(course), "--course-id", "bad id!"]) == 2
