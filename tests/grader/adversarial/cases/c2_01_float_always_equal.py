# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 2 spoofed answers
# expect: q1_mean_income=0
# %% cell q1_mean_income_answer
class Liar(float):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __float__(self):
        return 34408.333333333336

    def __sub__(self, other):
        return 0.0

    def __rsub__(self, other):
        return 0.0

    __hash__ = float.__hash__


mean_income = Liar(20000.0)
