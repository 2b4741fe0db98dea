"""Helpers that every executable book page uses: offline charts, the chart theme, glued numbers.

Call :func:`setup_page` in the first (hidden) code cell of a chapter.
"""

from __future__ import annotations

from coursebook.charts import chart_html, setup_page
from coursebook.glue import glue_value

__all__ = ["chart_html", "glue_value", "setup_page"]
