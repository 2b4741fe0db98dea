"""Helpers that every executable book page uses: offline chart rendering and the course chart theme.

Call :func:`setup_page` in the first (hidden) code cell of a chapter.
"""

from __future__ import annotations

from coursebook.charts import chart_html, setup_page

__all__ = ["chart_html", "setup_page"]
