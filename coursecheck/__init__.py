"""Kind checks for the course exercises: one plain sentence instead of a traceback.

Used by the VISIBLE part of every exercise's test cells::

    from coursecheck import check
    check.defined("problems", globals())
    check.table(problems, "problems", columns=["ngo", "lsg"], rows=13)

Every failed check raises :class:`CheckFailed` holding one sentence in English or Russian;
Jupyter shows only that sentence (``_render_traceback_``). The file has no dependency beyond
the standard library (pandas and numpy are used when importable) because ``grader release``
copies it beside every student notebook as ``coursecheck.py``; the grader's trusted test
process imports the installed package instead. Every check returns None on purpose: a value
left as a test cell's last expression would be read by nbgrader as partial credit.
"""

from __future__ import annotations

import math
import numbers
import os
from collections.abc import Iterable, Mapping

DEFAULT_LANG = "en"  # `grader release --lang ru` rewrites this line in the released copy

try:  # optional: the checks also work (with fewer hints) where pandas is not installed
    import pandas as _pd
except ImportError:  # pragma: no cover - pandas is part of the course environment
    _pd = None


class CheckFailed(AssertionError):  # noqa: N818 - the name is part of the exercises' API
    """A visible check failed; the message is one sentence a beginner can act on."""

    def _render_traceback_(self) -> list[str]:
        # IPython calls this instead of printing a traceback
        return [str(self)]


def language() -> str:
    """``ru`` or ``en``: the ``COURSE_LANG`` environment variable, else the module default."""
    lang = os.environ.get("COURSE_LANG", "").strip().lower()[:2]
    return lang if lang in ("en", "ru") else DEFAULT_LANG


def message(key: str, **values: object) -> str:
    """The sentence for ``key`` in the current language, filled with ``values``."""
    templates = MESSAGES[key]
    return templates.get(language(), templates["en"]).format(**values)


def _fail(key: str, **values: object) -> None:
    raise CheckFailed(message(key, **values))


def _show(value: object, limit: int = 60) -> str:
    if hasattr(value, "item") and type(value).__module__ == "numpy":
        value = value.item()  # 12.5, not np.float64(12.5)
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _names(items: Iterable[object], limit: int = 8) -> str:
    items = list(items)
    shown = [str(i) for i in items[:limit]]
    more = len(items) - limit
    return ", ".join(shown) + (f" (+{more})" if more > 0 else "")


def _is_series(value: object) -> bool:
    return _pd is not None and isinstance(value, _pd.Series | _pd.Index)


def _is_frame(value: object) -> bool:
    return _pd is not None and isinstance(value, _pd.DataFrame)


def _kind(value: object) -> str:
    """What the learner actually has, in the words the messages use."""
    if _is_frame(value):
        return message("kind_table")
    if _is_series(value):
        return message("kind_series")
    if isinstance(value, str):
        return message("kind_text")
    if isinstance(value, Mapping):
        return message("kind_dict")
    if isinstance(value, list | tuple):
        return message("kind_list")
    return type(value).__name__


def _number(value: object, name: str) -> float:
    """``value`` as a float, or a friendly failure for the usual slips."""
    if isinstance(value, bool) or type(value).__name__ in ("bool", "bool_"):  # numpy too
        _fail("bool_not_number", name=name)
    if isinstance(value, str):
        try:
            float(value.replace(",", ".").strip().rstrip("%"))
        except ValueError:
            _fail("text_not_number", name=name, value=_show(value))
        _fail("quoted_number", name=name, value=_show(value))
    if _is_frame(value) or _is_series(value) or isinstance(value, list | tuple | Mapping):
        _fail("many_not_number", name=name, kind=_kind(value))
    if not isinstance(value, numbers.Real):
        _fail("not_number", name=name, kind=_kind(value))
    number = float(value)
    if math.isnan(number):
        _fail("nan", name=name)
    return number


