"""Command line: ``python -m grader <verb> …``, a thin layer over each verb's ``main``.

Argument parsing and printing live here; the work is done by the keyword-only
``main(*, ...)`` of ``grader.<verb>``. A :class:`GraderError` becomes one ``error:`` line
on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from grader.errors import GraderError
from grader.textsafe import terminal

log = logging.getLogger("grader")


def _course_args(p: argparse.ArgumentParser, *, db: bool = True) -> None:
    p.add_argument(
        "--course",
        type=Path,
        default=Path("course"),
        metavar="DIR",
        help="nbgrader course directory (default: course/)",
    )
    if db:
        p.add_argument(
            "--db",
            metavar="URL",
            help="gradebook SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db "
            "(default: the course's nbgrader_config.py, else "
            "sqlite:///<course>/gradebook.db)",
        )


def _only(p: argparse.ArgumentParser, flag: str, help_text: str) -> None:
    """A repeatable ``--student ID`` / ``--assignment ID`` filter, collected into a list."""
    p.add_argument(flag, dest=flag.lstrip("-") + "s", action="append", metavar="ID", help=help_text)


def _source_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--exercises",
        type=Path,
        default=Path("exercises"),
        metavar="DIR",
        help="folder of exercise folders <id>/<id>.ipynb (default: exercises/)",
    )
    p.add_argument(
        "--datasets",
        type=Path,
        default=Path("datasets"),
        metavar="DIR",
        help="folder the notebooks' course.datasets files come from (default: datasets/)",
    )


def _positive(text: str) -> int:
    """argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one ``error:`` line and exit status 2."""

    def error(self, message: str):  # type: ignore[override]
        self.exit(2, f"error: {self.prog}: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one sub-command per verb."""
    parser = _Parser(prog="python -m grader", description=__doc__.split("\n")[0])
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output")
    sub = parser.add_subparsers(dest="verb", required=True, metavar="VERB", parser_class=_Parser)

    p = sub.add_parser(
        "release",
        help="build course/ from exercises/ and release student versions",
        description="Copy exercises and their datasets into the course directory, "
        "run nbgrader generate_assignment, zip each released folder.",
    )
    p.add_argument("assignments", nargs="*", metavar="ID", help="exercise ids (default: all)")
    p.add_argument(
        "--course-id",
        metavar="NAME",
        help="course name in nbgrader's exchange, as learners' servers know it "
        "(default: the one set before, else default_course)",
    )
    p.add_argument(
        "--lang",
        choices=("en", "ru"),
        help="language of the student notebooks: ru applies exercises/<id>/i18n/ru.po "
        "(default: the course's c.Course.lang, else en)",
    )
    _course_args(p)
    _source_args(p)

    p = sub.add_parser(
        "i18n",
        help="exercise translations: extract, update or check the gettext catalogues",
        description="extract: write exercises/<id>/i18n/messages.pot; update: merge the current "
        "English messages into i18n/<lang>.po (new ones empty, changed ones fuzzy); status: "
        "translated/total per exercise and every missing or fuzzy message (exit 1 if any).",
    )
    p.add_argument("action", choices=("extract", "update", "status"))
    p.add_argument("assignments", nargs="*", metavar="ID", help="exercise ids (default: all)")
    p.add_argument("--lang", choices=("ru",), default="ru", help="catalogue language (default: ru)")
    p.add_argument(
        "--exercises",
        type=Path,
        default=Path("exercises"),
        metavar="DIR",
        help="folder of exercise folders <id>/<id>.ipynb (default: exercises/)",
    )

    p = sub.add_parser(
        "check",
        help="check exercises: solutions pass, blanks fail, points add up",
        description="Run every solution notebook against its tests, grade the "
        "unanswered student version (it must score 0 on every test) "
        "and check grade ids, points and the rubric.",
    )
    p.add_argument("assignments", nargs="*", metavar="ID", help="exercise ids (default: all)")
    _source_args(p)

    p = sub.add_parser(
        "collect",
        help="import submissions from a folder or zip (e.g. Moodle)",
        description="Import one notebook per student into submitted/<student>/<ID>/. "
        "Accepts Moodle downloads (4.x 'Name_123_assignsubmission_file/', 3.1-4.0 "
        "'..._file_/', flat '..._file_<name>'), <student>.ipynb files and <student>/ folders.",
    )
    p.add_argument("assignment", metavar="ID")
    p.add_argument(
        "--from",
        dest="source",
        type=Path,
        required=True,
        metavar="PATH",
        help="folder or .zip of submissions",
    )
    p.add_argument(
        "--worksheet",
        type=Path,
        metavar="CSV",
        help="the assignment's Moodle grading worksheet: names, e-mail addresses and "
        "submission times by participant id",
    )
    _course_args(p)

    p = sub.add_parser(
        "autograde",
        help="grade all submissions in parallel",
        description="Grade submissions on a local process pool or a Dask cluster; "
        "this process alone writes the gradebook and autograded/.",
    )
    p.add_argument("assignment", metavar="ID")
    p.add_argument(
        "--workers", type=_positive, metavar="N", help="local worker processes (default: cores)"
    )
    p.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="scheduler of a dask.distributed cluster, e.g. tcp://10.0.0.5:8786",
    )
    p.add_argument("--force", action="store_true", help="re-grade submissions already graded")
    p.add_argument(
        "--cold",
        action="store_true",
        help="a fresh sandbox and interpreter per submission instead of forks of a warm one "
        "(slower; for comparison, or where the warm path is unavailable)",
    )
    _only(p, "--student", "grade only this student (repeatable)")
    _course_args(p)

    p = sub.add_parser(
        "feedback",
        help="per-student HTML feedback without hidden tests",
        description="Write feedback/<student>/<ID>/<ID>.html for graded submissions.",
    )
    p.add_argument("assignment", metavar="ID")
    _only(p, "--student", "only this student (repeatable)")
    _course_args(p)

    p = sub.add_parser(
        "export",
        help="grades as CSV, a filled Moodle worksheet or a Moodle gradebook import",
        description="csv: one row per student and assignment. moodle-worksheet: the "
        "assignment's downloaded grading worksheet with Grade and Feedback comments filled. "
        "moodle: one row per learner keyed by e-mail or ID number, a column per assignment.",
    )
    p.add_argument("--format", choices=("csv", "moodle", "moodle-worksheet"), default="csv")
    p.add_argument("--out", type=Path, metavar="FILE", help="output file (default: stdout)")
    _only(p, "--assignment", "only this assignment (repeatable)")
    p.add_argument(
        "--worksheet",
        type=Path,
        metavar="CSV",
        help="Moodle grading worksheet to fill (moodle-worksheet) or to take e-mail "
        "addresses / ID numbers from (moodle)",
    )
    p.add_argument(
        "--roster",
        type=Path,
        metavar="CSV",
        help="CSV with student_id and email and/or idnumber columns (moodle)",
    )
    p.add_argument(
        "--key",
        choices=("email", "idnumber", "username"),
        default="email",
        help="user field Moodle maps the rows by (moodle; default: email; username when "
        "learners log in to the hub from Moodle, whose usernames are then the student ids)",
    )
    p.add_argument(
        "--include-partial",
        action="store_true",
        help="export grades of submissions still awaiting manual grading",
    )
    _course_args(p)

    p = sub.add_parser(
        "formgrader",
        help="start nbgrader's formgrader on the course (127.0.0.1, with a token)",
        description="Start JupyterLab in the course directory with nbgrader's formgrader, "
        "listening on 127.0.0.1 only behind a random token, and print the URL to open.",
    )
    p.add_argument("--port", type=_positive, metavar="N", help="port (default: a free one)")
    p.add_argument("--frontend", choices=("lab", "notebook"), default="lab")
    _course_args(p)

    p = sub.add_parser(
        "report",
        help="cohort dashboard (offline HTML with charts)",
        description="Score distribution, pass rate per graded item, failures and "
        "time-outs, as a self-contained HTML page.",
    )
    p.add_argument("assignment", metavar="ID")
    p.add_argument(
        "--out", type=Path, metavar="FILE", help="output file (needed for html; json/csv: stdout)"
    )
    p.add_argument("--format", choices=("html", "json", "csv"), default="html")
    p.add_argument("--lang", choices=("en", "ru"), help="page language (default: COURSE_LANG)")
    p.add_argument(
        "--node-modules",
        type=Path,
        metavar="DIR",
        help="where vega, vega-lite and vega-embed are installed "
        "(default: the repository's node_modules/)",
    )
    _course_args(p)

    p = sub.add_parser(
        "similarity",
        help="pairs of unusually similar submissions (code and written answers)",
        description="Winnowed code fingerprints (copydetect) and word shingles of written "
        "answers; evidence for the trainer's judgement, never an automatic penalty.",
    )
    p.add_argument("assignment", metavar="ID")
    p.add_argument("--out", type=Path, metavar="FILE.html", help="also write an HTML page")
    p.add_argument(
        "--against", nargs="+", type=Path, metavar="DIR", help="earlier cohorts' course folders"
    )
    p.add_argument("--lang", choices=("en", "ru"), help="page language (default: COURSE_LANG)")
    p.add_argument("--code-threshold", type=float, metavar="SHARE", help="default 0.6")
    p.add_argument("--text-threshold", type=float, metavar="SHARE", help="default 0.5")
    _course_args(p, db=False)
    return parser


