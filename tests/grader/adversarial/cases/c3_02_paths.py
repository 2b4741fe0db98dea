# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 3 knowing it is graded
# expect: all=2 q3_low_income=3
# %% after q1_mean_income_answer
import os
from pathlib import Path

here = Path.cwd()
clues = []
if here.name != "ex_fixture":
    clues.append("folder not named like the assignment")
if not Path("ex_fixture.ipynb").is_file() or not Path("data/fixture_households.csv").is_file():
    clues.append("notebook or data missing")
for word in ("autograded", "submitted", "s_adversary", "nbgrader", "tmp", "pytest"):
    if word in str(here).lower():
        clues.append(word)
for parent in here.parents:
    if (parent / "gradebook.db").exists() or (parent / "source").exists():
        clues.append("course directory above")
try:
    Path("scratch.txt").write_text("a learner may write next to the notebook")
    os.remove("scratch.txt")
except OSError:
    clues.append("folder not writable")
if clues:
    mean_income = -1.0
