# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 7 malformed submissions
# A renamed grade id on an unchanged test cell: recognised by its text, graded as usual.
# expect: all=2 q3_low_income=3
# reason: recognised by its content
# %% rename q2_benefit_rate q2_renamed
