"""Reading a submitted notebook file: once, leniently, refusing what is not a notebook."""

from __future__ import annotations

import copy
import json
import os
import stat
from pathlib import Path

import nbformat

# Honest notebooks nest about 10 levels (widget and chart specs included); a file nested far
# deeper is an attack on recursive readers (copy, nbformat, jsonschema): refused up front.
MAX_DEPTH = 64


class SubmissionError(ValueError):
    """The submitted file cannot be used as a notebook at all."""


def check_depth(value: object, limit: int = MAX_DEPTH) -> None:
    """Raise SubmissionError if ``value`` nests deeper than ``limit`` (iterative: no recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            raise SubmissionError(f"the notebook is nested more than {limit} levels deep")
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)


def _text(source: object) -> str:
    if isinstance(source, list):
        return "".join(s for s in source if isinstance(s, str))
    return source if isinstance(source, str) else ""


def read_submission(path: str, max_bytes: int) -> bytes:
    """The submitted file's bytes, read once, refusing symlinks and oversized files.

    A symlink (from an unpacked zip, say) could otherwise make the grader copy a host file
    such as the solutions into the sandbox.
    """
    file = Path(path)
    try:
        fd = os.open(file, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        raise SubmissionError(f"the submitted notebook {file.name} is missing") from None
    except OSError:
        raise SubmissionError(f"the submitted {file.name} is not a regular file") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise SubmissionError(f"the submitted {file.name} is not a regular file")
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise SubmissionError(f"the notebook is larger than {max_bytes // (1024 * 1024)} MB")
    return data


def load_submission(data: bytes) -> tuple[list[dict], list[str]]:
    """Return the learner's cells (normalised dicts) and notes about what was repaired."""
    try:
        raw = json.loads(data.decode("utf-8"))
        # JSON may encode lone surrogates ("\\ud800") that no UTF-8 file or kernel message
        # can carry: replace them once here so nothing downstream fails on them
        text = json.dumps(raw, ensure_ascii=False)
        raw = json.loads(text.encode("utf-8", "surrogatepass").decode("utf-8", "replace"))
    except RecursionError:
        raise SubmissionError(f"the notebook is nested more than {MAX_DEPTH} levels deep") from None
    except (UnicodeDecodeError, ValueError):
        raise SubmissionError("the file is not valid notebook JSON") from None
    check_depth(raw)
    if not isinstance(raw, dict):
        raise SubmissionError("the file is JSON but not a notebook")
    version = raw.get("nbformat")
    if version == 3:
        try:
            raw = nbformat.convert(nbformat.from_dict(raw), 4)
        except Exception as error:  # nbformat raises many kinds on broken v3 documents
            raise SubmissionError(f"nbformat 3 notebook could not be converted ({error})") from None
    elif version != 4:
        raise SubmissionError(f"unsupported notebook format version {version!r} (expected 4)")
    cells = raw.get("cells")
    if not isinstance(cells, list):
        raise SubmissionError("the notebook has no list of cells")
    notes: list[str] = []
    out: list[dict] = []
    for position, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") not in {"code", "markdown", "raw"}:
            notes.append(f"cell {position} is not a valid notebook cell and was ignored")
            continue
        metadata = cell.get("metadata") if isinstance(cell.get("metadata"), dict) else {}
        out.append(
            {
                "cell_type": cell["cell_type"],
                "source": _text(cell.get("source")),
                "metadata": copy.deepcopy(metadata),
                "id": cell.get("id") if isinstance(cell.get("id"), str) else None,
            }
        )
    return out, notes
