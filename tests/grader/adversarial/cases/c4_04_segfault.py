# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 4 exits and crashes
# expect: q2_benefit_rate=0 q3_low_income=0
# reason: kernel stopped
# %% cell q2_benefit_rate_answer
import ctypes

ctypes.string_at(0)
