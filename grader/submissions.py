"""Finding one notebook per student in a folder of downloaded submissions.

Shapes recognised at the top level of the folder (or unpacked zip), as Moodle's
``mod/assign/classes/downloader.php`` writes them (``<prefix>`` is the full name as Moodle
shows it, underscores turned into spaces, then ``_<participant id>``):

- Moodle 4.x "download all submissions": ``<prefix>_assignsubmission_file/…`` folders;
- Moodle 3.1–4.0: the same with a trailing underscore, ``<prefix>_assignsubmission_file_/…``;
- "download as folders" switched off: flat files ``<prefix>_assignsubmission_file_<name>``;
- other submission plugins (online text …) in any of these forms: skipped with a reason;
- ``<student>.ipynb`` files and ``<student>/`` folders holding the notebook anywhere inside.

Nothing is followed through a link: a symbolic link anywhere below the folder, or a file
with a second hard link, is refused with a reason (it could point at a file the learner
must never see, such as another learner's ``submission_secret.txt``).
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

# name _ participant _ assign<submission|feedback> _ plugin, then: end (4.x folder),
# "_" (3.1-4.0 folder) or "_<file name>" (flat download).
_MOODLE = re.compile(
    r"^(?P<name>[^_/]+)_(?P<participant>\d+)_assign(?:submission|feedback)_(?P<plugin>[a-z]+)"
    r"(?:_(?P<rest>.*))?$",
    re.DOTALL,
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
    moodle: bool = False


def sanitize_id(raw: str) -> str:
    """A student id safe as a folder name and a gradebook key ('' if nothing usable is left).

    Letters of any script, digits, ``.``, ``_`` and ``-`` are kept; runs of anything else
    (spaces, slashes, quotes, control characters) become one ``_``.
    """
    text = unicodedata.normalize("NFC", raw).strip()
    text = re.sub(r"[^\w.-]+", "_", text)
    return text.strip("._-")[:_MAX_ID]


def link_problem(path: Path, *, top: Path) -> str:
    """Why ``path`` (below ``top``) must not be read: a link on the way or a hard-linked file.

    Every component from ``top`` down to ``path`` is checked with ``lstat`` (no link is
    followed); '' means it is a plain file or folder.
    """
    current = top
    for part in path.relative_to(top).parts:
        current = current / part
        try:
            info = current.lstat()
        except OSError as exc:
            return f"cannot be read ({exc.strerror})"
        if stat.S_ISLNK(info.st_mode):
            return "a symbolic link (links are never followed)"
        if not (stat.S_ISDIR(info.st_mode) or stat.S_ISREG(info.st_mode)):
            return "not a regular file or folder"
        if stat.S_ISREG(info.st_mode) and info.st_nlink > 1:
            return "a file with several hard links (links are never followed)"
    return ""


def _walk(folder: Path, top: Path) -> tuple[list[Path], list[str], str]:
    """Notebooks below ``folder``, other file names, the first link problem met."""
    notebooks: list[Path] = []
    others: list[str] = []
    problem = ""
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if d != ".ipynb_checkpoints")
        for name in sorted([*dirnames, *filenames]):
            issue = link_problem(here / name, top=top)
            if issue and not problem:
                problem = f"{(here / name).relative_to(top)}: {issue}"
        dirnames[:] = [d for d in dirnames if not (here / d).is_symlink()]
        notebooks += [
            here / n
            for n in sorted(filenames)
            if n.endswith(".ipynb") and not n.startswith(".") and not (here / n).is_symlink()
        ]
        others += [readable_name(n) for n in sorted(filenames) if not n.endswith(".ipynb")]
    return notebooks, others, problem


def _pick(found: Found, candidates: list[Path], notebook: str, others: list[str]) -> Found:
    if not candidates:
        listed = f" (found: {', '.join(others[:5])})" if others else ""
        found.reason = f"no .ipynb notebook in it{listed}"
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


def readable_name(name: str) -> str:
    """``name`` printable as UTF-8 (bytes that are not UTF-8 shown as U+FFFD)."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def parse_moodle(name: str) -> tuple[str, str, str, str | None] | None:
    """(full name, participant id, plugin, file name or None) of a Moodle download entry."""
    match = _MOODLE.match(name)
    if not match:
        return None
    rest = match["rest"] or None  # "" (3.1-4.0 folder) and None (4.x folder) alike
    return match["name"], match["participant"], match["plugin"], rest


def scan(root: Path, notebook: str) -> list[Found]:
    """One :class:`Found` per top-level entry of ``root`` (hidden entries ignored)."""
    results = []
    for entry in sorted(root.iterdir()):
        if entry.name.startswith(".") or entry.name == "__MACOSX":
            continue
        found = Found(origin=readable_name(entry.name))
        results.append(found)
        if found.origin != entry.name:
            found.reason = "the file name is not valid UTF-8 (rename it)"
            continue
        moodle = parse_moodle(entry.name)
        is_dir = entry.is_dir() and not entry.is_symlink()
        if moodle:
            full, found.participant, plugin, rest = moodle
            found.moodle = True
            found.names = {"last_name": " ".join(full.split())} if full.strip() else {}
            raw_id = full
            if plugin != "file":
                found.reason = f"Moodle {plugin} submission, not a file"
                continue
        else:
            raw_id, rest = (entry.stem if not is_dir else entry.name), entry.name
        found.student = sanitize_id(raw_id)
        issue = link_problem(entry, top=root)
        if issue:
            found.reason = issue
        elif not found.student:
            found.reason = "no usable student id in the name"
        elif is_dir:
            candidates, others, problem = _walk(entry, root)
            if problem:
                found.reason = problem
            else:
                _pick(found, candidates, notebook, others)
        elif (rest or "").lower().endswith(".ipynb"):
            found.notebook = entry
        else:
            suffix = Path(rest or entry.name).suffix or "no extension"
            found.reason = f"not a notebook ({suffix})"
    return results
