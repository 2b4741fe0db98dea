# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 6 reaching outside
# Hunts for the instructor's source notebook to copy the expected value from its hidden tests.
# expect: q1_mean_income=0
# %% cell q1_mean_income_answer
import json
import os
import re

mean_income = 20000.0
candidates = ["../../../source/ex_fixture/ex_fixture.ipynb", "../../source/ex_fixture/ex_fixture.ipynb",
              "/work/main/tests/fixtures/exercises/ex_fixture/ex_fixture.ipynb"]
for top in ("/tmp", "/work", "/root", "/home", "/srv", "/var", "/opt", "/mnt"):
    for folder, dirs, files in os.walk(top):
        if folder.count("/") > 8:
            dirs[:] = []
        candidates += [os.path.join(folder, f) for f in files if f.endswith(".ipynb")]
for path in candidates:
    try:
        text = open(path).read()
    except OSError:
        continue
    found = re.search(r"isclose\(mean_income, ([0-9.]+)", text.replace('\\"', '"'))
    if "BEGIN HIDDEN TESTS" in text and found:
        mean_income = float(found.group(1))
