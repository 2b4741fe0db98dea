"""How far each page's translation is from its English source: the drift report the tests print.

Compares the message templates extracted from the current English pages (``_build/gettext/*.pot``,
made by ``make course``) with the catalogues in ``locales/<lang>/LC_MESSAGES/*.po``:

- *missing*: an English message with no translation (new text, or text changed since translation);
- *fuzzy*: a translation marked for review (``sphinx-intl update`` marks changed messages so);
- *outdated*: a translated message whose English no longer exists (the source changed after it was
  translated; ``sphinx-intl update`` turns these into fuzzy or obsolete entries);
- *glue*: a translation whose glued numbers (``{glue:…}`` roles, or an output's ``{0}``…) differ
  from the English ones.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.pofile import read_po

GLUE = re.compile(r"\{glue(?::[a-z]*)?\}`[^`]+`")
# A code-cell output's numbers ({0}, {1}…: coursebook.i18n.output_message).
HOLE = re.compile(r"(?<!\{)\{\d+\}(?!\})")


def _figures(text: str) -> list[str]:
    """The glued figures and output numbers a message carries: a translation keeps them all."""
    return sorted(GLUE.findall(text)) + sorted(HOLE.findall(text))


@dataclass
class PageDrift:
    page: str
    total: int = 0
    translated: int = 0
    missing: list[str] = field(default_factory=list)
    fuzzy: list[str] = field(default_factory=list)
    outdated: list[str] = field(default_factory=list)
    glue: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.missing or self.fuzzy or self.outdated or self.glue)

    def lines(self, limit: int = 8) -> list[str]:
        out = [f"{self.page}: {self.translated}/{self.total} translated"]
        for kind in ("missing", "fuzzy", "outdated", "glue"):
            items = getattr(self, kind)
            out += [f"  {kind}: {_short(text)}" for text in items[:limit]]
            if len(items) > limit:
                out.append(f"  … and {len(items) - limit} more {kind}")
        return out


def _short(text: str, width: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _read(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def drift(templates: Path, catalogues: Path) -> dict[str, PageDrift]:
    """One report per template (page), keyed by its name without ``.pot`` (e.g. ``book/index``)."""
    reports = {}
    for pot in sorted(templates.rglob("*.pot")):
        page = pot.relative_to(templates).with_suffix("").as_posix()
        report = PageDrift(page)
        source = [m.id for m in _read(pot) if m.id]
        report.total = len(source)
        po_path = catalogues / f"{page}.po"
        po = {m.id: m for m in _read(po_path) if m.id} if po_path.is_file() else {}
        for msgid in source:
            message = po.get(msgid)
            if message is None or not message.string:
                report.missing.append(msgid)
            elif message.fuzzy:
                report.fuzzy.append(msgid)
            else:
                report.translated += 1
                if _figures(msgid) != _figures(message.string):
                    report.glue.append(msgid)
        wanted = set(source)
        report.outdated = [m for m, entry in po.items() if m not in wanted and entry.string]
        reports[page] = report
    return reports


def pending(path: Path) -> list[str]:
    """Pages allowed to be incomplete (one per line, ``#`` comments)."""
    if not path.is_file():
        return []
    lines = (
        line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines()
    )
    return [line for line in lines if line]


def prefill_regions(catalogues: Path) -> int:
    """Fill empty translations of region names (chart categories) with the canonical Russian
    names of ``coursedata.regions``; returns how many messages were filled. Never overwrites."""
    from babel.messages.pofile import write_po

    from coursedata.regions import _rows

    names = {row["name_en"]: row["name_ru"] for row in _rows() if row.get("name_en")}
    filled = 0
    for path in sorted(catalogues.rglob("*.po")):
        catalog = _read(path)
        changed = [m for m in catalog if m.id in names and not m.string]
        for message in changed:
            message.string = names[message.id]
        if changed:
            with path.open("wb") as handle:
                write_po(handle, catalog, width=0)
            filled += len(changed)
    return filled


def main(argv: list[str] | None = None) -> int:
    """``python -m coursebook.translations report|regions [--lang ru]``."""
    import argparse

    parser = argparse.ArgumentParser(description="Russian edition: drift report, region names")
    parser.add_argument("action", choices=["report", "regions"])
    parser.add_argument("--lang", default="ru")
    parser.add_argument("--templates", type=Path, default=Path("_build/gettext"))
    args = parser.parse_args(argv)
    catalogues = Path("locales") / args.lang / "LC_MESSAGES"
    if args.action == "regions":
        print(f"{prefill_regions(catalogues)} region names filled in {catalogues}")
        return 0
    if not args.templates.is_dir():
        print(f"error: no templates in {args.templates}: run `make course` first", file=sys.stderr)
        return 2
    reports = drift(args.templates, catalogues)
    for report in reports.values():
        print("\n".join(report.lines(limit=3)))
    done = sum(r.translated for r in reports.values())
    print(f"total: {done}/{sum(r.total for r in reports.values())} messages translated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