def _print_lines(lines: Sequence[str], stream=None) -> None:
    for line in lines:
        # names and ids come from learners: no escape sequence reaches the terminal
        print(terminal(line), file=stream or sys.stdout)


def _print_collect(summary, stream=None) -> None:
    """On a terminal, a table of what happened to each entry; elsewhere plain lines."""
    stream = stream or sys.stdout
    if not stream.isatty():
        _print_lines(summary.lines(), stream)
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(file=stream, highlight=False)
    console.print(Text(summary.lines()[0]))
    table = Table("", "student", "entry / reason", show_header=True, header_style="bold")
    rows = [("imported", s, o) for s, o in summary.imported]
    rows += [("unchanged", s, o) for s, o in summary.unchanged]
    rows += [("skipped", "", f"{o}: {r}") for o, r in summary.skipped]
    rows += [("check time", s, n) for s, n in summary.flagged]
    for row in rows:  # Text: learner names are shown, never read as rich markup
        table.add_row(*(Text(terminal(cell)) for cell in row))
    if rows:
        console.print(table)


def _print_export(result) -> None:
    # notes go to stderr when the export itself went to stdout
    _print_lines(result.lines(), None if result.out else sys.stderr)


# verb -> (printer of main's return value); main is grader.<verb>.main
_PRINTERS: dict[str, Callable[[Any], None]] = {
    "release": lambda ids: _print_lines([f"released {i}" for i in ids]),
    "i18n": lambda result: _print_lines(result.lines()),
    "check": lambda problems: _print_lines(problems or ["all exercises pass their checks"]),
    "collect": lambda summary: _print_collect(summary),
    "autograde": lambda summary: _print_lines(summary.lines()),
    "feedback": lambda paths: _print_lines([str(p) for p in paths]),
    "export": _print_export,
    "formgrader": _print_lines,
    "report": lambda out: out and print(f"wrote {out}"),
    "similarity": lambda result: importlib.import_module("grader.similarity_page").print_terminal(
        result
    ),
}


