# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 7 malformed submissions
# expect: q1_mean_income=0
# reason: q1_mean_income is missing
# %% rename q1_mean_income q1_bonus
# %% meta q1_bonus points=100
