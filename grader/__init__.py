"""Trainers' pipeline around nbgrader: ``python -m grader <verb>``.

One module per verb (``release``, ``check``, ``collect``, ``autograde``, ``feedback``,
``export``, ``report``), each exposing a keyword-only ``main(*, ...)``; ``grader.cli`` is the
thin command-line layer over them. nbgrader stays the source of truth: the course directory
layout and the gradebook are nbgrader's own.
"""
