# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 7 malformed submissions
# A made-up graded cell and a solution cell claiming to be graded are ordinary cells.
# expect: all=2 q3_low_income=3
# reason: unknown grade id
# %% fake q9_bonus 50
bonus = True
# %% meta q1_mean_income_answer grade=true
# %% meta q1_mean_income_answer points=50
