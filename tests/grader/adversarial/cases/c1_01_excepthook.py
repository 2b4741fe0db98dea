# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 1 hiding failures
# expect: q1_mean_income=0
# %% cell q1_mean_income_answer
import sys

sys.excepthook = lambda *args: None
mean_income = 20000.0
