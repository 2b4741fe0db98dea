# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 2 spoofed answers
# expect: q3_low_income=0
# %% cell q3_low_income_answer
import pandas as pd

households["per_capita_rub"] = households["monthly_income_rub"] / households["members"]
right_ids = ["H02", "H03", "H06", "H08", "H09", "H11", "H12"]


class Spoof(pd.DataFrame):
    @property
    def _constructor(self):
        return Spoof

    def __getitem__(self, key):
        if key == "household_id":
            return pd.Series(right_ids)
        return super().__getitem__(key)


low_income = Spoof(households.head(3))
low_income_share = 7 / 12
