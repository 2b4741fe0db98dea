# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 1 hiding failures
# expect: q3_low_income=0
# %% cell q3_low_income_answer
import builtins

households["per_capita_rub"] = households["monthly_income_rub"] / households["members"]
low_income = households.head(2)
low_income_share = 0.1


class NeverRaised(Exception):
    pass


builtins.AssertionError = NeverRaised
builtins.isinstance = lambda *args: True
builtins.abs = lambda value: 0
builtins.set = lambda *args: {"same"}
builtins.len = lambda value: 7
