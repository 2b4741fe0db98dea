# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 1 hiding failures
# expect: q1_mean_income=0 q3_low_income=0
# %% cell q1_mean_income_answer
import math
import sys

math.isclose = lambda *args, **kwargs: True
sys.modules["math"].isclose = math.isclose
mean_income = 20000.0
# %% cell q3_low_income_answer
households["per_capita_rub"] = households["monthly_income_rub"] / households["members"]
low_income = households[households["per_capita_rub"] < 10_000]
low_income_share = 0.25
