"""Moodle "Download all submissions" zips in the shapes Moodle writes (SYNTHETIC people).

moodle/moodle ``mod/assign/classes/downloader.php``: the prefix is the full name (``_``
turned into spaces) ``_<participant id>``; with "download as folders" (the default since
3.1) a file goes to ``<prefix>_assignsubmission_file<filepath><name>`` (filepath ``/``), so
Moodle 4.x folders have no trailing underscore; 3.1-4.0 wrote ``<prefix>_assignsubmission_file_/``;
without folders every file is ``<prefix>_assignsubmission_file_<name>``. Online text is
``<prefix>_assignsubmission_onlinetext/onlinetext.html`` (flat: ``…_onlinetext_onlinetext.html``).
ZipStream stamps every entry with the time the zip was made and flags UTF-8 names.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

DOWNLOADED_AT = (2025, 3, 5, 9, 0, 0)  # when the trainer pressed "Download all submissions"


def folder(name: str, participant: int, plugin: str, style: str) -> str:
    """The folder (or flat prefix) of one learner's plugin files in a given Moodle style."""
    prefix = f"{name.replace('_', ' ')}_{participant}_assignsubmission_{plugin}"
    return {"4.x": prefix + "/", "3.x": prefix + "_/", "flat": prefix + "_"}[style]


def moodle_zip(path: Path, people: list[tuple[str, int, str, str]], style: str) -> Path:
    """A zip of (full name, participant id, file name, content) file submissions."""
    with zipfile.ZipFile(path, "w") as zf:
        for name, participant, filename, content in people:
            entry = folder(name, participant, "file", style) + filename
            zf.writestr(zipfile.ZipInfo(entry, DOWNLOADED_AT), content)
    return path


def add_online_text(path: Path, name: str, participant: int, style: str) -> None:
    """Add an online-text submission to an existing Moodle zip."""
    with zipfile.ZipFile(path, "a") as zf:
        entry = folder(name, participant, "onlinetext", style) + "onlinetext.html"
        zf.writestr(zipfile.ZipInfo(entry, DOWNLOADED_AT), "<p>my answer</p>")