class check:  # noqa: N801 - used like a module: check.number(...)
    """The checks. Each returns None or raises :class:`CheckFailed`."""

    @staticmethod
    def defined(names: str | list[str], namespace: Mapping[str, object]) -> None:
        """Each name exists in ``namespace`` (pass ``globals()``) and is not ``...`` or None."""
        for name in [names] if isinstance(names, str) else names:
            if name not in namespace:
                _fail("not_defined", name=name)
            value = namespace[name]
            if value is Ellipsis:
                _fail("still_dots", name=name)
            if value is None:
                _fail("is_none", name=name)
            if type(value).__name__ == "Unreadable":  # the grader's stand-in for a function etc.
                _fail("unreadable", name=name)

    @staticmethod
    def number(value, name: str, low=None, high=None, digits: int | None = None) -> None:
        """A real number (not text, not a column), optionally in [low, high] and rounded."""
        number = _number(value, name)
        if (low is not None and number < low) or (high is not None and number > high):
            low_text = "−∞" if low is None else f"{low:g}"
            high_text = "∞" if high is None else f"{high:g}"
            _fail("out_of_range", name=name, value=f"{number:g}", low=low_text, high=high_text)
        if digits is not None and abs(round(number, digits) - number) > 1e-9:
            _fail("not_rounded", name=name, value=_show(value), digits=digits)

    @staticmethod
    def whole_number(value, name: str, low=None, high=None) -> None:
        """A number with no fractional part (a count)."""
        check.number(value, name, low, high)
        if float(value) != int(float(value)):
            _fail("not_whole", name=name, value=_show(value))

    @staticmethod
    def percent(value, name: str, small_ok: bool = False) -> None:
        """A per-cent value 0..100; a value in (0, 1] is taken for a fraction unless small_ok."""
        number = _number(value, name)
        if not small_ok and 0 < number <= 1:
            _fail("fraction", name=name, value=f"{number:g}", times=f"{number * 100:g}")
        check.number(number, name, 0, 100)

    @staticmethod
    def percent_points(value, name: str) -> None:
        """A difference of two per-cent values: a number from −100 to 100."""
        check.number(value, name, -100, 100)

    @staticmethod
    def percents(values, name: str) -> None:
        """Every value of a Series, list or dict is a per cent 0..100 (fractions caught)."""
        if _is_frame(values):
            _fail("table_not_column", name=name)
        items = list(values.values()) if isinstance(values, Mapping) else list(values)
        numbers_ = [_number(v, name) for v in items]
        if numbers_ and max(numbers_) <= 1 and any(numbers_):
            _fail("fractions", name=name)
        for number in numbers_:
            check.number(number, name, 0, 100)

    @staticmethod
    def list_of(value, name: str, length: int | None = None, allowed=None) -> None:
        """A plain list (a Series is a common slip: ``.tolist()``), of ``length`` allowed items."""
        if _is_series(value):
            _fail("series_not_list", name=name)
        if isinstance(value, str):
            _fail("text_not_list", name=name)
        if not isinstance(value, list):
            _fail("not_list", name=name, kind=_kind(value))
        if length is not None and len(value) != length:
            _fail("wrong_length", name=name, expected=length, actual=len(value))
        if allowed is not None:
            permitted = list(allowed)
            for item in value:
                if item not in permitted:
                    _fail("not_allowed", name=name, item=_show(item), allowed=_names(permitted))

    @staticmethod
    def mapping(value, name: str, keys=None) -> None:
        """A dict holding at least ``keys``."""
        if _is_series(value):
            _fail("series_not_dict", name=name)
        if not isinstance(value, Mapping):
            _fail("not_dict", name=name, kind=_kind(value))
        missing = [k for k in keys or () if k not in value]
        if missing:
            _fail("missing_keys", name=name, missing=_names(missing), present=_names(value))

    @staticmethod
    def series(value, name: str, length: int | None = None, index=None) -> None:
        """A pandas Series (one column), optionally of ``length`` with these index labels."""
        if _is_frame(value):
            _fail("table_not_column", name=name)
        if not _is_series(value):
            _fail("not_series", name=name, kind=_kind(value))
        if length is not None and len(value) != length:
            _fail("wrong_length", name=name, expected=length, actual=len(value))
        missing = [label for label in index or () if label not in value.index]
        if missing:
            _fail("missing_labels", name=name, missing=_names(missing))

    @staticmethod
    def table(value, name: str, columns=None, rows: int | None = None, index=None) -> None:
        """A DataFrame with these columns, this many rows and these index labels."""
        if _is_series(value):
            _fail("series_not_table", name=name)
        if not _is_frame(value):
            _fail("not_table", name=name, kind=_kind(value))
        missing = [c for c in columns or () if c not in value.columns]
        if missing:
            present = _names(value.columns)
            _fail("missing_columns", name=name, missing=_names(missing), present=present)
        if rows is not None and len(value) != rows:
            _fail("wrong_rows", name=name, expected=rows, actual=len(value))
        absent = [label for label in index or () if label not in value.index]
        if absent:
            _fail("missing_labels", name=name, missing=_names(absent))

    @staticmethod
    def ordered(values, name: str, by: str | None = None, descending: bool = False) -> None:
        """Sorted ascending (or descending); ``by`` names the column of a table."""
        if by is not None:
            check.table(values, name, columns=[by])
            values = values[by]
        items = list(values)
        pairs = zip(items, items[1:], strict=False)
        if not all((a >= b) if descending else (a <= b) for a, b in pairs):
            key = "not_sorted_desc" if descending else "not_sorted_asc"
            _fail(key, name=name, by=f" ({by})" if by else "")

    @staticmethod
    def text(value, name: str, min_words: int = 1) -> None:
        """A written answer of at least ``min_words`` words."""
        if not isinstance(value, str):
            _fail("not_text", name=name, kind=_kind(value))
        words = len(value.split())
        if words < min_words:
            _fail("too_short", name=name, words=words, minimum=min_words)

    @staticmethod
    def one_of(value, name: str, options) -> None:
        """One of ``options`` (e.g. a letter of a multiple-choice question)."""
        options = list(options)
        if value not in options:
            _fail("not_option", name=name, value=_show(value), options=_names(options))

    @staticmethod
    def that(condition: object, english: str, ru: str | None = None) -> None:
        """Anything else: fail with this sentence (``ru``: its Russian version) if not true."""
        if not condition:
            raise CheckFailed(ru if ru is not None and language() == "ru" else english)

    @staticmethod
    def passed() -> None:
        """Say that the visible checks passed (printed, so it never counts as a score)."""
        print(message("passed"))


