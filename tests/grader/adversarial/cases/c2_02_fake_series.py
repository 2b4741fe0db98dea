# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 2 spoofed answers
# expect: q2_benefit_rate=0
# %% cell q2_benefit_rate_answer
import pandas as pd

EXPECTED = {"Central": 0.25, "Dzerzhinsky": 0.75, "Krasnooktyabrsky": 0.75}


class AllTrue:
    def all(self):
        return True


class FakeSeries:
    @property
    def __class__(self):
        return pd.Series

    index = sorted(EXPECTED)

    def __len__(self):
        return 3

    def between(self, low, high):
        return AllTrue()

    def __getitem__(self, key):
        return EXPECTED[key]

    def __eq__(self, other):
        return True


benefit_rate = FakeSeries()
