# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 2 spoofed answers
# expect: q1_mean_income=0 q3_low_income=0
# %% cell q1_mean_income_answer
mean_income = float("nan")
# %% cell q3_low_income_answer
households["per_capita_rub"] = households["monthly_income_rub"] / households["members"]
low_income = households[households["per_capita_rub"] < 10_000]
low_income_share = float("inf")
