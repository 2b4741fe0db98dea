# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 7 malformed submissions
# Points come from the SOURCE notebook only: the learner's 100 is ignored.
# expect: all=2 q3_low_income=3
# %% meta q3_low_income points=100
# %% meta w1_targeting_reflection points=100
