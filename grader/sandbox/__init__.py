"""Sandboxed grading of learner notebooks for ``grader.worker`` (see docs/security.md).

``isolation``: what keeps a learner's code in (the sandbox, its limits, warm zygotes);
``grading``: what runs and scores it (the plan, the answer channel, the trusted tests).
"""
