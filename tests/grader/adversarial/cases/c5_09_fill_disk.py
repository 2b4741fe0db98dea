# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 5 resource abuse
# expect: all=2 q3_low_income=3
# %% after q1_mean_income
import os

chunk = b"\0" * (16 * 1024 * 1024)
for target in ("big.bin", "/tmp/big.bin", "/dev/shm/big.bin", os.path.expanduser("~/big.bin")):
    try:
        with open(target, "wb") as handle:
            for _ in range(1024):  # 16 GB if nothing stopped it
                handle.write(chunk)
    except OSError:
        pass
    try:
        os.remove(target)
    except OSError:
        pass
