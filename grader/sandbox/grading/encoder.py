"""Answer snapshot encoder: runs INSIDE the learner's sandboxed kernel.

This file is sent as code into the learner's kernel in place of each test cell (see
``snapshot.py``), so it may use only the standard library plus numpy/pandas when the learner
already imported them. It turns the variables a test needs into tagged JSON; nothing here is
trusted. The learner controls this interpreter, so its output is treated as learner data and
validated by ``decoder.py`` in the trusted test process. Keep it free of project imports.

Tagged values are JSON objects with a ``"$t"`` key; plain JSON covers None/bool/int/float/str
and lists. Values that cannot be represented become ``{"$t": "unsupported", "type": ...}``.
"""

import json
import math
import re
import sys

_MAX_DEPTH = 50
# IPython's own names in a kernel namespace (history, output cache, helpers): never answers
_KERNEL_NAME = re.compile(r"_{1,3}|_i{1,3}|_i?\d+|_[oid]h|In|Out|exit|quit|get_ipython|__.*__")


def _qualname(value):
    kind = type(value)
    return f"{getattr(kind, '__module__', '?')}.{getattr(kind, '__qualname__', '?')}"


def _float(value):
    # repr of the base float keeps the exact value; NaN/inf become tagged strings
    number = float.__float__(value)
    if math.isfinite(number):
        return number
    return {"$t": "float", "v": repr(number)}


def _scalar_list(values, depth):
    return [_enc(v, depth + 1) for v in values]


def _index(index, depth):
    pd = sys.modules["pandas"]
    if type(index) is pd.RangeIndex:
        return {
            "$t": "pd.RangeIndex",
            "start": index.start,
            "stop": index.stop,
            "step": index.step,
            "name": _enc(index.name, depth + 1),
        }
    if type(index) is pd.MultiIndex:
        return {
            "$t": "pd.MultiIndex",
            "names": _scalar_list(index.names, depth),
            "levels": [_index(index.get_level_values(i), depth + 1) for i in range(index.nlevels)],
        }
    return {
        "$t": "pd.Index",
        "name": _enc(index.name, depth + 1),
        "column": _column(pd.Series(index, dtype=index.dtype), depth),
    }


def _column(series, depth):
    pd = sys.modules["pandas"]
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return {
            "dtype": "category",
            "ordered": bool(dtype.ordered),
            "categories": _index(dtype.categories, depth + 1),
            "codes": [int(c) for c in series.cat.codes.tolist()],
        }
    kind = getattr(dtype, "kind", "O")
    if kind in "mM":
        values = [None if pd.isna(v) else v.isoformat() for v in series.tolist()]
        return {"dtype": str(dtype), "values": values}
    if depth + 1 > _MAX_DEPTH:
        raise ValueError("nesting too deep")
    if kind in "biuf" and not isinstance(dtype, pd.api.extensions.ExtensionDtype):
        # tolist() gives plain bool/int/float: what _enc returns for each, without the calls
        values = series.tolist()
        if kind == "f":
            values = [v if math.isfinite(v) else _float(v) for v in values]
        return {"dtype": str(dtype), "values": values}
    values = [
        v if type(v) is str else None if v is pd.NA else _enc(v, depth + 1) for v in series.tolist()
    ]
    return {"dtype": str(dtype), "values": values}


def _pandas(value, depth):
    pd = sys.modules.get("pandas")
    if pd is None:
        return None
    kind = type(value)
    if kind is pd.DataFrame:
        return {
            "$t": "pd.DataFrame",
            "index": _index(value.index, depth),
            "columns": _index(value.columns, depth),
            "data": [_column(value.iloc[:, i], depth) for i in range(value.shape[1])],
        }
    if kind is pd.Series:
        return {
            "$t": "pd.Series",
            "name": _enc(value.name, depth + 1),
            "index": _index(value.index, depth),
            "column": _column(value, depth),
        }
    if isinstance(value, pd.Index) and kind.__module__.startswith("pandas."):
        return _index(value, depth)
    if kind is pd.Timestamp:
        return {"$t": "pd.Timestamp", "v": value.isoformat()}
    if kind is pd.Timedelta:
        return {"$t": "pd.Timedelta", "v": value.isoformat()}
    if value is pd.NA:
        return {"$t": "pd.NA"}
    if value is pd.NaT:
        return {"$t": "pd.NaT"}
    return None


