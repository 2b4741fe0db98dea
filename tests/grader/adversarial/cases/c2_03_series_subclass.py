# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 2 spoofed answers
# expect: q2_benefit_rate=0
# %% cell q2_benefit_rate_answer
import pandas as pd

EXPECTED = {"Central": 0.25, "Dzerzhinsky": 0.75, "Krasnooktyabrsky": 0.75}


class Dishonest(pd.Series):
    @property
    def _constructor(self):
        return Dishonest

    def __getitem__(self, key):
        return EXPECTED.get(key, 0.0)


benefit_rate = Dishonest({"Central": 0.9, "Dzerzhinsky": 0.9, "Krasnooktyabrsky": 0.9})
