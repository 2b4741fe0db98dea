# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 5 resource abuse
# limits: answer_mb=4 output_bytes=200000
# expect: all=2 q3_low_income=3
# %% after q3_low_income
print("x" * (300 * 1024 * 1024))
