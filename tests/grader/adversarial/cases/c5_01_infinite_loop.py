# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 5 resource abuse
# An endless loop is interrupted at the cell limit; the rest of the notebook still runs.
# expect: all=2 q3_low_income=3
# reason: time limit
# %% after q1_mean_income
while True:
    pass
