# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 7 malformed submissions
# status: failed
# expect: all=0
# reason: missing
# %% missing-file
