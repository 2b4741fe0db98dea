"""HTML of the cohort report: tables always, Altair charts when vega can be inlined.

The page is a jinja2 template with autoescape on (``templates/report.html.j2``): student
ids, file names and failure messages come from learners and are only ever inserted as
text. Chart specs travel as inert JSON (``<script type="application/json">``) with ``<``,
``>`` and ``&`` escaped, so no value in them can close the script element.
"""

from __future__ import annotations

import json
import logging
import math
import re
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
from markupsafe import Markup

from grader import items as item_stats
from grader.course import repo_root
from grader.labels import Labels

log = logging.getLogger(__name__)

VEGA_FILES = (
    ("vega", "build/vega.min.js"),
    ("vega-lite", "build/vega-lite.min.js"),
    ("vega-embed", "build/vega-embed.min.js"),
)


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
        if package == "vega":
            parts.append(_version_fix(node_modules))
    return "\n".join(parts)


def installed_version(node_modules: Path | None, package: str) -> str | None:
    """The version in ``node_modules/<package>/package.json`` (None if unreadable)."""
    meta = (node_modules or repo_root() / "node_modules") / package / "package.json"
    try:
        version = str(json.loads(meta.read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError):
        return None
    return version if re.fullmatch(r"[0-9A-Za-z.+-]+", version) else None


def _version_fix(node_modules: Path | None) -> str:
    """vega 6.3.0's npm build reports ``vega.version`` as 5.33.1, and vega-embed (which
    reads it when it loads) then warns that the compiled spec needs Vega 6. Set the
    version the package really is, between loading vega and loading vega-embed."""
    version = installed_version(node_modules, "vega")
    return f"<script>vega.version = {json.dumps(version)};</script>" if version else ""


def score_chart(submissions: list[dict[str, Any]], max_score: float, t: Labels) -> alt.Chart:
    """Histogram of total scores; counts are whole submissions, so the axis has whole ticks."""
    frame = pd.DataFrame(submissions, columns=["student", "score"])
    return (
        alt.Chart(frame, title=t("chart scores"))
        .mark_bar()
        .encode(
            alt.X(
                "score:Q",
                bin=alt.Bin(extent=[0, max_score or 1], maxbins=20),
                title=t("axis score", max=max_score),
            ),
            alt.Y(
                "count():Q",
                title=t("axis submissions"),
                axis=alt.Axis(tickMinStep=1, format="d"),
            ),
            tooltip=[alt.Tooltip("count():Q", title=t("axis submissions"))],
        )
        .properties(width="container", height=220)
    )


def item_chart(items: list[dict[str, Any]], t: Labels) -> alt.LayerChart:
    """Share of submissions with full points per item, each bar labelled (so 0 % shows)."""
    frame = pd.DataFrame(
        [{**i, "kind": t(i["kind"])} for i in items if i["pass_rate"] is not None],
        columns=["item", "kind", "pass_rate", "mean_score", "max_score", "graded"],
    )
    order = frame.sort_values(["pass_rate", "item"], ascending=[False, True])["item"].tolist()
    base = alt.Chart(frame, title=t("chart items")).encode(
        alt.Y("item:N", sort=order, title=None),  # one explicit order for both layers
        alt.X(
            "pass_rate:Q",
            axis=alt.Axis(format="%"),
            scale=alt.Scale(domain=[0, 1]),
            title=t("axis full share"),
        ),
        tooltip=[
            alt.Tooltip("item:N", title=t("item")),
            alt.Tooltip("pass_rate:Q", format=".0%", title=t("full share")),
            alt.Tooltip("mean_score:Q", format=".2f", title=t("mean points")),
            alt.Tooltip("max_score:Q", title=t("points")),
        ],
    )
    bars = base.mark_bar().encode(alt.Color("kind:N", title=t("kind")))
    labels = base.mark_text(align="left", dx=3).encode(text=alt.Text("pass_rate:Q", format=".0%"))
    # a fixed height: "container" width with a step (discrete) height makes vega-lite warn
    return alt.layer(bars, labels).properties(width="container", height=24 * max(1, len(order)))


def analysis_chart(analysis: item_stats.AssignmentStats, t: Labels) -> alt.LayerChart:
    """Facility (x) against item–rest r (y), each item a labelled point; threshold rules."""
    frame = pd.DataFrame(
        [
            {"item": i.item, "facility": i.facility, "r": i.r_corrected}
            for i in analysis.items
            if i.r_corrected is not None
        ],
        columns=["item", "facility", "r"],
    )
    base = alt.Chart(frame, title=t("chart analysis")).encode(
        alt.X("facility:Q", scale=alt.Scale(domain=[0, 1]), title=t("facility")),
        alt.Y("r:Q", scale=alt.Scale(domain=[-1, 1]), title=t("r corrected")),
        tooltip=[
            alt.Tooltip("item:N", title=t("item")),
            alt.Tooltip("facility:Q", format=".2f", title=t("facility")),
            alt.Tooltip("r:Q", format=".2f", title=t("r corrected")),
        ],
    )
    rules = pd.DataFrame({"x": [item_stats.HARD, item_stats.EASY]})
    layers = [
        alt.Chart(rules).mark_rule(strokeDash=[4, 4], color="#999").encode(x="x:Q"),
        alt.Chart(pd.DataFrame({"y": [item_stats.WEAK]}))
        .mark_rule(strokeDash=[4, 4], color="#999")
        .encode(y="y:Q"),
        base.mark_point(filled=True, size=60),
        base.mark_text(align="left", dx=6, dy=-6).encode(text="item:N"),
    ]
    return alt.layer(*layers).properties(width="container", height=300)


def _spec(chart: alt.TopLevelMixin, version: str | None) -> Markup:
    spec = chart.to_dict()
    if version:
        spec["$schema"] = f"https://vega.github.io/schema/vega-lite/v{version}.json"
    text = json.dumps(spec, ensure_ascii=False)
    return Markup(text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"))


def formatter(lang: str):
    """Numbers as the page prints them: 2 decimals, whole numbers bare, '—' for none."""

    def fmt(value: Any) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "—"
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
            text = f"{value:.0f}"
        elif isinstance(value, float):
            text = f"{value:.2f}"
        else:
            return str(value)
        return text.replace(".", ",") if lang == "ru" else text

    return fmt


def _environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=False,
    )


def render(data, *, node_modules: Path | None = None, lang: str = "en") -> str:
    """The whole page (``data``: a :class:`grader.report.CohortData`)."""
    t = Labels(lang)
    charts = []
    scripts = None
    if data.submissions:  # an empty cohort gets a sentence, not empty axes
        scripts = vega_scripts(node_modules)
    if scripts:
        version = installed_version(node_modules, "vega-lite")
        named = [
            ("scores", score_chart(data.submissions, data.max_score, t), "chart scores"),
            ("items", item_chart(data.items, t), "chart items"),
        ]
        if any(i.r_corrected is not None for i in data.analysis.items):
            named.append(("analysis", analysis_chart(data.analysis, t), "chart analysis"))
        charts = [{"name": n, "title": t(k), "spec": _spec(c, version)} for n, c, k in named]
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            t=t,
            fmt=formatter(lang),
            lang=lang,
            assignment=data.assignment,
            scripts=Markup(scripts or ""),
            charts_ok=bool(scripts),
            charts=charts,
            summary=data.summary(),
            submissions=data.submissions,
            items=data.items,
            analysis=data.analysis.as_dict(),
            thresholds=item_stats.thresholds(),
            unstable_below=item_stats.UNSTABLE_BELOW,
            problems=data.problems,
        )
    )
