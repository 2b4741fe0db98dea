# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 7 malformed submissions
# The duplicate (placed first) would set the right answer if it ran: only the trusted test runs.
# expect: q1_mean_income=0
# reason: duplicate of cell q1_mean_income
# %% cell q1_mean_income_answer
mean_income = 20000.0
# %% duplicate q1_mean_income
mean_income = 34408.333333333336
