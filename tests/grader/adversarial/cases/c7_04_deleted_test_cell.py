# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 7 malformed submissions
# expect: q2_benefit_rate=0
# reason: q2_benefit_rate is missing
# %% delete q2_benefit_rate
