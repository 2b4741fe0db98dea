# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 7 malformed submissions
# An honest learner who copied the cells into a new notebook lost the metadata of a test cell.
# expect: all=2 q3_low_income=3
# reason: recognised by its content
# %% strip q2_benefit_rate
