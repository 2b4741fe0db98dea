"""HTML of the cohort report: tables always, Altair charts when vega can be inlined."""

from __future__ import annotations

import html
import json
import logging
import statistics
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd

from grader.course import repo_root

log = logging.getLogger(__name__)

VEGA_FILES = (
    ("vega", "build/vega.min.js"),
    ("vega-lite", "build/vega-lite.min.js"),
    ("vega-embed", "build/vega-embed.min.js"),
)

_CSS = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #ccc;padding:.3rem .6rem}
th{background:#f3f3f3;text-align:left}td.num{text-align:right}.note{color:#7a4b00}
"""


def vega_scripts(node_modules: Path | None) -> str | None:
    """The three vega libraries as inline ``<script>`` blocks, or None if any is missing."""
    base = node_modules or repo_root() / "node_modules"
    parts = []
    for package, rel in VEGA_FILES:
        path = base / package / rel
        if not path.is_file():
            log.warning("%s not found; the report will have tables but no charts", path)
            return None
        code = path.read_text(encoding="utf-8").replace("</script", "<\\/script")
        parts.append(f"<script>{code}</script>")
    return "\n".join(parts)


def score_chart(submissions: list[dict[str, Any]], max_score: float) -> alt.Chart:
    """Histogram of total scores."""
    frame = pd.DataFrame(submissions, columns=["student", "score"])
    return (
        alt.Chart(frame, title="Score distribution")
        .mark_bar()
        .encode(
            alt.X(
                "score:Q",
                bin=alt.Bin(extent=[0, max_score or 1], maxbins=20),
                title=f"score (points out of {max_score:g})",
            ),
            alt.Y("count():Q", title="submissions"),
            tooltip=[alt.Tooltip("count():Q", title="submissions")],
        )
        .properties(width=520, height=220)
    )


def item_chart(items: list[dict[str, Any]]) -> alt.Chart:
    """Share of submissions with full points, per graded item."""
    frame = pd.DataFrame(
        [i for i in items if i["pass_rate"] is not None],
        columns=["item", "kind", "pass_rate", "mean_score", "max_score", "graded"],
    )
    return (
        alt.Chart(frame, title="Full marks per graded item")
        .mark_bar()
        .encode(
            alt.X(
                "pass_rate:Q",
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1]),
                title="share of submissions with full points",
            ),
            alt.Y("item:N", sort="x", title=None),
            alt.Color("kind:N", title="item"),
            tooltip=[
                "item",
                "kind",
                alt.Tooltip("pass_rate:Q", format=".0%"),
                alt.Tooltip("mean_score:Q", format=".2f"),
                "max_score",
                "graded",
            ],
        )
        .properties(width=520)
    )


def _table(rows: list[dict[str, Any]], columns: list[tuple[str, str]]) -> str:
    head = "".join(f"<th>{html.escape(title)}</th>" for _, title in columns)
    body = []
    for row in rows:
        cells = []
        for key, _ in columns:
            value = row.get(key)
            if isinstance(value, float):
                cells.append(f'<td class="num">{value:.2f}</td>')
            else:
                cells.append(f"<td>{html.escape('' if value is None else str(value))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _summary(data) -> list[dict[str, Any]]:
    scores = [s["score"] for s in data.submissions]
    failed = sum(p["kind"] == "failed" for p in data.problems)
    timeouts = sum(p["kind"] == "time-out" for p in data.problems)
    rows = [
        ("graded submissions", len(scores)),
        ("maximum score", data.max_score),
        ("mean score", statistics.fmean(scores) if scores else None),
        ("median score", float(statistics.median(scores)) if scores else None),
        ("awaiting manual grading", sum(s["pending"] for s in data.submissions)),
        ("failed to grade", failed),
        ("with time-outs", timeouts),
        ("files not collected", sum(p["kind"] == "not collected" for p in data.problems)),
    ]
    return [{"what": k, "value": v} for k, v in rows]


def render(data, *, node_modules: Path | None = None) -> str:
    """The whole page."""
    scripts = vega_scripts(node_modules)
    title = f"Cohort report: {data.assignment}"
    parts = [
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)}"
        f"</title><style>{_CSS}</style>{scripts or ''}</head><body><h1>{html.escape(title)}</h1>",
        _table(_summary(data), [("what", ""), ("value", "")]),
    ]
    charts = [
        ("chart-scores", score_chart(data.submissions, data.max_score)),
        ("chart-items", item_chart(data.items)),
    ]
    if scripts:
        for div, chart in charts:
            spec = json.dumps(chart.to_dict()).replace("</", "<\\/")
            parts.append(
                f"<div id='{div}' role='img' aria-label='{html.escape(chart.title)}'></div>"
                f"<script>vegaEmbed('#{div}', {spec}, {{actions: false, renderer: 'svg'}});</script>"
            )
    else:
        parts.append(
            "<p class='note'>Charts need vega, vega-lite and vega-embed in node_modules/ "
            "(run <code>npm ci</code> in the repository); the tables below hold the same "
            "numbers.</p>"
        )
    parts.append("<h2>Graded items</h2>")
    parts.append(
        _table(
            data.items,
            [
                ("item", "item"),
                ("kind", "kind"),
                ("max_score", "points"),
                ("graded", "graded"),
                ("pass_rate", "full marks (share)"),
                ("mean_score", "mean points"),
                ("pending", "awaiting grade"),
            ],
        )
    )
    parts.append("<h2>Failures, time-outs and files not collected</h2>")
    parts.append(
        _table(
            data.problems,
            [("student", "student / file"), ("kind", "problem"), ("reason", "reason")],
        )
        if data.problems
        else "<p>None.</p>"
    )
    parts.append("<h2>Scores</h2>")
    parts.append(
        _table(
            sorted(data.submissions, key=lambda s: s["student"]),
            [("student", "student"), ("score", "score"), ("pending", "awaiting grade")],
        )
    )
    parts.append("</body></html>")
    return "\n".join(parts)
