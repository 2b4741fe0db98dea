"""Glue numbers into chapter prose."""

from __future__ import annotations

from typing import Any

from myst_nb import glue


def glue_value(name: str, value: Any) -> None:
    """Glue ``value`` for ``{glue:text}`name:fmt``` without displaying it.

    numpy scalars become plain Python numbers first: their repr (``np.float64(12.5)``) would
    otherwise leak into the text and format specs would not apply.
    """
    glue(name, value.item() if hasattr(value, "item") else value, display=False)
