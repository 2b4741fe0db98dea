# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 1 hiding failures
# expect: q2_benefit_rate=0
# %% cell q2_benefit_rate_answer
import numpy as np
import pandas as pd

np.isclose = lambda *args, **kwargs: True
np.allclose = lambda *args, **kwargs: True
pd.testing.assert_series_equal = lambda *args, **kwargs: None
pd.testing.assert_frame_equal = lambda *args, **kwargs: None
pd.Series.__eq__ = lambda self, other: pd.Series(True, index=self.index)
pd.Series.__sub__ = lambda self, other: pd.Series(0.0, index=self.index)
benefit_rate = pd.Series({"Central": 0.5, "Dzerzhinsky": 0.5, "Krasnooktyabrsky": 0.5})
