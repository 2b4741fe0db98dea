"""Output of ``similarity``: a ranked list in the terminal (rich) and an offline HTML page.

The page is a jinja2 template with autoescape on: code, answers and labels are learners'
text and only ever inserted as text; highlighted regions are ``<mark>`` elements around
escaped text. Nothing is loaded from the network. Terminal output goes through
:func:`grader.textsafe.terminal` and rich ``Text`` (no markup parsing), so a name cannot
move the cursor or restyle the table.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from grader.course import atomic_write_text
from grader.errors import GraderError
from grader.labels import Labels
from grader.textsafe import terminal


def render(result, lang: str = "en") -> str:
    """The HTML page of a :class:`grader.similarity.Result`."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True,
        undefined=StrictUndefined,
    )
    return env.get_template("similarity.html.j2").render(
        t=Labels(lang),
        lang=lang,
        assignment=result.assignment,
        submissions=result.submissions,
        pairs=result.pairs,
        clusters=result.clusters,
        skipped=result.skipped,
        settings=asdict(result.settings),
    )


def write(result, out: Path, lang: str = "en") -> None:
    """Write the page atomically; an unwritable target is one clear error."""
    try:
        atomic_write_text(out, render(result, lang))
    except OSError as exc:
        raise GraderError(f"cannot write {out}: {exc.strerror or exc}") from None


def print_terminal(result, lang: str | None = None) -> None:
    """The ranked list of flagged pairs, one row each, then the clusters."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    t = Labels(lang or result.lang)
    console = Console(highlight=False)
    console.print(Text(t("sim evidence")))
    console.print(Text(t("sim compared", n=result.submissions, pairs=len(result.pairs))))
    if result.pairs:
        table = Table(show_lines=False)
        for column in ("#", t("sim pair"), t("sim what"), t("sim score"), t("sim why")):
            table.add_column(column)
        for rank, p in enumerate(result.pairs, 1):
            what = t("sim code") if p.kind == "code" else t("sim written", item=p.kind)
            key = "sim code reason" if p.kind == "code" else "sim text reason"
            table.add_row(
                str(rank),
                Text(terminal(f"{p.a} — {p.b}")),
                Text(terminal(what)),
                f"{p.score:.0%}",
                Text(t(key, score=p.score, shared=p.shared)),
            )
        console.print(table)
    for group in result.clusters:
        console.print(Text(terminal(f"{t('sim clusters')}: {', '.join(group)}")))
    for label, why in result.skipped:
        console.print(Text(terminal(f"{t('sim skipped')}: {label}: {why}")))
    if result.out is not None:
        console.print(Text(terminal(f"wrote {result.out}")))
