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


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one sub-command per verb."""
    parser = argparse.ArgumentParser(prog="python -m grader", description=__doc__.split("\n")[0])
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output")
    sub = parser.add_subparsers(dest="verb", required=True, metavar="VERB")

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
    _course_args(p)
    _source_args(p)

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
        "Accepts Moodle downloads ('Name_123_assignsubmission_file_/'), "
        "<student>.ipynb files and <student>/ folders.",
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
    _course_args(p)

    p = sub.add_parser(
        "autograde",
        help="grade all submissions in parallel",
        description="Grade submissions on a local process pool or a Dask cluster; "
        "this process alone writes the gradebook and autograded/.",
    )
    p.add_argument("assignment", metavar="ID")
    p.add_argument(
        "--workers", type=int, metavar="N", help="local worker processes (default: cores)"
    )
    p.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="scheduler of a dask.distributed cluster, e.g. tcp://10.0.0.5:8786",
    )
    p.add_argument("--force", action="store_true", help="re-grade submissions already graded")
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
        help="grades as CSV or as a Moodle grade-import file",
        description="One row per student and assignment (csv) or one row per "
        "student with a column per assignment (moodle).",
    )
    p.add_argument("--format", choices=("csv", "moodle"), default="csv")
    p.add_argument("--out", type=Path, metavar="FILE", help="output file (default: stdout)")
    _only(p, "--assignment", "only this assignment (repeatable)")
    _course_args(p)

    p = sub.add_parser(
        "report",
        help="cohort dashboard (offline HTML with charts)",
        description="Score distribution, pass rate per graded item, failures and "
        "time-outs, as a self-contained HTML page.",
    )
    p.add_argument("assignment", metavar="ID")
    p.add_argument("--out", type=Path, required=True, metavar="FILE.html")
    p.add_argument(
        "--node-modules",
        type=Path,
        metavar="DIR",
        help="where vega, vega-lite and vega-embed are installed "
        "(default: the repository's node_modules/)",
    )
    _course_args(p)
    return parser


def _print_lines(lines: Sequence[str]) -> None:
    for line in lines:
        print(line)


# verb -> (printer of main's return value); main is grader.<verb>.main
_PRINTERS: dict[str, Callable[[Any], None]] = {
    "release": lambda ids: _print_lines([f"released {i}" for i in ids]),
    "check": lambda problems: _print_lines(problems or ["all exercises pass their checks"]),
    "collect": lambda summary: _print_lines(summary.lines()),
    "autograde": lambda summary: _print_lines(summary.lines()),
    "feedback": lambda paths: _print_lines([str(p) for p in paths]),
    "export": lambda out: out and print(f"wrote {out}"),
    "report": lambda out: print(f"wrote {out}"),
}


def run(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv``, run the verb, return the exit status."""
    args = vars(build_parser().parse_args(argv))
    verbose = args.pop("verbose")
    logging.basicConfig(
        level=logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
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
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    _PRINTERS[verb](result)
    if verb == "check" and result:
        return 1
    return getattr(result, "exit_status", 0)
