# SYNTHETIC probe cell (test fixture, not learner work): appended to an honest notebook (B).
# It reports, as one printed line, everything a previous submission could have left behind.
# The token of the submission graded before it is written here REVERSED, so this cell, its
# notebook and its history never contain the token itself: finding it anywhere is a leftover.
import ast as _ast
import builtins as _builtins
import gc as _gc
import hashlib as _hashlib
import importlib.util as _iutil
import locale as _locale
import os as _os
import random as _random
import resource as _resource
import signal as _signal
import sqlite3 as _sqlite3
import sys as _sys
import threading as _threading
import time as _time
import warnings as _warnings

_token = "__NEKOT__"[::-1].encode()
_home = _os.path.expanduser("~")
_places = (_home, "/tmp", "/dev/shm", "/var/tmp")
# written and removed by IPython's history thread whenever it saves: present or not by chance
_TRANSIENT = ("history.sqlite-journal", "history.sqlite-wal", "history.sqlite-shm")


def _read(path, limit=4 << 20):
    try:
        with open(path, "rb") as handle:
            return handle.read(limit)
    except OSError:
        return b""


def _files():
    listing, marked = [], []
    for place in _places:
        for root, dirs, names in _os.walk(place, onerror=lambda error: None):
            # a mount below a writable place is the read-only Python of a checkout under /tmp
            # (as in CI): not a place a submission can write, and far too big to list
            dirs[:] = [d for d in dirs if not _os.path.ismount(_os.path.join(root, d))]
            for name in sorted(dirs + names):
                path = _os.path.join(root, name)
                if name not in _TRANSIENT:
                    listing.append(path)
                if _token in name.encode() or (name in names and _token in _read(path)):
                    marked.append(path)
    return sorted(listing), sorted(marked)


def _processes():
    seen, marked = [], []
    for pid in sorted(p for p in _os.listdir("/proc") if p.isdigit()):
        cmdline = _read(f"/proc/{pid}/cmdline")
        environ = _read(f"/proc/{pid}/environ")
        text = cmdline.replace(b"\0", b" ").decode(errors="replace")
        words = [w for w in text.split() if not w.startswith(("--reuid=", "--regid="))]
        # fd numbers and file names change from run to run; the programs must not
        words = ["N" if w.isdigit() else "kernel.json" if w.endswith(".json") else w for w in words]
        seen.append(" ".join(words))
        if _token in cmdline or _token in environ:
            marked.append(text)
    return sorted(seen), marked


def _handler(signum):
    handler = _signal.getsignal(signum)
    return getattr(handler, "__qualname__", None) or str(handler)


def _status(*keys):
    lines = _read("/proc/self/status").decode().splitlines()
    return sorted(line for line in lines if line.split(":")[0] in keys)


def _history():
    path = _os.path.join(_home, ".ipython", "profile_default", "history.sqlite")
    try:
        with _sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            return db.execute("SELECT count(*) FROM sessions").fetchone()[0]
    except _sqlite3.Error as error:
        return type(error).__name__


def _sha(path):
    return _hashlib.sha256(_read(path, 1 << 30)).hexdigest() if path else None


def _behaviour():
    import json
    import math

    import numpy
    import pandas

    return {
        "series_mean": float(pandas.Series([1.0, 3.0]).mean()),
        "frame_mean": float(pandas.DataFrame({"a": [1.0, 3.0]}).mean()["a"]),
        "numpy_mean": float(numpy.mean([1.0, 3.0])),
        "isclose": math.isclose(1.0, 2.0),
        "json": json.dumps([1]),
        "json_file": getattr(json, "__file__", None),
        "pandas_file": getattr(pandas, "__file__", None),
        "pandas_attrs": sorted(n for n in vars(pandas) if "LEFTOVER" in n.upper()),
        "len_sum_round": (len("abc"), sum([1, 2]), round(2.5)),
        "random_type": type(_random.random).__name__,
        "numpy_random_type": type(numpy.random.random).__name__,
    }


def _draws():
    import numpy

    return (_random.random(), float(numpy.random.random()))


_listing, _marked_files = _files()
_seen, _marked_processes = _processes()
_free = {}
for _place in ("/tmp", "/dev/shm"):
    _free[_place] = _os.statvfs(_place).f_bfree
_mask = _os.umask(0o022)
_os.umask(_mask)
_observed = {
    "cwd": _os.getcwd(),
    "umask": _mask,
    "env": dict(_os.environ),
    "initial_env": sorted(_read("/proc/self/environ").decode(errors="replace").split("\0")),
    "rlimits": {
        name: _resource.getrlimit(getattr(_resource, name))
        for name in sorted(dir(_resource))
        if name.startswith("RLIMIT_")
    },
    "signals": {sig.name: _handler(sig) for sig in sorted(_signal.valid_signals()) if sig < 32},
    "sigmasks": _status("SigBlk", "SigIgn", "SigCgt", "NoNewPrivs", "Seccomp"),
    "priority": _os.getpriority(_os.PRIO_PROCESS, 0),
    "recursion": _sys.getrecursionlimit(),
    "switch": _sys.getswitchinterval(),
    "gc": (_gc.isenabled(), _gc.get_threshold()),
    "warnings": len(_warnings.filters),
    "tz": tuple(_time.tzname),
    "locale": _locale.setlocale(_locale.LC_ALL),
    "files": _listing,
    "marked_files": _marked_files,
    "free_blocks": _free,
    "processes": _seen,
    "marked_processes": _marked_processes,
    "threads": sorted(t.name for t in _threading.enumerate()),
    "tasks": len(_os.listdir("/proc/self/task")),
    "modules": sorted(_sys.modules),
    "marked_modules": sorted(m for m in _sys.modules if _token.decode() in m),
    "builtins": sorted((n, type(v).__name__) for n, v in vars(_builtins).items()),
    "sys_path": list(_sys.path),
    "meta_path": [type(f).__name__ for f in _sys.meta_path],
    "path_hooks": [getattr(h, "__qualname__", str(h)) for h in _sys.path_hooks],
    "hooks": (
        _sys.gettrace() is None,
        _sys.getprofile() is None,
        getattr(_sys.excepthook, "__qualname__", None),
    ),
    "data_sha": _sha("data/fixture_households.csv"),
    "pandas_sha": _sha(getattr(_iutil.find_spec("pandas"), "origin", None)),
    "history_sessions": _history(),
    "behaviour": _behaviour(),
    "draws": _draws(),
}
print("LEFTOVER-PROBE", repr(_observed))
assert _ast.literal_eval(repr(_observed)) == _observed
