# SYNTHETIC hostile cell (test fixture, not learner work): runs after the honest answers and
# changes every piece of process state a forked successor could inherit.
import contextlib
import faulthandler
import gc
import locale
import os
import random
import resource
import signal
import sys
import time
import warnings

import numpy

TOKEN = "__TOKEN__"
os.environ["LEFTOVER_ENV"] = TOKEN
os.environ["PATH"] = f"/tmp/{TOKEN}:" + os.environ["PATH"]
os.environ["PYTHONPATH"] = f"/tmp/{TOKEN}"
os.environ["TZ"] = "Asia/Krasnoyarsk"
time.tzset()
os.putenv("LEFTOVER_PUTENV", TOKEN)
os.makedirs(f"/tmp/{TOKEN}", exist_ok=True)
os.chdir(f"/tmp/{TOKEN}")
os.umask(0)
for name, value in (("RLIMIT_NOFILE", 32), ("RLIMIT_STACK", 1 << 20), ("RLIMIT_CORE", 0)):
    kind = getattr(resource, name)
    soft, hard = resource.getrlimit(kind)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(kind, (min(value, hard) if hard >= 0 else value, hard))
with contextlib.suppress(ValueError, OSError):  # raise the core soft limit up to the hard one
    resource.setrlimit(resource.RLIMIT_CORE, (resource.getrlimit(resource.RLIMIT_CORE)[1],) * 2)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
signal.signal(signal.SIGHUP, signal.SIG_IGN)
signal.signal(signal.SIGUSR1, lambda *args: None)
signal.signal(signal.SIGALRM, lambda *args: None)
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR2, signal.SIGWINCH})
os.nice(5)
sys.setrecursionlimit(500)
sys.setswitchinterval(0.5)
gc.disable()
gc.set_threshold(1, 1, 1)
warnings.simplefilter("ignore")
with contextlib.suppress(locale.Error):
    locale.setlocale(locale.LC_ALL, "C")
faulthandler.enable()
random.seed(0)
numpy.random.seed(0)
print("STATE", TOKEN, os.getcwd(), oct(os.umask(0)))
