"""Which learner variables a test cell needs, and the code that snapshots them in the sandbox.

The trusted test source is analysed here, on the grader side; only the list of variable
NAMES (never the test code) travels into the learner's kernel, as part of a snapshot cell
that prints the encoded values between two random markers.
"""

from __future__ import annotations

import ast
import builtins
import json
import secrets
from pathlib import Path

from IPython.core.inputtransformer2 import TransformerManager

_ENCODER_SOURCE = (Path(__file__).with_name("encoder.py")).read_text(encoding="utf-8")
# Names IPython puts into a kernel's namespace: tests never get them from the learner.
_KERNEL_NAMES = frozenset({"In", "Out", "get_ipython", "exit", "quit", "display", "_", "__", "___"})


def python_source(cell_source: str) -> str:
    """Turn notebook cell source into plain Python (IPython magics become function calls)."""
    return TransformerManager().transform_cell(cell_source)


def _stores_and_loads(node: ast.AST) -> tuple[set[str], set[str]]:
    stores: set[str] = set()
    loads: set[str] = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Name):
            (loads if isinstance(child.ctx, ast.Load) else stores).add(child.id)
        elif isinstance(child, ast.alias):
            stores.add((child.asname or child.name).split(".")[0])
        elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            stores.add(child.name)
        elif isinstance(child, ast.arg):
            stores.add(child.arg)
        elif isinstance(child, ast.ExceptHandler) and child.name:
            stores.add(child.name)
    return stores, loads


def needed_names(test_source: str) -> list[str]:
    """Names a test cell reads that it does not define before use (sorted, deterministic).

    Over-approximates on purpose: a name read in the same statement that binds it (a loop
    variable, say) is included, because passing an extra value is harmless while a missing one
    would fail an honest answer. Builtins are excluded: tests always get the real ones.
    """
    try:
        tree = ast.parse(python_source(test_source))
    except SyntaxError:
        return []
    bound: set[str] = set()
    needed: set[str] = set()
    for statement in tree.body:
        stores, loads = _stores_and_loads(statement)
        needed |= loads - bound
        bound |= stores
    return sorted(
        n
        for n in needed
        if not hasattr(builtins, n) and n not in _KERNEL_NAMES and not is_dunder(n)
    )


def is_dunder(name: str) -> bool:
    """``__builtins__``, ``__import__``, ``__name__`` …: never an answer, never accepted."""
    return name.startswith("__") and name.endswith("__")


def snapshot_code(names: list[str], budget_bytes: int) -> tuple[str, str]:
    """Return (cell code, marker) for a snapshot of the learner's namespace.

    ``names`` must be what the VISIBLE part of the test reads (they are encoded first); the
    cell then encodes every other learner global as well, so the code sent into the kernel
    never names what only the hidden tests read.
    """
    marker = secrets.token_hex(16)
    tail = (
        "\nimport sys as _sys\n"
        "_sys.stdout.write(MARKER + snapshot(NAMESPACE, NAMES, BUDGET) + MARKER)\n"
        "_sys.stdout.flush()\n"
    )
    context = f'{{"NAMESPACE": globals(), "NAMES": {json.dumps(names)}, "BUDGET": {int(budget_bytes)}, "MARKER": "{marker}", "__name__": "snapshot"}}'
    code = f"exec({_ENCODER_SOURCE + tail!r}, {context})\n"
    return code, marker


def extract_snapshot(stdout_text: str, marker: str) -> str | None:
    """Return the JSON between the two markers, or None if the kernel did not produce it."""
    start = stdout_text.find(marker)
    end = stdout_text.rfind(marker)
    if start < 0 or end <= start:
        return None
    return stdout_text[start + len(marker) : end]
