# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 5 resource abuse
# Each cell stays under the per-cell limit; together they exceed the notebook limit.
# limits: cell_seconds=3 notebook_seconds=10
# expect: q2_benefit_rate=0 q3_low_income=0
# reason: notebook time limit
# %% after q1_mean_income
import time

time.sleep(2.5)
# %% after q1_mean_income
import time

time.sleep(2.5)
# %% after q1_mean_income
import time

time.sleep(2.5)
# %% after q1_mean_income
import time

time.sleep(2.5)
