"""Everything that touches nbgrader's gradebook, behind nbgrader's own ``Gradebook`` API.

Only the parent process of ``autograde`` (and ``release``/``collect``) calls these
functions: workers never see the database. Scores are written so that nbgrader's
formgrader reads them exactly as if ``nbgrader autograde`` had produced them, except that
manual grades and comments a trainer entered are never overwritten.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from grader.course import COURSE_ID, ensure_tools_on_path, redact
from grader.errors import GraderError

log = logging.getLogger(__name__)

NO_RESPONSE = "No response."
_RETRIES = 5


@contextmanager
def open_gradebook(url: str, course_id: str = COURSE_ID) -> Iterator[Any]:
    """Open nbgrader's ``Gradebook`` at ``url`` (creating its tables when new).

    Raises:
        GraderError: the database cannot be reached or its driver is missing.
    """
    from nbgrader.api import Gradebook
    from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

    ensure_tools_on_path()
    try:
        gb = Gradebook(url, course_id)
    except (DBAPIError, NoSuchModuleError, ArgumentError, ModuleNotFoundError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise GraderError(f"cannot open the gradebook {redact(url)}: {reason}") from None
    try:
        yield gb
    finally:
        gb.close()


def ensure_student(gb: Any, student: str, **fields: str) -> None:
    """Add ``student`` to the gradebook, or fill in names it lacks; safe under concurrency."""
    from nbgrader.api import InvalidEntry, MissingEntry

    for _ in range(_RETRIES):
        try:
            row = gb.find_student(student)
        except MissingEntry:
            try:
                gb.add_student(student, **fields)
                return
            except InvalidEntry:  # another grader added it first: look again
                gb.db.rollback()
                continue
        changed = {k: v for k, v in fields.items() if v and not getattr(row, k)}
        if changed:
            gb.update_or_create_student(student, **changed)
        return
    raise GraderError(f"could not add student {student!r} to the gradebook")


def graded_timestamps(gb: Any, assignment: str) -> dict[str, datetime | None]:
    """Submission timestamps the gradebook holds for ``assignment``, by student id."""
    from nbgrader.api import Student, SubmittedAssignment

    rows = (
        gb.db.query(Student.id, SubmittedAssignment.timestamp)
        .join(SubmittedAssignment)
        .filter(SubmittedAssignment.name == assignment)
        .all()
    )
    return dict(rows)


def store_result(
    gb: Any,
    *,
    assignment: str,
    notebook: str,
    student: str,
    timestamp: datetime | None,
    grades: Mapping[str, float | None],
    late_penalty_method: str = "none",
) -> None:
    """Write one submission's automatic scores in a single transaction.

    A submission after the assignment's due date gets nbgrader's late-submission penalty
    (``late_penalty_method``: nbgrader's ``LateSubmissionPlugin.penalty_method``), as
    ``nbgrader autograde`` would give it.

    ``grades`` maps every grade id the worker scored to its score; ``None`` means "a
    person must grade this" (an answered written task). Ids missing from ``grades``
    score 0. The submission's timestamp is set in the same commit, which is what marks
    the submission as graded (see ``graded_timestamps``), so a run killed half-way
    leaves it ungraded rather than half-graded.
    """
    from sqlalchemy.exc import DBAPIError

    for attempt in range(1, _RETRIES + 1):
        try:
            _store_once(gb, assignment, notebook, student, timestamp, grades, late_penalty_method)
            return
        except DBAPIError as exc:
            # Two graders on one PostgreSQL gradebook can deadlock or race on the same
            # rows; the transaction is rolled back whole, so retrying is safe.
            gb.db.rollback()
            if attempt == _RETRIES:
                raise
            log.warning("gradebook write for %s retried: %s", student, exc.orig)
            time.sleep(0.2 * attempt)


def _submission(gb: Any, assignment: str, student: str) -> Any:
    from nbgrader.api import InvalidEntry, MissingEntry

    for _ in range(_RETRIES):
        try:
            return gb.find_submission(assignment, student)
        except MissingEntry:
            try:
                # Created without a timestamp: it only counts as graded once the scores
                # and the timestamp are committed together below.
                return gb.add_submission(assignment, student)
            except InvalidEntry:
                gb.db.rollback()
    raise GraderError(f"could not create the submission of {student} for {assignment}")


def _store_once(gb, assignment, notebook, student, timestamp, grades, late_penalty_method) -> None:
    submission = _submission(gb, assignment, student)
    resubmitted = submission.timestamp is not None and submission.timestamp != timestamp
    nb = gb.find_submission_notebook(notebook, assignment, student)
    written_ids = set()
    for grade in sorted(nb.grades, key=lambda g: g.id):
        written = grade.cell.cell_type == "markdown"
        if written:
            written_ids.add(grade.name)
        score = grades.get(grade.name, 0.0)
        if score is None and not written:
            score = 0.0  # an autograded cell never waits for a person
        grade.auto_score = None if score is None else float(score)
        if grade.manual_score is not None:
            # A trainer graded this cell: keep the grade, ask for a second look only
            # when the learner handed in a new version.
            if resubmitted and written:
                grade.needs_manual_grade = True
        else:
            grade.needs_manual_grade = score is None
    for comment in nb.comments:
        if comment.name in written_ids and comment.name in grades:
            comment.auto_comment = NO_RESPONSE if grades[comment.name] == 0 else None
    submission.timestamp = timestamp
    gb.db.flush()
    nb.late_submission_penalty = _late_penalty(student, nb, submission, late_penalty_method)
    gb.db.commit()


def _late_penalty(student: str, nb: Any, submission: Any, method: str) -> float | None:
    from nbgrader.plugins import LateSubmissionPlugin

    seconds_late = submission.total_seconds_late or 0
    if seconds_late <= 0:
        return None
    return LateSubmissionPlugin(penalty_method=method).late_submission_penalty(
        student, nb.score, seconds_late
    )
