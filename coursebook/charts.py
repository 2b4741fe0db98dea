"""An Altair renderer that works on a static site with no network.

Altair's own HTML output loads Vega from a CDN and declares top-level JavaScript constants, so two
charts on one page collide. This renderer instead emits a plain ``<div class="course-chart">`` holding
the Vega-Lite spec as inert JSON; ``course-charts.js`` (added by the ``course_assets`` Sphinx
extension only to pages that contain charts) draws every such div from local library copies.
"""

from __future__ import annotations

import html
import json
import uuid
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # Altair is imported where charts are made, not where a spec is only re-wrapped
    import altair as alt

RENDERER_NAME = "course"
THEME_NAME = "course"

# Okabe–Ito palette: distinguishable with the common forms of colour blindness.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]


def chart_html(spec: dict[str, Any]) -> str:
    """Return the HTML for one chart: a labelled container plus its spec as JSON."""
    label = spec.get("description") or _title_text(spec.get("title")) or "Chart"
    # "</" inside a JSON string would close the script element early.
    payload = json.dumps(spec, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    chart_id = f"course-chart-{uuid.uuid5(uuid.NAMESPACE_URL, payload).hex[:12]}"
    return (
        f'<div class="course-chart" id="{chart_id}" role="figure" aria-label="{html.escape(label)}">'
        f'<div class="course-chart-canvas"></div>'
        f'<script type="application/json">{payload}</script>'
        "</div>"
    )


def _title_text(title: Any) -> str | None:
    if isinstance(title, dict):
        title = title.get("text")
    if isinstance(title, list):
        title = " ".join(map(str, title))
    return str(title) if title else None


def _render(spec: dict[str, Any], **metadata: Any) -> dict[str, str]:
    text = _title_text(spec.get("title")) or "chart"
    return {"text/html": chart_html(spec), "text/plain": f"<Chart: {text}>"}


def _theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif",
            "range": {"category": PALETTE},
            "axis": {"labelFontSize": 12, "titleFontSize": 13, "labelLimit": 320},
            "legend": {"labelFontSize": 12, "titleFontSize": 13, "labelLimit": 320},
            "title": {"fontSize": 15, "anchor": "start"},
            "view": {"continuousWidth": 560, "continuousHeight": 320},
        }
    }


def setup_page() -> None:
    """Enable the offline renderer and the course theme for the rest of the page."""
    import altair as alt

    if RENDERER_NAME not in alt.renderers.names():
        alt.renderers.register(RENDERER_NAME, _render)
    alt.renderers.enable(RENDERER_NAME)
    if THEME_NAME not in alt.theme.names():
        alt.theme.register(THEME_NAME, enable=False)(_theme)
    alt.theme.enable(THEME_NAME)
