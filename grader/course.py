"""The nbgrader course directory: paths, configuration and assignment discovery.

The layout is nbgrader's own (``source/<id>/``, ``release/<id>/``,
``submitted/<student>/<id>/``, ``autograded/…``, ``feedback/…``) so that ``nbgrader
formgrader`` and the ``nbgrader`` CLI keep working on what this package produces.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from grader.errors import GraderError

log = logging.getLogger(__name__)

CONFIG_NAME = "nbgrader_config.py"
LOG_NAME = "grading_log.jsonl"
COURSE_ID = "default_course"  # nbgrader's own default
_COURSE_ID_FORM = re.compile(r"[A-Za-z0-9_-]+")
# nbgrader's default ignore list plus the trainer-only rubric, which must not reach learners.
IGNORE = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "rubric.md"]


def repo_root() -> Path:
    """The repository this package lives in (holds ``exercises/``, ``datasets/``, ``node_modules/``)."""
    return Path(__file__).resolve().parents[1]


def redact(url: str) -> str:
    """A database URL safe to print: the password replaced by ``***``."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def ensure_tools_on_path() -> None:
    """Put this interpreter's ``bin/`` on PATH: nbgrader runs ``alembic`` by name."""
    bindir = str(Path(sys.executable).parent)
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if bindir not in parts:
        os.environ["PATH"] = os.pathsep.join([bindir, *parts])


@dataclass(frozen=True)
class Course:
    """An nbgrader course directory and the gradebook URL that goes with it."""

    root: Path
    db_url: str
    course_id: str = COURSE_ID

    @classmethod
    def open(
        cls,
        root: Path | str,
        *,
        db: str | None = None,
        create: bool = False,
        course_id: str | None = None,
    ) -> Course:
        """Open (or with ``create=True`` make) the course directory at ``root``.

        The gradebook URL is ``db`` if given, else the one in the course's
        ``nbgrader_config.py``, else ``sqlite:///<root>/gradebook.db``.

        Raises:
            GraderError: the directory does not exist (and ``create`` is false) or ``db``
                is not a database URL.
        """
        root = Path(root).resolve()
        if not root.is_dir():
            if not create:
                raise GraderError(
                    f"course directory {root} does not exist (run `python -m grader release` "
                    "first, or pass --course DIR)"
                )
            try:
                root.mkdir(parents=True)
            except OSError as exc:
                raise GraderError(
                    f"cannot create the course directory {root}: {exc.strerror}"
                ) from None
        url = db or _configured_db_url(root) or f"sqlite:///{root / 'gradebook.db'}"
        try:
            make_url(url)
        except ArgumentError:
            raise GraderError(f"--db {url!r} is not a database URL") from None
        course_id = course_id or _configured(root, "CourseDirectory", "course_id") or COURSE_ID
        if not _COURSE_ID_FORM.fullmatch(course_id):
            raise GraderError(f"course id {course_id!r}: use letters, digits, - or _")
        return cls(root=root, db_url=url, course_id=course_id)

    # nbgrader's directories -------------------------------------------------------------
    def source_dir(self, assignment: str) -> Path:
        """``source/<id>/``: the instructor version with solutions and hidden tests."""
        return self.root / "source" / assignment

    def release_dir(self, assignment: str) -> Path:
        """``release/<id>/``: the student version."""
        return self.root / "release" / assignment

    def submitted_dir(self, student: str, assignment: str) -> Path:
        """``submitted/<student>/<id>/``."""
        return self.root / "submitted" / student / assignment

    def autograded_dir(self, student: str, assignment: str) -> Path:
        """``autograded/<student>/<id>/``."""
        return self.root / "autograded" / student / assignment

    def feedback_dir(self, student: str, assignment: str) -> Path:
        """``feedback/<student>/<id>/``."""
        return self.root / "feedback" / student / assignment

    @property
    def log_path(self) -> Path:
        """The JSON-lines log of grading outcomes that ``report`` reads."""
        return self.root / LOG_NAME

    # assignments --------------------------------------------------------------------------
    def assignments(self) -> list[str]:
        """Ids of the assignments present in ``source/``."""
        src = self.root / "source"
        return sorted(p.name for p in src.iterdir() if p.is_dir()) if src.is_dir() else []

    def notebook_name(self, assignment: str) -> str:
        """The single notebook of an assignment (``<id>`` by the exercise contract).

        Raises:
            GraderError: the assignment was never released into this course directory.
        """
        src = self.source_dir(assignment)
        notebooks = sorted(p.stem for p in src.glob("*.ipynb")) if src.is_dir() else []
        if not notebooks:
            known = ", ".join(self.assignments()) or "none"
            raise GraderError(
                f"unknown assignment {assignment!r} in {self.root} (released: {known})"
            )
        if len(notebooks) > 1:
            raise GraderError(
                f"assignment {assignment!r} has {len(notebooks)} notebooks in {src}; "
                "the exercise contract allows one"
            )
        return notebooks[0]

    def students(self, assignment: str) -> list[str]:
        """Students with a submission folder for ``assignment``, sorted.

        A linked entry is listed too (``submission_problem`` then says why it is refused),
        so that it ends as that submission's failure instead of vanishing.
        """
        sub = self.root / "submitted"
        if not sub.is_dir():
            return []
        return sorted(
            p.name
            for p in sub.iterdir()
            if (p / assignment).is_dir() or (p / assignment).is_symlink() or p.is_symlink()
        )

    def submission_problem(self, student: str, assignment: str) -> str:
        """Why ``submitted/<student>/<ID>/`` must not be graded ('' when it may be).

        No link is followed: a symbolic link anywhere from ``submitted/`` down to any file
        of the submission, or a file with a second hard link, is refused.
        """
        from grader.submissions import link_problem

        top = self.root / "submitted"
        folder = self.submitted_dir(student, assignment)
        for path in [top / student, folder]:
            problem = link_problem(path, top=top)
            if problem:
                return f"{path.relative_to(top)}: {problem}"
        for entry in sorted(folder.iterdir()):
            problem = link_problem(entry, top=top)
            if problem:
                return f"{entry.relative_to(top)}: {problem}"
        return ""

    def release_time(self, assignment: str) -> datetime | None:
        """When ``release`` last wrote the student version (its notebook's time), if it did."""
        notebooks = [p for p in self.release_dir(assignment).glob("*.ipynb") if p.is_file()]
        if not notebooks:
            return None
        return datetime.fromtimestamp(max(p.stat().st_mtime for p in notebooks), UTC)

    def nbgrader_coursedir(self):  # -> nbgrader.coursedir.CourseDirectory
        """An nbgrader ``CourseDirectory`` pointing at this course and gradebook."""
        from nbgrader.coursedir import CourseDirectory

        return CourseDirectory(
            root=str(self.root), db_url=self.db_url, ignore=IGNORE, course_id=self.course_id
        )


