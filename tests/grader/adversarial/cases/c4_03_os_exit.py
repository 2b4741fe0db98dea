# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 4 exits and crashes
# expect: q3_low_income=0
# reason: kernel stopped
# %% cell q3_low_income_answer
import os

os._exit(0)
