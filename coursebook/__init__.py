"""Helpers that every executable book page uses: offline charts, the chart theme, glued numbers.

Call :func:`setup_page` in the first (hidden) code cell of a chapter.

The names are imported on first use: the Sphinx extensions import ``coursebook.i18n`` in every
build process, which must not pay for importing Altair (seconds on a loaded machine).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = ["chart_html", "glue_value", "setup_page"]
_HOME = {
    "chart_html": "coursebook.charts",
    "setup_page": "coursebook.charts",
    "glue_value": "coursebook.glue",
}


def __getattr__(name: str) -> Any:
    if name in _HOME:
        return getattr(import_module(_HOME[name]), name)
    raise AttributeError(f"module 'coursebook' has no attribute {name!r}")
