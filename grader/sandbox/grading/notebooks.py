"""Reading notebooks and matching the learner's cells to the trusted SOURCE by grade_id.

The submission is read leniently (plain JSON, only the fields grading needs), because a
learner's editor may produce slightly invalid notebooks; what cannot be read at all makes the
submission "failed". Everything graded comes from the SOURCE: test code, points, which cells
are locked. The learner contributes only the code and answers in their own cells.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

import nbformat

_HIDDEN = re.compile(
    r"^[ \t]*### BEGIN HIDDEN TESTS.*?^[ \t]*### END HIDDEN TESTS[^\n]*\n?", re.M | re.S
)
_CELL_ID = re.compile(r"[a-zA-Z0-9_-]{1,64}")
_STUB = "YOUR ANSWER HERE"


def nbgrader_meta(cell: dict) -> dict:
    """The cell's nbgrader metadata (empty dict if absent or malformed)."""
    meta = cell.get("metadata")
    meta = meta.get("nbgrader") if isinstance(meta, dict) else None
    return meta if isinstance(meta, dict) else {}


def visible_source(source: str) -> str:
    """What a learner sees of a test cell: the source without the hidden-test block."""
    return _HIDDEN.sub("", source)


def _normalise(source: str) -> str:
    return "\n".join(line.rstrip() for line in source.strip().splitlines())


@dataclass
class SourceNotebook:
    """The trusted nbgrader SOURCE notebook, indexed by grade_id."""

    nb: nbformat.NotebookNode
    cells: dict[str, dict] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    tests: list[str] = field(default_factory=list)
    manual: list[str] = field(default_factory=list)

    def kind(self, grade_id: str) -> str:
        """ "test" | "manual" | "solution" | "locked" | "other" for a source grade_id."""
        meta = nbgrader_meta(self.cells[grade_id])
        if grade_id in self.tests:
            return "test"
        if grade_id in self.manual:
            return "manual"
        if meta.get("solution"):
            return "solution"
        return "locked" if meta.get("locked") else "other"

    def points(self, grade_id: str) -> float:
        """Maximum score of a graded cell, from the source metadata only."""
        return float(nbgrader_meta(self.cells[grade_id]).get("points", 0) or 0)


def load_source(path: str) -> SourceNotebook:
    """Read and index the trusted source notebook (raises ValueError if it is unusable)."""
    nb = nbformat.read(path, as_version=4)
    source = SourceNotebook(nb=nb)
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        grade_id = meta.get("grade_id")
        if not isinstance(grade_id, str) or grade_id in source.cells:
            continue
        source.cells[grade_id] = cell
        source.order.append(grade_id)
        if meta.get("grade") and not meta.get("solution") and cell.cell_type == "code":
            source.tests.append(grade_id)
        elif (meta.get("grade") and meta.get("solution")) or meta.get("task"):
            source.manual.append(grade_id)
    return source


@dataclass
class Plan:
    """The graded notebook's cells and what to execute for each of them."""

    cells: list[dict] = field(default_factory=list)
    # (cell index, "code" | "test", grade_id or None), in notebook order
    steps: list[tuple[int, str, str | None]] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unanswered: set[str] = field(default_factory=set)


def _trusted_copy(source_cell: dict) -> dict:
    cell = copy.deepcopy(dict(source_cell))
    cell.pop("id", None)
    if cell["cell_type"] == "code":
        cell["outputs"] = []
        cell["execution_count"] = None
    return cell


def _learner_cell(cell: dict, cell_type: str, nbgrader: dict | None) -> dict:
    metadata = {k: v for k, v in cell["metadata"].items() if k != "nbgrader"}
    if nbgrader is not None:
        metadata["nbgrader"] = copy.deepcopy(dict(nbgrader))
    out = {"cell_type": cell_type, "source": cell["source"], "metadata": metadata, "id": cell["id"]}
    if cell_type == "code":
        out.update(outputs=[], execution_count=None)
    return out


def _recognise_test(cell: dict, source: SourceNotebook, seen: set[str]) -> str | None:
    """A code cell whose metadata was stripped but whose text is a released test cell."""
    if cell["cell_type"] != "code" or not cell["source"].strip():
        return None
    text = _normalise(cell["source"])
    for grade_id in source.tests:
        if (
            grade_id not in seen
            and _normalise(visible_source(source.cells[grade_id].source)) == text
        ):
            return grade_id
    return None