class _SafeFormatter(logging.Formatter):
    """Log lines without escape sequences: messages quote learners' ids and file names."""

    def format(self, record: logging.LogRecord) -> str:
        return "\n".join(terminal(line) for line in super().format(record).split("\n"))


def run(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv``, run the verb, return the exit status."""
    args = vars(build_parser().parse_args(argv))
    verbose = args.pop("verbose")
    logging.basicConfig(
        level=logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING
    )
    for handler in logging.getLogger().handlers:
        handler.setFormatter(_SafeFormatter("%(levelname)s %(name)s: %(message)s"))
    if not verbose:
        # nbgrader and SQLAlchemy 2.1 are chatty about things a trainer cannot act on.
        for name in ("traitlets", "nbgrader", "sqlalchemy", "distributed"):
            logging.getLogger(name).setLevel(logging.ERROR)
        # nbgrader's gradebook trips SQLAlchemy 2.1 autoflush warnings (harmless, known)
        warnings.filterwarnings("ignore", module="nbgrader")
    verb = args.pop("verb")
    module = importlib.import_module(f"grader.{verb}")
    try:
        result = module.main(**args)
    except GraderError as exc:
        print(f"error: {terminal(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    _PRINTERS[verb](result)
    if verb == "check" and result:
        return 1
    return getattr(result, "exit_status", 0)
