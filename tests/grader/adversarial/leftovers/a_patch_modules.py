# SYNTHETIC hostile cell (test fixture, not learner work): runs after the honest answers and
# patches everything shared in memory, hoping the next submission's kernel inherits it.
import atexit
import builtins
import math
import os
import random
import sys
import types

import numpy
import pandas as pd

TOKEN = "__TOKEN__"


def _mark(name):
    def write(*args, **kwargs):
        with open(f"/tmp/{TOKEN}-{name}", "w") as handle:
            handle.write(TOKEN)

    return write


pd.Series.mean = lambda self, *args, **kwargs: -1.0
pd.DataFrame.mean = lambda self, *args, **kwargs: pd.Series(-1.0, index=self.columns)
pd.read_csv = lambda *args, **kwargs: pd.DataFrame({"monthly_income_rub": [-1]})
pd.LEFTOVER = TOKEN
numpy.mean = lambda *args, **kwargs: -1.0
numpy.random.random = lambda *args, **kwargs: 0.5
math.isclose = lambda *args, **kwargs: True
random.random = lambda: 0.5
for name in ("len", "sum", "round"):  # wrappers still answer right: the type gives them away
    original = getattr(builtins, name)
    setattr(builtins, name, lambda *args, _f=original, **kwargs: _f(*args, **kwargs))
setattr(builtins, f"LEFTOVER_{TOKEN}", TOKEN)
fake_json = types.ModuleType("json")
fake_json.dumps = lambda *args, **kwargs: TOKEN
fake_json.loads = lambda *args, **kwargs: {}
sys.modules["json"] = fake_json
sys.modules[TOKEN] = types.ModuleType(TOKEN)
sys.path.insert(0, f"/tmp/{TOKEN}")


class Finder:
    """A meta path finder that would hand out its own modules to whoever imports next."""

    def find_spec(self, name, path=None, target=None):
        _mark("import")()
        return None


sys.meta_path.insert(0, Finder())
sys.excepthook = _mark("excepthook")
os.register_at_fork(after_in_child=_mark("atfork"))
atexit.register(_mark("atexit"))
print("patched", TOKEN)
