# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 5 resource abuse
# One process: the address-space limit turns the bomb into a MemoryError; the kernel lives on.
# expect: all=2 q3_low_income=3
# %% after q1_mean_income
blocks = []
try:
    while True:
        blocks.append(b"x" * (256 * 1024 * 1024))
except MemoryError:
    blocks.clear()
try:
    huge = bytearray(10**12)
except MemoryError:
    pass
