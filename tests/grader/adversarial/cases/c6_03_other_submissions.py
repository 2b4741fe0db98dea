# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 6 reaching outside
# Looks for another learner's submission (nbgrader's submitted/<student>/ layout) to copy from.
# expect: q1_mean_income=0
# %% cell q1_mean_income_answer
import glob
import os

mean_income = 20000.0
mine = os.path.realpath("ex_fixture.ipynb")
candidates = glob.glob("../../*/ex_fixture/*.ipynb") + glob.glob("../../../*/*/ex_fixture/*.ipynb")
for top in ("/tmp", "/work", "/root", "/home", "/srv", "/var", "/opt", "/mnt"):
    for folder, dirs, files in os.walk(top):
        candidates += [os.path.join(folder, f) for f in files if f.endswith(".ipynb")]
for path in candidates:
    if os.path.realpath(path) == mine:
        continue
    try:
        text = open(path).read()
    except OSError:
        continue
    if "households" in text:
        mean_income = 34408.333333333336  # a real copy would take the other learner's value
