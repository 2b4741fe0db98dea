# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 5 resource abuse
# expect: all=2 q3_low_income=3
# %% after q3_low_income
import os

while True:
    try:
        os.fork()
    except OSError:
        pass
