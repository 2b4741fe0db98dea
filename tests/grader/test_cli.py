"""The command line: --help everywhere, one clear error line and a non-zero exit."""

from __future__ import annotations

import subprocess
import sys

import pytest

from grader.cli import run
from tests.grader.conftest import REPO

VERBS = ["release", "check", "collect", "autograde", "feedback", "export", "report", "formgrader"]


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


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["autograde", "ex", "--workers", "0"], "argument --workers: must be at least 1, got 0"),
        (["autograde", "ex", "--workers", "two"], "argument --workers: 'two' is not a whole"),
        (["check", "no_such_exercise"], "unknown exercise 'no_such_exercise' in exercises"),
        (["release", "--course", "/proc/grader-test/course"], "cannot create the course"),
        (["collect", "{ex}", "--course", "{course}", "--from", "{tmp}/\x1b[2Jx.zip"], "no such"),
    ],
)
def test_stumbles_are_one_error_line(argv, message, course, exercise, tmp_path, capsys):
    values = {"tmp": tmp_path, "course": course, "ex": exercise.id}
    argv = [a.format(**values).replace("\\x1b", "\x1b") for a in argv]
    try:
        code = run(argv)
    except SystemExit as exc:  # argparse's usage errors
        code = exc.code
    assert code == 2
    line = _error_line(capsys)
    assert line.startswith("error: ") and message in line, line
    assert "\x1b" not in line


def test_formgrader_starts_on_the_course(course, tmp_path):
    """One command, from any folder: the course's formgrader on 127.0.0.1 behind a token."""
    import json
    import os
    import re
    import time
    import urllib.request

    from grader.formgrader import free_port

    port = free_port()
    elsewhere = tmp_path / "repo-root"
    elsewhere.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-m", "grader", "formgrader", "--course", str(course), "--port",
         str(port)],
        cwd=elsewhere, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    try:
        first = proc.stdout.readline() + proc.stdout.readline()
        url = re.search(r"open (http://127\.0\.0\.1:\d+/formgrader\?token=\S+)", first)
        assert url, first
        token = url.group(1).split("token=")[1]
        api = f"http://127.0.0.1:{port}/formgrader/api/assignments?token={token}"
        deadline, answer = time.monotonic() + 90, None
        while time.monotonic() < deadline and answer is None:
            try:
                with urllib.request.urlopen(api, timeout=5) as resp:
                    answer = json.loads(resp.read())
            except OSError:
                time.sleep(1)
        assert answer is not None, "formgrader did not answer"
        names = [a["name"] for a in answer]
        assert names == sorted(p.name for p in (course / "source").iterdir())
        try:  # no token, no data: a refusal or the login page
            with urllib.request.urlopen(api.split("?")[0], timeout=5) as resp:
                assert "/login" in resp.geturl()
        except urllib.error.HTTPError as exc:
            assert exc.code in (401, 403)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    # the command became Jupyter: stopping it left no server behind
    with pytest.raises(OSError):
        urllib.request.urlopen(api, timeout=5)
    assert not (elsewhere / "gradebook.db").exists(), "no stray gradebook"
    assert sorted(p.name for p in elsewhere.iterdir()) == []


def test_progress_is_drawn_by_rich_and_safe():
    import io

    from grader.progress import Progress

    stream = io.StringIO()
    bar = Progress(2, "grading ex", stream=stream)
    bar.advance("anna")
    bar.advance("evil\x1b]0;title\x07[bold]x[/bold]")
    text = stream.getvalue()
    assert "2/2" in text and "grading ex" in text
    assert "\x1b]0" not in text and "[bold]x[/bold]" in text  # shown, not obeyed


def test_log_lines_are_safe_on_a_terminal():
    import logging

    from grader.cli import _SafeFormatter

    record = logging.LogRecord("grader", logging.WARNING, "x", 1, "bad %s", ("a\x1b[2Jb",), None)
    assert _SafeFormatter("%(message)s").format(record) == "bad ab"


def test_collect_table_on_a_terminal():
    import io

    from grader.cli import _print_collect
    from grader.collect import CollectSummary

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    summary = CollectSummary("ex", imported=[("anna", "Анна_101_assignsubmission_file")])
    summary.skipped = [("[bold]x\x1b[2J.pdf", "not a notebook (.pdf)")]
    out = Terminal()
    _print_collect(summary, out)
    text = out.getvalue()
    assert "ex: 1 imported, 0 unchanged, 1 skipped" in text
    assert "anna" in text and "[bold]x" in text and "\x1b[2J" not in text
