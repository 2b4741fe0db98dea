# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 6 reaching outside
# Looks for another learner's submission to copy its answer.
# expect: q1_mean_income=0
# %% cell q1_mean_income_answer
import glob
import re

mean_income = 20000.0
for pattern in ("../../*/ex_fixture/*.ipynb", "/**/submitted/*/ex_fixture/*.ipynb", "/**/autograded/**/*.ipynb"):
    for path in glob.glob(pattern, recursive=True)[:50]:
        text = open(path).read()
        if "s_adversary" not in path and "mean_income = " in text:
            mean_income = 34408.333333333336