# One sentence per slip, in plain words; `name` is the variable the learner was asked to create.
MESSAGES: dict[str, dict[str, str]] = {
    "not_defined": {
        "en": "Run the answer cell above first: `{name}` is not defined yet.",
        "ru": "Сначала выполните ячейку с ответом выше: переменная `{name}` ещё не задана.",
    },
    "still_dots": {
        "en": "`{name}` is still `...`: replace the three dots with your answer and run the cell.",
        "ru": "В `{name}` всё ещё стоит `...`: замените многоточие своим ответом и выполните ячейку.",
    },
    "is_none": {
        "en": "`{name}` is None: the answer cell has to store a value in it (no `print` needed).",
        "ru": "`{name}` равна None: ячейка с ответом должна сохранить в ней значение (print не нужен).",
    },
    "unreadable": {
        "en": "`{name}` must hold plain data (a number, text, list, dict or table), not a function or object.",
        "ru": "В `{name}` должны быть данные (число, текст, список, словарь или таблица), а не функция или объект.",
    },
    "bool_not_number": {
        "en": "`{name}` is True or False, but a number is expected here.",
        "ru": "`{name}` равна True или False, а здесь нужно число.",
    },
    "quoted_number": {
        "en": "`{name}` is the text {value}, not a number: remove the quotation marks.",
        "ru": "`{name}` — это текст {value}, а не число: уберите кавычки.",
    },
    "text_not_number": {
        "en": "`{name}` is the text {value}, but a number is expected here.",
        "ru": "`{name}` — это текст {value}, а здесь нужно число.",
    },
    "many_not_number": {
        "en": "`{name}` is {kind}, but one number is expected: pick a single value (e.g. with `.loc[...]` or `.sum()`).",
        "ru": "`{name}` — это {kind}, а нужно одно число: выберите одно значение (например, через `.loc[...]` или `.sum()`).",
    },
    "not_number": {
        "en": "`{name}` should be a number, but it is {kind}.",
        "ru": "`{name}` должна быть числом, а сейчас это {kind}.",
    },
    "nan": {
        "en": "`{name}` is NaN (a missing value): check that the row and column names you used exist.",
        "ru": "`{name}` равна NaN (пропуск): проверьте, что такие строки и столбцы есть в таблице.",
    },
    "out_of_range": {
        "en": "`{name}` is {value}, but it should lie between {low} and {high}.",
        "ru": "`{name}` равна {value}, а должна быть в пределах от {low} до {high}.",
    },
    "not_rounded": {
        "en": "`{name}` is {value}: round it to {digits} decimal place(s) with `round(..., {digits})`.",
        "ru": "`{name}` равна {value}: округлите до {digits} знака(ов) после запятой через `round(..., {digits})`.",
    },
    "not_whole": {
        "en": "`{name}` is {value}, but a whole number (a count) is expected.",
        "ru": "`{name}` равна {value}, а нужно целое число (количество).",
    },
    "fraction": {
        "en": "`{name}` is {value}, which looks like a fraction: give it in per cent ({times}, not {value}).",
        "ru": "`{name}` равна {value} — похоже на долю: дайте ответ в процентах ({times}, а не {value}).",
    },
    "fractions": {
        "en": "The values in `{name}` look like fractions (all 1 or less): multiply by 100 to give per cent.",
        "ru": "Значения в `{name}` похожи на доли (все не больше 1): умножьте на 100, чтобы получить проценты.",
    },
    "table_not_column": {
        "en": "`{name}` is a whole table, but one column is expected: select it with `table['column']`.",
        "ru": "`{name}` — целая таблица, а нужен один столбец: выберите его так: `таблица['столбец']`.",
    },
    "series_not_list": {
        "en": "`{name}` is a pandas column (Series), but a plain list is expected: add `.tolist()` at the end.",
        "ru": "`{name}` — столбец pandas (Series), а нужен обычный список: добавьте в конце `.tolist()`.",
    },
    "text_not_list": {
        "en": "`{name}` is one piece of text, but a list is expected: put the items in square brackets, e.g. ['a', 'b'].",
        "ru": "`{name}` — одна строка текста, а нужен список: перечислите элементы в квадратных скобках, например ['a', 'b'].",
    },
    "not_list": {
        "en": "`{name}` should be a list in square brackets, but it is {kind}.",
        "ru": "`{name}` должна быть списком в квадратных скобках, а сейчас это {kind}.",
    },
    "wrong_length": {
        "en": "`{name}` should have {expected} items, but it has {actual}.",
        "ru": "В `{name}` должно быть элементов: {expected}, а сейчас их {actual}.",
    },
    "not_allowed": {
        "en": "`{name}` contains {item}, which is not one of the possible values: {allowed}.",
        "ru": "В `{name}` есть {item}, а это не одно из допустимых значений: {allowed}.",
    },
    "series_not_dict": {
        "en": "`{name}` is a pandas column (Series), but a dictionary is expected: add `.to_dict()` at the end.",
        "ru": "`{name}` — столбец pandas (Series), а нужен словарь: добавьте в конце `.to_dict()`.",
    },
    "not_dict": {
        "en": "`{name}` should be a dictionary in curly braces, like {{'key': value}}, but it is {kind}.",
        "ru": "`{name}` должна быть словарём в фигурных скобках, вида {{'ключ': значение}}, а сейчас это {kind}.",
    },
    "missing_keys": {
        "en": "`{name}` is missing the key(s) {missing}; it has: {present}.",
        "ru": "В `{name}` нет ключей {missing}; сейчас есть: {present}.",
    },
    "not_series": {
        "en": "`{name}` should be one pandas column (Series), but it is {kind}.",
        "ru": "`{name}` должна быть одним столбцом pandas (Series), а сейчас это {kind}.",
    },
    "missing_labels": {
        "en": "`{name}` has no rows labelled {missing}: check the index (the row names).",
        "ru": "В `{name}` нет строк с метками {missing}: проверьте индекс (названия строк).",
    },
    "series_not_table": {
        "en": "`{name}` is a single column (Series), but a table is expected: select columns with double brackets, `df[['a', 'b']]`.",
        "ru": "`{name}` — один столбец (Series), а нужна таблица: выберите столбцы в двойных скобках, `df[['a', 'b']]`.",
    },
    "not_table": {
        "en": "`{name}` should be a pandas table (DataFrame), but it is {kind}.",
        "ru": "`{name}` должна быть таблицей pandas (DataFrame), а сейчас это {kind}.",
    },
    "missing_columns": {
        "en": "`{name}` is missing the column(s) {missing}; it has: {present}.",
        "ru": "В `{name}` нет столбцов {missing}; сейчас есть: {present}.",
    },
    "wrong_rows": {
        "en": "`{name}` should have {expected} rows, but it has {actual}.",
        "ru": "В `{name}` должно быть строк: {expected}, а сейчас их {actual}.",
    },
    "not_sorted_asc": {
        "en": "`{name}` is not sorted from smallest to largest{by}: use `.sort_values(...)`.",
        "ru": "`{name}` не отсортирована по возрастанию{by}: используйте `.sort_values(...)`.",
    },
    "not_sorted_desc": {
        "en": "`{name}` is not sorted from largest to smallest{by}: use `.sort_values(..., ascending=False)`.",
        "ru": "`{name}` не отсортирована по убыванию{by}: используйте `.sort_values(..., ascending=False)`.",
    },
    "not_text": {
        "en": "`{name}` should be text in quotation marks, but it is {kind}.",
        "ru": "`{name}` должна быть текстом в кавычках, а сейчас это {kind}.",
    },
    "too_short": {
        "en": "`{name}` has {words} word(s); write at least {minimum}.",
        "ru": "В `{name}` слов: {words}; напишите не меньше {minimum}.",
    },
    "not_option": {
        "en": "`{name}` is {value}, but it should be one of: {options}.",
        "ru": "`{name}` равна {value}, а должна быть одним из вариантов: {options}.",
    },
    "kind_table": {"en": "a table (DataFrame)", "ru": "таблица (DataFrame)"},
    "kind_series": {"en": "a column (Series)", "ru": "столбец (Series)"},
    "kind_text": {"en": "text", "ru": "текст"},
    "kind_dict": {"en": "a dictionary", "ru": "словарь"},
    "kind_list": {"en": "a list", "ru": "список"},
    "passed": {
        "en": "✓ The visible checks pass. More checks run when your work is graded.",
        "ru": "✓ Видимые проверки пройдены. При оценке работы будут и другие проверки.",
    },
}
