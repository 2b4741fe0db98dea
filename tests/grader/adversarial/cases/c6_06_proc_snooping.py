# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 6 reaching outside
# Looks at other processes (environment, command lines, their root folders) for answers.
# expect: q1_mean_income=0
# %% cell q1_mean_income_answer
import os
import re

mean_income = 20000.0
for pid in os.listdir("/proc"):
    if not pid.isdigit():
        continue
    for name in ("environ", "cmdline"):
        try:
            text = open(f"/proc/{pid}/{name}", "rb").read().decode(errors="ignore")
        except OSError:
            continue
        if "nbgrader" in text or "pytest" in text:
            mean_income = 34408.333333333336
    try:
        for entry in os.listdir(f"/proc/{pid}/root/tmp"):
            if entry.startswith("pytest"):
                mean_income = 34408.333333333336
    except OSError:
        pass
