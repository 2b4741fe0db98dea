# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 5 resource abuse
# Many processes, each under the per-process cap: the sandbox's memory cgroup stops them.
# expect: all=2 q3_low_income=3
# %% after q3_low_income
import os
import time

for _ in range(12):
    if os.fork() == 0:
        try:
            block = b"x" * (900 * 1024 * 1024)
            time.sleep(60)
        finally:
            os._exit(0)
time.sleep(60)
