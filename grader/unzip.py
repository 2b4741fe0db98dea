"""Unpacking a downloaded zip of submissions within bounds.

A zip is hostile input. Before anything is written, every entry name is decoded
(UTF-8, or the legacy code page cp866 of Russian Windows archivers when the name is not
UTF-8; anything else is refused), checked to stay inside the folder, and checked for
clashes (a file and a folder with the same name, or the same file twice): a clash is one
error and nothing is unpacked. Then only notebooks are unpacked, counting the bytes
actually inflated, so a small zip that inflates to gigabytes is stopped while it is being
read: a notebook over the per-notebook limit is refused, and the whole zip is refused once
the total passes the zip limit. Other files are created empty: they are only ever
listed ("not a notebook"), never read. Symbolic-link entries are created as empty
placeholders too and refused by the scan with a reason.
"""

from __future__ import annotations

import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath

from grader.errors import GraderError

_CHUNK = 1 << 16
_UTF8_FLAG = 0x800


@dataclass
class Unpacked:
    """Where the zip went and what each entry could not be."""

    root: Path
    refused: dict[str, str] = field(default_factory=dict)  # top-level entry -> reason
    times: dict[str, float] = field(default_factory=dict)  # relative path -> entry time


def decode_name(info: zipfile.ZipInfo) -> str | None:
    """The entry's real name; None when it is neither UTF-8 nor cp866."""
    if info.flag_bits & _UTF8_FLAG or info.filename.isascii():
        return info.filename
    raw = info.filename.encode("cp437")  # zipfile decoded the raw bytes as cp437
    for codec in ("utf-8", "cp866"):
        try:
            name = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        if codec == "utf-8" or all(c.isascii() or "\u0400" <= c <= "\u04ff" for c in name):
            return name
    return None


def _parts(name: str) -> tuple[str, ...] | None:
    path = PurePosixPath(name.replace("\\", "/"))
    parts = tuple(p for p in path.parts if p not in ("", "."))
    if path.is_absolute() or ".." in parts or not parts or any(":" in p for p in parts[:1]):
        return None
    return parts


def _plan(zf: zipfile.ZipFile, archive: Path) -> list[tuple[zipfile.ZipInfo, tuple[str, ...]]]:
    """Decoded, checked entries; raises on escapes, undecodable names and clashes."""
    plan = []
    files: dict[tuple[str, ...], str] = {}
    folders: set[tuple[str, ...]] = set()
    for info in zf.infolist():
        name = decode_name(info)
        if name is None:
            raise GraderError(
                f"{archive}: entry {info.filename!r} has a name in an unknown code page "
                "(neither UTF-8 nor cp866); re-pack it with UTF-8 names"
            )
        parts = _parts(name)
        if parts is None:
            raise GraderError(f"{archive}: entry {name!r} points outside the zip")
        for depth in range(1, len(parts)):
            folders.add(parts[:depth])
        if info.is_dir():
            folders.add(parts)
            continue
        if parts in files:
            raise GraderError(f"{archive}: entry {name!r} is in the zip twice; nothing collected")
        files[parts] = name
        plan.append((info, parts))
    clash = sorted(set(files) & folders)
    if clash:
        raise GraderError(
            f"{archive}: {'/'.join(clash[0])!r} is both a file and a folder in the zip; "
            "nothing collected"
        )
    return plan


def unpack(archive: Path, dest: Path, *, notebook_limit: int, total_limit: int) -> Unpacked:
    """Unpack ``archive`` into the new folder ``dest`` (see the module docstring).

    Raises:
        GraderError: not a valid zip, no entries, an entry escaping ``dest``, a name in an
            unknown code page, clashing entries, or more than ``total_limit`` bytes inflated.
    """
    result = Unpacked(dest)
    try:
        with zipfile.ZipFile(archive) as zf:
            plan = _plan(zf, archive)
            if not plan:
                raise GraderError(f"no submissions found in {archive} (the zip is empty)")
            dest.mkdir()
            total = 0
            for info, parts in plan:
                target = dest.joinpath(*parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                result.times["/".join(parts)] = datetime(*info.date_time).timestamp()
                mode = info.external_attr >> 16
                if stat.S_ISLNK(mode):
                    result.refused[parts[0]] = f"{'/'.join(parts)}: a symbolic link in the zip"
                    target.touch()
                    continue
                if not parts[-1].lower().endswith(".ipynb"):
                    target.touch()  # listed, never read: its content is not unpacked
                    continue
                total += _copy(zf, info, target, notebook_limit, result, parts)
                if total > total_limit:
                    raise GraderError(
                        f"{archive}: unpacks to more than {total_limit // 2**20} MiB of "
                        "notebooks; refusing it"
                    )
    except zipfile.BadZipFile as exc:
        raise GraderError(f"{archive}: not a valid zip file ({exc})") from None
    except (OSError, EOFError) as exc:
        raise GraderError(f"{archive}: not a valid zip file ({exc})") from None
    return result


def _copy(zf, info, target: Path, limit: int, result: Unpacked, parts) -> int:
    """Inflate one notebook, stopping at ``limit`` bytes; returns the bytes inflated."""
    written = 0
    try:
        with zf.open(info) as src, target.open("wb") as out:
            while chunk := src.read(_CHUNK):
                written += len(chunk)
                if written > limit:
                    out.truncate(0)
                    result.refused.setdefault(
                        parts[0], f"{'/'.join(parts)}: notebook larger than {limit // 2**20} MiB"
                    )
                    break
                out.write(chunk)
    except (RuntimeError, NotImplementedError):  # encrypted, unknown compression
        target.write_bytes(b"")
        result.refused.setdefault(
            parts[0], f"{'/'.join(parts)}: password-protected or packed in an unsupported way"
        )
    except zlib.error as exc:
        raise zipfile.BadZipFile(f"damaged entry {'/'.join(parts)}: {exc}") from None
    return written
