"""Shared helpers for the worker tests: the fixture exercise, a fake course tree, case files.

Everything built here is SYNTHETIC test data (labelled as such in the files it writes).
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[3]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from grader.limits import Limits  # noqa: E402
from grader.sandbox.grading.notebooks import visible_source  # noqa: E402
from grader.sandbox.isolation.bwrap import UID_BASE, UID_SLOTS  # noqa: E402
from grader.worker import GradeTask  # noqa: E402

FIXTURE = REPO / "tests" / "fixtures" / "exercises" / "ex_fixture"
SOURCE_NB = FIXTURE / "ex_fixture.ipynb"
CASES = Path(__file__).resolve().parent / "cases"
FULL = {"q1_mean_income": 2.0, "q2_benefit_rate": 2.0, "q3_low_income": 3.0}
CANARY = "adversarial-canary"
_SOLUTION = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[^\n]*\n?", re.M)


def honest_notebook() -> nbformat.NotebookNode:
    """What a learner who answered everything correctly submits (no hidden tests, no markers)."""
    nb = nbformat.read(SOURCE_NB, as_version=4)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution") and cell.cell_type == "code":
            cell.source = visible_source(cell.source).rstrip() + "\n"
        elif meta.get("solution"):
            cell.source = _SOLUTION.sub("", cell.source)
    return nb


@dataclass
class Course:
    """A fake nbgrader course tree around one submission, with sentinel files to watch."""

    root: Path
    submission: Path
    sentinels: dict[Path, str] = field(default_factory=dict)

    def task(self, limits: Limits, student: str = "s_adversary") -> GradeTask:
        """The GradeTask for this course's submission."""
        return GradeTask(
            student=student,
            assignment="ex_fixture",
            notebook="ex_fixture.ipynb",
            submission_path=str(self.submission),
            source_path=str(self.root / "source" / "ex_fixture" / "ex_fixture.ipynb"),
            data_dir=str(self.root / "source" / "ex_fixture" / "data"),
            limits=limits,
        )

    def changed_sentinels(self) -> list[str]:
        """Sentinel files whose content changed or that vanished."""
        changed = []
        for path, digest in self.sentinels.items():
            if not path.exists() or _digest(path) != digest:
                changed.append(str(path))
        return changed

    def canaries(self) -> list[str]:
        """Files named like the canary anywhere in the course tree or well-known places."""
        found = [str(p) for p in self.root.rglob(f"*{CANARY}*")]
        for place in (Path("/tmp"), Path("/root"), Path("/work"), Path("/home"), Path("/")):
            found += [str(p) for p in place.glob(f"*{CANARY}*")]
        return found


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_course(root: Path, submission_bytes: bytes, student: str = "s_adversary") -> Course:
    """Lay out source/, submitted/ (this learner and another), a gradebook sentinel."""
    source_dir = root / "source" / "ex_fixture"
    (source_dir / "data").mkdir(parents=True)
    (source_dir / "ex_fixture.ipynb").write_bytes(SOURCE_NB.read_bytes())
    for csv in (FIXTURE / "data").iterdir():
        (source_dir / "data" / csv.name).write_bytes(csv.read_bytes())
    gradebook = root / "gradebook.db"
    gradebook.write_bytes(b"SYNTHETIC sentinel standing in for the nbgrader gradebook\n")
    other = root / "submitted" / "s_other" / "ex_fixture" / "ex_fixture.ipynb"
    other.parent.mkdir(parents=True)
    other.write_text(nbformat.writes(honest_notebook()))
    submission = root / "submitted" / student / "ex_fixture" / "ex_fixture.ipynb"
    submission.parent.mkdir(parents=True)
    submission.write_bytes(submission_bytes)
    watched = [gradebook, other, source_dir / "ex_fixture.ipynb", *(source_dir / "data").iterdir()]
    return Course(root, submission, {p: _digest(p) for p in watched})


