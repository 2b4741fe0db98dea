# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 3 knowing it is graded
# Answers correctly unless it spots grading; full marks prove it saw nothing.
# expect: all=2 q3_low_income=3
# %% after q1_mean_income_answer
import os
import sys

WORDS = ("nbgrader", "grade", "grading", "autograd", "sandbox", "bwrap", "pytest", "student",
         "s_adversary", "submitted", "feedback", "hidden", "course", "exercise")
seen = " ".join([*os.environ, *os.environ.values(), *sys.argv, sys.executable]).lower()
spotted = [word for word in WORDS if word in seen]
spotted += [key for key in ("CI", "GITHUB_ACTIONS", "NBGRADER_EXECUTION") if key in os.environ]
if spotted:
    mean_income = -1.0
