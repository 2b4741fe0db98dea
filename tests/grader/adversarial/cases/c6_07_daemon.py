# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 6 reaching outside
# Leaves a detached daemon behind to tamper with later gradings.
# expect: all=2 q3_low_income=3
# %% after q3_low_income
import os
import time

if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        for _ in range(600):
            time.sleep(0.5)
            try:
                open("/tmp/adversarial-canary", "w").write("still alive")
            except OSError:
                pass
    os._exit(0)