def build_plan(source: SourceNotebook, learner: list[dict]) -> Plan:
    """Match learner cells to the source by grade_id and decide what runs where."""
    plan = Plan()
    seen: set[str] = set()
    for cell in learner:
        grade_id = nbgrader_meta(cell).get("grade_id")
        known = isinstance(grade_id, str) and grade_id in source.cells
        if known and grade_id in seen:
            kind = source.kind(grade_id)
            if kind in {"test", "locked"}:
                plan.reasons.append(f"duplicate of cell {grade_id} ignored (the first copy counts)")
                continue
            plan.reasons.append(f"duplicate of cell {grade_id} kept as an ordinary cell")
            known = False
        elif not known:
            if nbgrader_meta(cell).get("grade") or nbgrader_meta(cell).get("solution"):
                plan.reasons.append(
                    f"cell with unknown grade id {str(grade_id)[:60]!r} treated as an ordinary cell"
                )
            recognised = _recognise_test(cell, source, seen)
            if recognised:
                plan.reasons.append(
                    f"test cell {recognised} had lost its metadata; recognised by its content"
                )
                grade_id, known = recognised, True
        if not known:
            index = len(plan.cells)
            plan.cells.append(_learner_cell(cell, cell["cell_type"], None))
            if cell["cell_type"] == "code":
                plan.steps.append((index, "code", None))
            continue
        seen.add(grade_id)
        source_cell = source.cells[grade_id]
        kind = source.kind(grade_id)
        index = len(plan.cells)
        if source_cell.cell_type != cell["cell_type"]:
            plan.reasons.append(
                f"cell {grade_id} had its type changed; restored to {source_cell.cell_type}"
            )
        if kind in {"test", "locked"}:
            plan.cells.append(_trusted_copy(source_cell))
        else:
            plan.cells.append(
                _learner_cell(cell, source_cell.cell_type, nbgrader_meta(source_cell))
            )
            if kind == "manual" and cell["source"].strip() in {"", _STUB}:
                plan.unanswered.add(grade_id)
        if source_cell.cell_type == "code":
            plan.steps.append((index, "test" if kind == "test" else "code", grade_id))
    _add_missing(plan, source, seen)
    _fix_ids(plan.cells)
    return plan


def _add_missing(plan: Plan, source: SourceNotebook, seen: set[str]) -> None:
    """Put deleted graded cells back (after their source predecessor) so they score 0 visibly."""
    for grade_id in source.order:
        if grade_id in seen or grade_id not in source.tests + source.manual:
            continue
        plan.missing.append(grade_id)
        plan.reasons.append(f"graded cell {grade_id} is missing from the submission: scored 0")
        cell = _trusted_copy(source.cells[grade_id])
        cell["metadata"] = copy.deepcopy(dict(source.cells[grade_id].metadata))
        note = f"This cell ({grade_id}) was missing from the submission; it scores 0."
        if grade_id in source.tests:
            cell["outputs"] = [
                {
                    "output_type": "error",
                    "ename": "MissingCellError",
                    "evalue": note,
                    "traceback": [f"MissingCellError: {note}"],
                }
            ]
        else:
            cell["source"] = note  # never the model answer of a written task
        previous = source.order[: source.order.index(grade_id)]
        position = 0
        for index, existing in enumerate(plan.cells):
            if nbgrader_meta(existing).get("grade_id") in previous:
                position = index + 1
        plan.cells.insert(position, cell)
        plan.steps = [(i + 1 if i >= position else i, kind, gid) for i, kind, gid in plan.steps]
        seen.add(grade_id)


def _fix_ids(cells: list[dict]) -> None:
    used: set[str] = set()
    for position, cell in enumerate(cells):
        cell_id = cell.get("id")
        if not isinstance(cell_id, str) or not _CELL_ID.fullmatch(cell_id) or cell_id in used:
            cell_id = f"graded-cell-{position}"
        used.add(cell_id)
        cell["id"] = cell_id


def graded_notebook(source: SourceNotebook, plan: Plan) -> str:
    """Serialise the graded notebook (nbformat 4 JSON) with the source's notebook metadata."""
    nb = nbformat.v4.new_notebook(metadata=copy.deepcopy(dict(source.nb.metadata)))
    nb.cells = [nbformat.from_dict(cell) for cell in plan.cells]
    nb.nbformat_minor = max(nb.nbformat_minor, 5)
    return nbformat.writes(nb, version=4)
