# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 2 spoofed answers
# expect: q1_mean_income=0
# %% cell q1_mean_income_answer
import math


class Number:
    __class__ = float  # isinstance(x, float) is True for this instance

    def __float__(self):
        return 34408.333333333336

    def __lt__(self, other):
        return True

    def __gt__(self, other):
        return True

    def __eq__(self, other):
        return True

    def __len__(self):
        return 1


mean_income = Number()
