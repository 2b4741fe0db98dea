# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 4 exits and crashes
# Tries to kill every process it can see (pid 1 included) after answering q1.
# expect: q2_benefit_rate=0 q3_low_income=0
# %% after q1_mean_income
import os
import signal

for pid in sorted((int(p) for p in os.listdir("/proc") if p.isdigit()), reverse=True):
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
