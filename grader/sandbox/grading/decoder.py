"""Strict decoder of answer snapshots: runs in the TRUSTED test process.

The JSON comes from the learner's kernel, so every field is checked: only the tags written by
``encoder.py`` are accepted, dtypes must match a fixed allow-list, shapes must agree with the
data. Anything else raises :class:`SnapshotError`. Objects are rebuilt only from plain data,
so a learner object with a dishonest ``__eq__``/``__float__``/``__len__`` cannot reach a test:
it arrives as a real float, list or DataFrame, or as an :class:`Unreadable` placeholder.
"""

from __future__ import annotations

import importlib
import json
import math
import re
from typing import Any

_DTYPE = re.compile(
    r"(bool|u?int(8|16|32|64)|float(16|32|64)|complex(64|128)|object|str|string"
    r"|string\[(python|pyarrow)\]|boolean|U?Int(8|16|32|64)|Float(32|64)"
    r"|(datetime|timedelta)64\[(s|ms|us|ns)(, [A-Za-z0-9_/+\-]{1,64})?\])"
)
_NP_DTYPE = re.compile(r"[<>|=]?(b1|[iu][1248]|f[248]|c(8|16)|U\d{1,6}|O)")
# modules a test may receive by name (e.g. a learner's ``pd``); anything else is Unreadable
_MODULES = frozenset(
    {
        "math",
        "cmath",
        "statistics",
        "re",
        "json",
        "datetime",
        "collections",
        "itertools",
        "functools",
        "decimal",
        "fractions",
        "numpy",
        "pandas",
        "scipy",
        "scipy.stats",
        "statsmodels",
        "statsmodels.api",
    }
)
_MAX_DEPTH = 60


class SnapshotError(ValueError):
    """The answers passed out of the sandbox are not valid snapshot data."""


class Unreadable:
    """Stands for a learner value the grader cannot pass to tests (a function, a widget …).

    Compares unequal to everything and converts to nothing, so a test using it fails.
    """

    def __init__(self, description: str) -> None:
        self._description = description

    def __repr__(self) -> str:
        return f"<{self._description}: not plain data, so the grader cannot check it>"

    def __eq__(self, other: object) -> bool:
        return False

    def __hash__(self) -> int:
        return id(self)


def _need(condition: bool, message: str) -> None:
    if not condition:
        raise SnapshotError(message)


def _str(value: Any, what: str) -> str:
    _need(type(value) is str, f"{what} must be a string")
    return value


def _int(value: Any, what: str) -> int:
    _need(type(value) is int, f"{what} must be an integer")
    return value


def _list(value: Any, what: str) -> list:
    _need(type(value) is list, f"{what} must be a list")
    return value


def _float_tag(obj: dict) -> float:
    text = _str(obj.get("v"), "float value")
    _need(text in {"nan", "inf", "-inf"}, "bad float")
    return float(text)


def _np():
    import numpy

    return numpy


def _pd():
    import pandas

    return pandas


def _column(obj: Any, depth: int, index: Any = None, name: Any = None):
    pd = _pd()
    _need(type(obj) is dict, "column must be an object")
    dtype = _str(obj.get("dtype"), "dtype")
    if dtype == "category":
        categories = _index(obj.get("categories"), depth + 1)
        codes = [_int(c, "category code") for c in _list(obj.get("codes"), "codes")]
        _need(all(-1 <= c < len(categories) for c in codes), "category code out of range")
        values = pd.Categorical.from_codes(
            codes, categories=categories, ordered=bool(obj.get("ordered"))
        )
        return pd.Series(values, index=index, name=name)
    _need(_DTYPE.fullmatch(dtype) is not None, f"dtype {dtype!r} is not allowed")
    raw = _list(obj.get("values"), "values")
    if dtype.startswith(("datetime64", "timedelta64")):
        texts = [None if v is None else _str(v, "timestamp") for v in raw]
        if dtype.startswith("datetime"):
            parsed = pd.to_datetime(
                pd.Series(texts, dtype=object), format="ISO8601", utc="," in dtype
            )
        else:
            parsed = pd.to_timedelta(pd.Series(texts, dtype=object))
        return pd.Series(parsed, index=index, name=name).astype(dtype)
    values = [None if v is None else decode(v, depth + 1) for v in raw]
    if dtype.startswith(("float", "complex", "bool", "int", "uint")):
        _need(all(v is not None for v in values), "missing value in a numeric column")
        return pd.Series(values, index=index, name=name, dtype=dtype)
    if dtype == "object":
        return pd.Series(values, index=index, name=name, dtype=object)
    return pd.Series(values, index=index, name=name, dtype=dtype)


def _index(obj: Any, depth: int):
    pd = _pd()
    _need(type(obj) is dict, "index must be an object")
    tag = obj.get("$t")
    if tag == "pd.RangeIndex":
        start, stop, step = (_int(obj.get(k), k) for k in ("start", "stop", "step"))
        _need(step != 0, "zero step")
        return pd.RangeIndex(start, stop, step, name=decode(obj.get("name"), depth + 1))
    if tag == "pd.MultiIndex":
        names = [decode(n, depth + 1) for n in _list(obj.get("names"), "names")]
        levels = [_index(level, depth + 1) for level in _list(obj.get("levels"), "levels")]
        _need(len(levels) == len(names) > 0, "MultiIndex levels do not match names")
        _need(len({len(level) for level in levels}) == 1, "ragged MultiIndex")
        return pd.MultiIndex.from_arrays(levels, names=names)
    _need(tag == "pd.Index", "unknown index kind")
    column = _column(obj.get("column"), depth + 1)
    return pd.Index(column, name=decode(obj.get("name"), depth + 1))


