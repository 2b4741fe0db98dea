# SYNTHETIC hostile cell (test fixture, not learner work): runs after the honest answers and
# tries to trace, stop and kill every process it can find or guess, its parent included.
import contextlib
import ctypes
import os
import signal
import time

TOKEN = "__TOKEN__"
PTRACE_ATTACH, PTRACE_SEIZE = 16, 0x4206
libc = ctypes.CDLL(None, use_errno=True)
own = {int(task) for task in os.listdir("/proc/self/task")}  # its own threads: a kill would hit it
listed = sorted(int(p) for p in os.listdir("/proc") if p.isdigit() and int(p) not in own)
traced, signalled = [], []
for pid in listed:
    for request in (PTRACE_SEIZE, PTRACE_ATTACH):
        if libc.ptrace(request, pid, None, None) == 0:
            traced.append(pid)
for pid in range(1, 1 << 16):  # pids of processes it cannot see, guessed
    if pid in own:
        continue
    try:
        os.kill(pid, 0)
    except OSError:
        continue
    signalled.append(pid)
print("LISTED", listed, "TRACED", traced, "SIGNALLABLE", signalled)
for pid in [*signalled, *listed, os.getppid()]:
    for signum in (signal.SIGSTOP, signal.SIGTERM, signal.SIGKILL):
        if pid not in own and pid != 0:
            with contextlib.suppress(OSError):
                os.kill(pid, signum)
for group in (0, os.getpgrp()):
    with contextlib.suppress(OSError):
        os.killpg(group, signal.SIGCONT)
with contextlib.suppress(OSError):
    os.kill(-1, signal.SIGKILL)  # every process it may signal, except itself
print("SURVIVED", TOKEN, flush=True)
time.sleep(0.5)  # let the kernel send that line out
os.killpg(0, signal.SIGKILL)  # its whole process group, itself included, as a last act
