# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 6 reaching outside
# Answers correctly, then tries to write everywhere that matters on the host.
# expect: all=2 q3_low_income=3
# %% after q3_low_income
import glob
import os

targets = ["/tmp", "/work", "/root", "/home", "/", "..", "../..", "../../..", "/var/tmp", "/dev/shm",
           "/proc/1/root/tmp", "/usr/local/bin", os.path.dirname(os.__file__)]
for folder in targets:
    try:
        with open(os.path.join(folder, "adversarial-canary"), "w") as handle:
            handle.write("written from the sandbox")
    except OSError:
        pass
for db in glob.glob("/**/gradebook.db", recursive=True)[:20] + ["../../../gradebook.db"]:
    try:
        with open(db, "wb") as handle:
            handle.write(b"scores overwritten")
    except OSError:
        pass