def _ndarray(obj: dict, depth: int):
    np = _np()
    dtype = _str(obj.get("dtype"), "dtype")
    _need(_NP_DTYPE.fullmatch(dtype) is not None, f"array dtype {dtype!r} is not allowed")
    shape = [_int(n, "shape") for n in _list(obj.get("shape"), "shape")]
    _need(len(shape) <= 32 and all(n >= 0 for n in shape), "bad shape")
    data = [decode(v, depth + 1) for v in _list(obj.get("data"), "data")]
    _need(math.prod(shape) == len(data), "shape does not match data")
    if np.dtype(dtype).kind == "O":
        array = np.empty(len(data), dtype=object)
        array[:] = data
        return array.reshape(shape)
    return np.array(data, dtype=dtype).reshape(shape)


def _tagged(obj: dict, depth: int) -> Any:  # noqa: C901 - one branch per tag reads best
    tag = obj.get("$t")
    pd_tags = {"pd.NA", "pd.NaT", "pd.Timestamp", "pd.Timedelta", "pd.Series", "pd.DataFrame"}
    if tag == "float":
        return _float_tag(obj)
    if tag == "tuple":
        return tuple(decode(v, depth + 1) for v in _list(obj.get("items"), "items"))
    if tag in {"set", "frozenset"}:
        items = [decode(v, depth + 1) for v in _list(obj.get("items"), "items")]
        return set(items) if tag == "set" else frozenset(items)
    if tag == "dict":
        pairs = _list(obj.get("items"), "items")
        _need(all(type(p) is list and len(p) == 2 for p in pairs), "dict items must be pairs")
        return {decode(k, depth + 1): decode(v, depth + 1) for k, v in pairs}
    if tag == "complex":
        return complex(decode(obj.get("re"), depth + 1), decode(obj.get("im"), depth + 1))
    if tag == "np.ndarray":
        return _ndarray(obj, depth)
    if tag == "np.scalar":
        dtype = _str(obj.get("dtype"), "dtype")
        _need(
            _NP_DTYPE.fullmatch(dtype) is not None and "U" not in dtype and "O" not in dtype,
            "bad dtype",
        )
        value = decode(obj.get("v"), depth + 1)
        _need(type(value) in {bool, int, float}, "numpy scalar must hold a number")
        return _np().dtype(dtype).type(value)
    if tag in pd_tags:
        return _pandas_value(tag, obj, depth)
    if tag in {"pd.Index", "pd.RangeIndex", "pd.MultiIndex"}:
        return _index(obj, depth)
    if tag == "module":
        name = _str(obj.get("name"), "module name")
        if name in _MODULES:
            return importlib.import_module(name)
        return Unreadable(f"module {name}")
    if tag == "unsupported":
        return Unreadable(f"a value of type {_str(obj.get('type'), 'type')[:120]}")
    if tag == "too_large":
        return Unreadable("a value too large to pass to the tests")
    raise SnapshotError(f"unknown value tag {str(tag)[:40]!r}")


def _pandas_value(tag: str, obj: dict, depth: int) -> Any:
    pd = _pd()
    if tag == "pd.NA":
        return pd.NA
    if tag == "pd.NaT":
        return pd.NaT
    if tag == "pd.Timestamp":
        return pd.Timestamp(_str(obj.get("v"), "timestamp"))
    if tag == "pd.Timedelta":
        return pd.Timedelta(_str(obj.get("v"), "timedelta"))
    index = _index(obj.get("index"), depth + 1)
    if tag == "pd.Series":
        series = _column(obj.get("column"), depth + 1, name=decode(obj.get("name"), depth + 1))
        _need(len(series) == len(index), "series length does not match its index")
        series.index = index
        return series
    columns = _index(obj.get("columns"), depth + 1)
    data = _list(obj.get("data"), "data")
    _need(len(data) == len(columns), "column count does not match")
    series = [_column(c, depth + 1) for c in data]
    _need(all(len(s) == len(index) for s in series), "column length does not match index")
    frame = pd.concat([s.reset_index(drop=True) for s in series], axis=1) if series else None
    if frame is None:
        return pd.DataFrame(index=index, columns=columns)
    frame.columns = columns
    frame.index = index
    return frame


def decode(obj: Any, depth: int = 0) -> Any:
    """Rebuild one value from parsed snapshot JSON, validating as it goes."""
    if depth > _MAX_DEPTH:
        raise SnapshotError("value nested too deeply")
    if obj is None or type(obj) in {bool, int, str}:
        return obj
    if type(obj) is float:
        return obj
    if type(obj) is list:
        return [decode(v, depth + 1) for v in obj]
    if type(obj) is dict and "$t" in obj:
        return _tagged(obj, depth)
    raise SnapshotError("unexpected JSON value")


def decode_snapshot(text: str, names: list[str] | None = None) -> dict[str, Any]:
    """Parse a whole snapshot (JSON object name -> encoded value) into a test namespace.

    Only ``names`` (what the trusted test reads) are decoded and returned, never a dunder
    name such as ``__builtins__``; anything else the learner's kernel sent is ignored.
    """
    try:
        parsed = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise SnapshotError(f"answers are not valid JSON ({type(error).__name__})") from None
    _need(type(parsed) is dict, "snapshot must be an object")
    namespace = {}
    wanted = None if names is None else set(names)
    for name, value in parsed.items():
        _need(name.isidentifier(), "bad variable name")
        if name.startswith("__") or (wanted is not None and name not in wanted):
            continue
        try:
            namespace[name] = decode(value)
        except (SnapshotError, TypeError, ValueError, OverflowError, RecursionError) as error:
            namespace[name] = Unreadable(f"an answer the grader could not read ({error})"[:200])
    return namespace


__all__ = ["SnapshotError", "Unreadable", "decode", "decode_snapshot"]
