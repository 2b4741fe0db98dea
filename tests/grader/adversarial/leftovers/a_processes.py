# SYNTHETIC hostile cell (test fixture, not learner work): runs after the honest answers and
# starts everything that might outlive the kernel: a thread, a child, a double-forked daemon,
# a shell that ignores SIGTERM and a forked copy of the kernel. For 30 s each one writes a
# marker file wherever it can and overwrites the notebook's data, in case the next submission
# shares this sandbox's files.
import os
import subprocess
import sys
import threading
import time

TOKEN = "__TOKEN__"
os.environ["LEFTOVER_MARK"] = TOKEN  # every child started below carries it in its environment
LOOP = """
import os, signal, sys, time
for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
    try:
        signal.signal(signum, signal.SIG_IGN)
    except ValueError:  # not the main thread
        pass
token, name = sys.argv[1], sys.argv[2]
home = os.path.expanduser("~")
end = time.monotonic() + 30
while time.monotonic() < end:
    for place in (home, "/tmp", "/dev/shm", os.getcwd()):
        try:
            with open(f"{place}/{token}-{name}", "w") as handle:
                handle.write(token)
        except OSError:
            pass
    try:
        with open(f"{home}/ex_fixture/data/fixture_households.csv", "w") as handle:
            handle.write(f"household_id\\n{token}\\n")
    except OSError:
        pass
    time.sleep(0.2)
"""
SHELL = (
    'trap \'\' TERM HUP INT; while :; do echo "$0" > "/tmp/$0-shell"; '
    'echo "$0" > "$HOME/$0-shell"; sleep 0.2; done'
)


thread = threading.Thread(
    target=lambda: exec(LOOP.replace("sys.argv[1], sys.argv[2]", f"{TOKEN!r}, 'thread'"), {}),
    name=f"leftover-{TOKEN}",
)
thread.start()
child = subprocess.Popen([sys.executable, "-c", LOOP, TOKEN, "child"])
shell = subprocess.Popen(["/bin/sh", "-c", SHELL, TOKEN], start_new_session=True)
if os.fork() == 0:  # a daemon: double fork, new session, then a fresh python
    os.setsid()
    if os.fork() == 0:
        os.execv(sys.executable, [sys.executable, "-c", LOOP, TOKEN, "daemon"])
    os._exit(0)
forked = os.fork()
if forked == 0:  # a copy of the kernel itself (same command line, no exec)
    try:
        exec(LOOP.replace("sys.argv[1], sys.argv[2]", f"{TOKEN!r}, 'fork'"), {})
    finally:
        os._exit(0)
time.sleep(1.5)
alive = set()
for pid in (p for p in os.listdir("/proc") if p.isdigit()):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            words = handle.read().split(b"\0")
    except OSError:
        continue
    if TOKEN.encode() in words:
        alive.add(words[words.index(TOKEN.encode()) + 1].decode() or "shell")
try:
    os.kill(forked, 0)
    alive.add("fork")
except OSError:
    pass
if thread.is_alive():
    alive.add("thread")
print("LINGERING", " ".join(sorted(alive)))
