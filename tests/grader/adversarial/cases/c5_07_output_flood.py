# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 5 resource abuse
# limits: output_bytes=200000
# expect: all=2 q3_low_income=3
# reason: output truncated
# %% after q1_mean_income
for i in range(20_000):
    print("flood " * 50)