def _numpy(value, depth):
    np = sys.modules.get("numpy")
    if np is None:
        return None
    if type(value) is np.ndarray:
        if value.dtype.kind not in "biufUO":
            return None
        flat = value.reshape(-1).tolist()
        if value.dtype.kind == "O":
            flat = _scalar_list(flat, depth)
        elif value.dtype.kind == "f":
            flat = [_float(v) for v in flat]
        return {
            "$t": "np.ndarray",
            "dtype": value.dtype.str,
            "shape": list(value.shape),
            "data": flat,
        }
    if isinstance(value, np.generic) and type(value).__module__ == "numpy":
        if value.dtype.kind not in "biuf":
            return None
        item = value.item()
        return {"$t": "np.scalar", "dtype": value.dtype.str, "v": _enc(item, depth + 1)}
    return None


def _enc(value, depth=0):
    if depth > _MAX_DEPTH:
        raise ValueError("nesting too deep")
    if value is None or type(value) is bool:
        return value
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int.__index__(value)
    if isinstance(value, float) and type(value).__module__ != "numpy":
        return _float(value)
    if isinstance(value, str):
        return str.__str__(value)
    for special in (_numpy, _pandas):
        encoded = special(value, depth)
        if encoded is not None:
            return encoded
    if isinstance(value, complex):
        return {"$t": "complex", "re": _float(value.real), "im": _float(value.imag)}
    if isinstance(value, list):
        return _scalar_list(list.__iter__(value), depth)
    if isinstance(value, tuple):
        return {"$t": "tuple", "items": _scalar_list(tuple.__iter__(value), depth)}
    if isinstance(value, set | frozenset):
        tag = "frozenset" if isinstance(value, frozenset) else "set"
        return {"$t": tag, "items": _scalar_list(list(value), depth)}
    if isinstance(value, dict):
        items = [[_enc(k, depth + 1), _enc(v, depth + 1)] for k, v in dict.items(value)]
        return {"$t": "dict", "items": items}
    if type(value).__name__ == "module":
        return {"$t": "module", "name": str(getattr(value, "__name__", ""))}
    return {"$t": "unsupported", "type": _qualname(value)}


def _elements(value):
    """A cheap lower bound on the JSON size of ``value`` in bytes (0 when unknown)."""
    try:
        kind = type(value)
        if kind is str:
            return len(value)
        if kind in (list, tuple, dict, set, frozenset):
            return 2 * len(value)
        size = getattr(value, "size", None)
        if type(size) is int and kind.__module__.split(".")[0] in ("numpy", "pandas"):
            return 2 * size
    except Exception:  # a learner object may raise anything
        pass
    return 0


def _learner_names(namespace, first):
    """Every global the learner made, besides ``first``: the snapshot carries them all, so
    nothing in this cell tells which names the (hidden) tests read."""
    chosen = set(first)
    rest = [n for n in list(dict.keys(namespace)) if type(n) is str and n not in chosen]
    return sorted(n for n in rest if n.isidentifier() and not _KERNEL_NAME.fullmatch(n))


def snapshot(namespace, names, budget):
    """Return JSON text mapping each present name to its encoded value.

    ``names`` (what the test cell's VISIBLE code reads) come first, then every other global
    of the learner in sorted order (each of those at most an eighth of the budget). Values
    whose encoding does not fit become ``too_large``; absent names are simply left out (the test then raises
    NameError itself). The trusted side keeps only the names its test reads.
    """
    out = {}
    # any other global may use an eighth of the budget: a large frame the tests never read
    # costs little time, and cannot crowd out the answers
    other_cap = budget // 8
    for name in [*names, *_learner_names(namespace, names)]:
        if name not in namespace:
            continue
        value = namespace[name]
        cap = budget if name in names else min(budget, other_cap)
        if _elements(value) > cap:
            text = json.dumps({"$t": "too_large", "bytes": _elements(value)})
        else:
            try:
                text = json.dumps(_enc(value), allow_nan=True)
            except Exception as error:  # any learner object may raise anything while encoded
                kind = f"unreadable ({type(error).__name__})"
                text = json.dumps({"$t": "unsupported", "type": kind})
        if len(text) > cap:
            text = json.dumps({"$t": "too_large", "bytes": len(text)})
        budget -= len(text)
        out[name] = text
    return "{" + ",".join(f"{json.dumps(k)}:{v}" for k, v in out.items()) + "}"
