"""Finding one notebook per student in a folder of downloaded submissions.

Three shapes are recognised at the top level of the folder (or zip):

- Moodle's "download all submissions": ``Firstname Lastname_12345_assignsubmission_file_/``
  folders, or files ``Firstname Lastname_12345_assignsubmission_file_<name>.ipynb`` when
  Moodle was told not to make folders (``12345`` is Moodle's participant number);
- ``<student>.ipynb`` files;
- ``<student>/`` folders holding the notebook anywhere inside.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

_MOODLE = re.compile(
    r"^(?P<name>.+?)_(?P<participant>\d+)_assign(?:submission|feedback)_(?P<plugin>[a-z]+)_(?P<rest>.*)$"
)
_MAX_ID = 64


@dataclass
class Found:
    """What one top-level entry yielded: a notebook for a student, or a reason to skip it."""

    origin: str
    student: str = ""
    notebook: Path | None = None
    reason: str = ""
    names: dict[str, str] = field(default_factory=dict)
    participant: str = ""


def sanitize_id(raw: str) -> str:
    """A student id safe as a folder name and a gradebook key ('' if nothing usable is left).

    Letters of any script, digits, ``.``, ``_`` and ``-`` are kept; runs of anything else
    (spaces, slashes, quotes) become one ``_``.
    """
    text = unicodedata.normalize("NFC", raw).strip()
    text = re.sub(r"[^\w.-]+", "_", text)
    return text.strip("._-")[:_MAX_ID]


def _split_name(full: str) -> dict[str, str]:
    words = full.split()
    if not words:
        return {}
    return {"first_name": words[0], "last_name": " ".join(words[1:])}


def _notebooks_in(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob("*.ipynb")
        if p.is_file() and ".ipynb_checkpoints" not in p.parts and not p.name.startswith(".")
    )


def _pick(found: Found, candidates: list[Path], notebook: str) -> Found:
    if not candidates:
        found.reason = "no .ipynb notebook in it"
    elif len(candidates) == 1:
        found.notebook = candidates[0]
    else:
        named = [p for p in candidates if p.name == f"{notebook}.ipynb"]
        if len(named) == 1:
            found.notebook = named[0]
        else:
            listed = ", ".join(p.name for p in candidates[:5])
            found.reason = f"{len(candidates)} notebooks ({listed}) and none is {notebook}.ipynb"
    return found


def scan(root: Path, notebook: str) -> list[Found]:
    """One :class:`Found` per top-level entry of ``root`` (hidden entries ignored)."""
    results = []
    for entry in sorted(root.iterdir()):
        if entry.name.startswith(".") or entry.name == "__MACOSX":
            continue
        found = Found(origin=entry.name)
        moodle = _MOODLE.match(entry.name)
        if moodle:
            found.participant = moodle["participant"]
            found.names = _split_name(moodle["name"])
            raw_id, plugin, rest = moodle["name"], moodle["plugin"], moodle["rest"]
            if plugin != "file":
                found.reason = f"Moodle {plugin} submission, not a file"
        else:
            raw_id, rest = (entry.stem if entry.is_file() else entry.name), entry.name
        found.student = sanitize_id(raw_id)
        if found.reason:
            pass
        elif not found.student:
            found.reason = "no usable student id in the name"
        elif entry.is_dir():
            _pick(found, _notebooks_in(entry), notebook)
        elif rest.lower().endswith(".ipynb"):
            found.notebook = entry
        else:
            suffix = Path(rest).suffix or "no extension"
            found.reason = f"not a notebook ({suffix})"
        results.append(found)
    return results
