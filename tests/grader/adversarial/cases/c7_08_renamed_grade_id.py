# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 7 malformed submissions
# A test cell renamed AND emptied is no test cell any more: the item counts as deleted.
# expect: q1_mean_income=0
# reason: q1_mean_income is missing
# %% rename q1_mean_income q1_bonus
# %% meta q1_bonus points=100
# %% cell q1_bonus
print("all tests passed")
