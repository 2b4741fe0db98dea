# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 4 exits and crashes
# expect: q3_low_income=0
# reason: kernel stopped
# %% after q2_benefit_rate
import os
import signal

os.kill(os.getpid(), signal.SIGKILL)
