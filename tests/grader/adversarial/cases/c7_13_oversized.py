# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 7 malformed submissions
# limits: submission_mb=1
# status: failed
# expect: all=0
# reason: larger than
# %% pad 3