def _configured(root: Path, section: str, name: str) -> str | None:
    """``c.<section>.<name>`` from the course's nbgrader_config.py, if set there."""
    if not (root / CONFIG_NAME).is_file():
        return None
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader(CONFIG_NAME, path=str(root)).load_config()
    value = config.get(section, {}).get(name)
    return str(value) if value else None


def _configured_db_url(root: Path) -> str | None:
    return _configured(root, "CourseDirectory", "db_url")


TRAINER_SETTINGS_MARKER = (
    "# --- Your settings below this line are kept when the course is released again ---"
)


def late_penalty_method(root: Path) -> str:
    """``c.LateSubmissionPlugin.penalty_method`` from the course's nbgrader_config.py ('none' if unset)."""
    return _configured(root, "LateSubmissionPlugin", "penalty_method") or "none"


def write_config(course: Course, *, db_explicit: bool) -> None:
    """Write ``nbgrader_config.py`` so that nbgrader's own tools see the same course.

    Lines a trainer added below ``TRAINER_SETTINGS_MARKER`` (a late-submission policy, say)
    survive a new release.
    """
    lines = [
        "# Written by `python -m grader release`; nbgrader reads it when run from this folder.",
        "c = get_config()  # noqa: F821",
        f"c.CourseDirectory.course_id = {course.course_id!r}",
        f"c.CourseDirectory.ignore = {IGNORE!r}",
    ]
    if db_explicit:
        lines.append(f"c.CourseDirectory.db_url = {course.db_url!r}")
    kept = ["# e.g. c.LateSubmissionPlugin.penalty_method = 'zero'"]
    existing = course.root / CONFIG_NAME
    if existing.is_file() and TRAINER_SETTINGS_MARKER in existing.read_text():
        kept = existing.read_text().split(TRAINER_SETTINGS_MARKER, 1)[1].strip("\n").splitlines()
    lines += ["", TRAINER_SETTINGS_MARKER, *kept]
    atomic_write_text(course.root / CONFIG_NAME, "\n".join(lines) + "\n")


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file and a rename (never half-written)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:  # bytes as given
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def staged_dir(final: Path) -> Iterator[Path]:
    """Yield a sibling temp directory that replaces ``final`` only if the block succeeds."""
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=final.parent, prefix=f".{final.name}."))
    try:
        yield tmp
        old = final.with_name(f".{final.name}.old")
        if final.exists():
            shutil.rmtree(old, ignore_errors=True)
            final.rename(old)
        tmp.rename(final)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
