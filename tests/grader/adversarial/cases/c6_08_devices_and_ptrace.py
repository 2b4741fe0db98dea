# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 6 reaching outside
# Raw devices, the kernel keyring, privilege escalation, new namespaces: all must fail.
# expect: q1_mean_income=0
# %% cell q1_mean_income_answer
import ctypes
import os

mean_income = 20000.0
escaped = []
for device in ("/dev/sda", "/dev/vda", "/dev/mem", "/dev/kmsg"):
    try:
        open(device, "rb").read(16)
        escaped.append(device)
    except OSError:
        pass
try:
    os.setuid(0)
    escaped.append("setuid")
except OSError:
    pass
libc = ctypes.CDLL(None, use_errno=True)
if libc.unshare(0x10000000) == 0:  # CLONE_NEWUSER: a namespace of its own is harmless, but note it
    escaped.append("userns")
if libc.ptrace(16, 1, 0, 0) == 0:  # PTRACE_ATTACH to pid 1
    escaped.append("ptrace")
if "setuid" in escaped or "ptrace" in escaped or any(d.startswith("/dev/") for d in escaped):
    mean_income = 34408.333333333336
