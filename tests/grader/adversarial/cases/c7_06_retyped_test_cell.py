# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 7 malformed submissions
# expect: q1_mean_income=0
# reason: type changed
# %% cell q1_mean_income_answer
mean_income = 20000.0
# %% retype q1_mean_income