def _memory_cgroup(pid: str) -> str | None:
    for line in Path(f"/proc/{pid}/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        if "memory" in controllers.split(","):
            return path
    return None


def sandbox_processes() -> list[int]:
    """Pids of processes under a sandbox uid started from this test process's cgroup.

    Other people's graders on the same machine use the same uids; on a machine with a memory
    cgroup hierarchy, only sandboxes nested in our own cgroup are ours.
    """
    own = _memory_cgroup("self")
    pids = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
            group = _memory_cgroup(status.parent.name)
        except OSError:
            continue
        inside = group is None or group == own or group.startswith(own.rstrip("/") + "/")
        if own is not None and not inside:
            continue
        uid_line = next((ln for ln in text.splitlines() if ln.startswith("Uid:")), "")
        uids = [int(u) for u in uid_line.split()[1:]]
        if uids and UID_BASE <= uids[0] < UID_BASE + UID_SLOTS:
            pids.append(int(status.parent.name))
    return pids


# -- case files ---------------------------------------------------------------------------------
@dataclass
class Case:
    """One adversarial submission described by a case file (see cases/README.md)."""

    name: str
    klass: str
    expect: dict[str, float]
    status: str = "graded"
    reason: str | None = None
    limits: dict[str, float] = field(default_factory=dict)
    output: str | None = None
    requires: str | None = None
    directives: list[tuple[str, str]] = field(default_factory=list)

    def build(self) -> bytes:
        """The submitted file's bytes."""
        nb = honest_notebook()
        for header, body in self.directives:
            words = header.split()
            if words[0] == "raw-file":
                return body.encode()
            if words[0] in {"missing-file", "symlink-to-source"}:  # done by the test itself
                return b""
            nb = _apply(nb, words, body)
        return nbformat.writes(nb).encode() if not isinstance(nb, bytes) else nb


def _index(nb: nbformat.NotebookNode, grade_id: str) -> int:
    for position, cell in enumerate(nb.cells):
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            return position
    raise KeyError(grade_id)


def _apply(nb, words: list[str], body: str):  # noqa: C901 - one branch per directive
    verb, *args = words
    if verb == "as-v3":  # an old notebook format (nbformat 3, worksheets) of the same notebook
        return nbformat.writes(nbformat.convert(nb, 3), version=3).encode()
    if verb == "nbformat":
        data = json.loads(nbformat.writes(nb))
        data["nbformat"] = int(args[0])
        return json.dumps(data).encode()
    if verb == "cell":
        nb.cells[_index(nb, args[0])].source = body
    elif verb == "after":
        nb.cells.insert(_index(nb, args[0]) + 1, nbformat.v4.new_code_cell(body))
    elif verb == "delete":
        del nb.cells[_index(nb, args[0])]
    elif verb == "strip":
        nb.cells[_index(nb, args[0])].metadata.pop("nbgrader")
    elif verb == "retype":
        position = _index(nb, args[0])
        old = nb.cells[position]
        new = nbformat.v4.new_markdown_cell(old.source, metadata=old.metadata)
        nb.cells[position] = new
    elif verb == "duplicate":
        position = _index(nb, args[0])
        twin = copy.deepcopy(nb.cells[position])
        twin.source = body or twin.source
        twin["id"] = f"{twin.get('id') or 'cell'}-copy"[:64]
        nb.cells.insert(position + (0 if "before" in args else 1), twin)
    elif verb == "rename":
        nb.cells[_index(nb, args[0])].metadata["nbgrader"]["grade_id"] = args[1]
    elif verb == "fake":
        meta = {
            "grade": True,
            "solution": False,
            "locked": True,
            "grade_id": args[0],
            "points": float(args[1]),
            "schema_version": 3,
        }
        nb.cells.append(nbformat.v4.new_code_cell(body, metadata={"nbgrader": meta}))
    elif verb == "pad":
        nb.cells.append(nbformat.v4.new_markdown_cell("padding " * (int(args[0]) * 131072)))
    elif verb == "nest":  # a value nested N levels deep in the cell's metadata (last directive)
        nb.cells[_index(nb, args[0])].metadata["deep"] = "__NEST__"
        deep = '{"a":' * int(args[1]) + "1" + "}" * int(args[1])
        return nbformat.writes(nb).replace('"__NEST__"', deep).encode()
    elif verb == "meta":
        key, value = args[1].split("=", 1)
        nb.cells[_index(nb, args[0])].metadata["nbgrader"][key] = json.loads(value)
    else:
        raise ValueError(f"unknown directive {verb}")
    return nb


def load_case(path: Path) -> Case:
    """Parse a case file: ``# key: value`` headers, then ``# %% directive`` sections."""
    head, _, rest = path.read_text().partition("\n# %%")
    fields: dict[str, str] = {}
    for line in head.splitlines():
        match = re.match(r"# (\w+): (.*)", line)
        if match:
            fields[match[1]] = match[2].strip()
    expect = dict(FULL)
    for item in fields.get("expect", "").split():
        key, value = item.split("=")
        if key == "all":
            expect = dict.fromkeys(FULL, float(value))
        else:
            expect[key] = float(value)
    limits = {k: float(v) for k, v in (i.split("=") for i in fields.get("limits", "").split())}
    case = Case(
        path.stem,
        fields.get("class", "?"),
        expect,
        fields.get("status", "graded"),
        fields.get("reason"),
        limits,
        fields.get("output"),
        fields.get("requires"),
    )
    for section in ("# %%" + rest).split("\n# %%") if rest else []:
        section = section.removeprefix("# %%")
        header, _, body = section.partition("\n")
        case.directives.append((header.strip(), body))
    return case
