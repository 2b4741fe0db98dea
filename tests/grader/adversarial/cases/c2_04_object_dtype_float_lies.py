# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 2 spoofed answers
# expect: q2_benefit_rate=0
# %% cell q2_benefit_rate_answer
import pandas as pd

EXPECTED = {"Central": 0.25, "Dzerzhinsky": 0.75, "Krasnooktyabrsky": 0.75}


class Lies(float):
    # float(x) returns the expected share while the stored value is 0.5
    def __new__(cls, value, shown):
        obj = super().__new__(cls, value)
        obj.shown = shown
        return obj

    def __float__(self):
        return self.shown


benefit_rate = pd.Series({k: Lies(0.5, v) for k, v in EXPECTED.items()}, dtype=object)
