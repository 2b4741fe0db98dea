# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 1 hiding failures
# expect: q1_mean_income=0
# %% cell q1_mean_income_answer
import os
import sys

sys.stderr = open(os.devnull, "w")
os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
mean_income = 20000.0
