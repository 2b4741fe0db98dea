"""Unit tests of grader.sandbox: answer snapshots, test-name analysis, cell matching, limits,
and a few direct probes of the bubblewrap sandbox (SYNTHETIC fixture data only)."""

from __future__ import annotations

import json
import math
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "adversarial"))

from worker_fixtures import FIXTURE, honest_notebook  # noqa: E402

from grader.limits import Limits  # noqa: E402
from grader.sandbox.grading import encoder  # noqa: E402
from grader.sandbox.grading.decoder import SnapshotError, Unreadable, decode_snapshot  # noqa: E402
from grader.sandbox.grading.notebooks import build_plan, load_source, visible_source  # noqa: E402
from grader.sandbox.grading.snapshot import extract_snapshot, needed_names, snapshot_code  # noqa: E402
from grader.sandbox.isolation.bwrap import bwrap_args, kernel_env  # noqa: E402
from grader.sandbox.isolation.kernel import SandboxKernel  # noqa: E402


def roundtrip(value):
    """Encode as in the sandbox, decode as in the trusted test process."""
    text = encoder.snapshot({"x": value}, ["x"], 10_000_000)
    return decode_snapshot(text)["x"]


# -- snapshots ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        0,
        -7,
        2**70,
        1.5,
        "текст",
        [1, [2.5, "a"]],
        (1, "b"),
        {1: "a", "k": (2, 3)},
        {1, 2},
        frozenset({"a"}),
        3 + 4j,
    ],
)
def test_plain_values_roundtrip_with_their_exact_type(value) -> None:
    back = roundtrip(value)
    assert back == value
    assert type(back) is type(value)


def test_special_floats_and_numpy_scalars_roundtrip() -> None:
    assert math.isnan(roundtrip(float("nan")))
    assert roundtrip(float("-inf")) == float("-inf")
    for scalar in (np.float64(0.1), np.float32(2.5), np.int64(-3), np.int8(7), np.bool_(True)):
        back = roundtrip(scalar)
        assert back == scalar
        assert type(back) is type(scalar)
    assert isinstance(roundtrip(np.float64(1.0)), float)  # np.float64 is a float, as for nbgrader


def test_numpy_arrays_roundtrip() -> None:
    for array in (
        np.arange(6, dtype=np.int32).reshape(2, 3),
        np.array([[0.1, np.nan]]),
        np.array(["a", "bcd"]),
        np.array([True, False]),
        np.array([1, "x"], dtype=object),
    ):
        back = roundtrip(array)
        assert back.dtype == array.dtype
        assert back.shape == array.shape
        np.testing.assert_array_equal(back, array)


def test_pandas_objects_roundtrip_exactly() -> None:
    frame = pd.DataFrame(
        {
            "district": pd.Series(["Central", "Dzerzhinsky", None], dtype="str"),
            "members": [3, 5, 2],
            "income": [41500.0, np.nan, 19800.5],
            "benefit": [True, False, True],
            "nullable": pd.array([1, None, 3], dtype="Int64"),
            "kind": pd.Categorical(["a", "b", "a"], categories=["b", "a"], ordered=True),
            "when": pd.to_datetime(
                ["2024-01-01 00:00", None, "2024-03-05 10:00:00.5"], format="ISO8601"
            ),
            "zoned": pd.to_datetime(["2024-01-01 00:00", None, "2024-03-05 10:00"]).tz_localize(
                "Europe/Moscow"
            ),
            "span": pd.to_timedelta(["1 day", None, "2 hours"]),
            "mixed": [1, "two", 3.0],
        },
        index=pd.Index([10, 20, 30], name="row"),
    )
    pd.testing.assert_frame_equal(roundtrip(frame), frame)
    series = frame.set_index("district")["income"].rename("rate")
    pd.testing.assert_series_equal(roundtrip(series), series)
    grouped = frame.groupby(["district", "benefit"])["members"].sum()
    pd.testing.assert_series_equal(roundtrip(grouped), grouped)
    pd.testing.assert_frame_equal(roundtrip(frame.iloc[:0]), frame.iloc[:0])
    assert roundtrip(pd.Timestamp("2024-05-01 12:00")) == pd.Timestamp("2024-05-01 12:00")


def test_learner_objects_become_unreadable_or_their_plain_value() -> None:
    class Liar(float):
        def __eq__(self, other):
            return True

        __hash__ = float.__hash__

    back = roundtrip(Liar(1.0))
    assert type(back) is float and back == 1.0 and back != 2.0
    for value in (lambda: 1, object(), pd.Series.__new__, type("X", (), {})()):
        assert isinstance(roundtrip(value), Unreadable)
    assert Unreadable("x") != Unreadable("x")


def test_budget_and_missing_names() -> None:
    text = encoder.snapshot({"a": "x" * 1000, "b": 1}, ["a", "b", "c"], 500)
    ns = decode_snapshot(text)
    assert isinstance(ns["a"], Unreadable) and ns["b"] == 1 and "c" not in ns


@pytest.mark.parametrize(
    "text",
    [
        "[1]",
        '{"x": {"$t": "evil"}}',
        '{"x": {"$t": "np.ndarray", "dtype": "V8", "shape": [1], "data": [1]}}',
        '{"x": {"$t": "np.ndarray", "dtype": "<f8", "shape": [5], "data": [1]}}',
        '{"x": {"$t": "pd.Series", "name": null, "index": {"$t": "pd.RangeIndex", "start": 0, "stop": 9, "step": 1}, '
        '"column": {"dtype": "float64", "values": [1.0]}}}',
        '{"x": {"$t": "module", "name": "os"}}',
        "[" * 100000,
        "not json",
    ],
)
def test_decoder_rejects_anything_unexpected(text: str) -> None:
    try:
        namespace = decode_snapshot(text)
    except SnapshotError:
        return
    assert all(isinstance(v, Unreadable) for v in namespace.values())


def test_snapshot_code_and_extraction() -> None:
    code, marker = snapshot_code(["a"], 1000)
    assert "BEGIN HIDDEN" not in code and marker in code
    assert extract_snapshot(f"noise{marker}{{}}{marker}more", marker) == "{}"
    assert extract_snapshot("nothing", marker) is None


def test_needed_names_reads_only_what_the_test_uses_from_the_learner() -> None:
    source = load_source(str(FIXTURE / "ex_fixture.ipynb"))
    assert needed_names(source.cells["q1_mean_income"].source) == ["mean_income"]
    assert needed_names(source.cells["q3_low_income"].source) == ["low_income", "low_income_share"]
    assert needed_names("import math\nx = math.pi\nassert y > x\n%time z") == ["y"]
    assert needed_names("for district in d:\n    print(district)") == ["d", "district"]


# -- the answer channel (issue 15, class 3) ------------------------------------------------------
def test_trusted_side_accepts_only_the_names_the_test_reads() -> None:
    forged = json.dumps(
        {
            "answer": 1,
            "__builtins__": {"$t": "dict", "items": [["len", 3]]},
            "__import__": None,
            "len": [1, 2, 3],
            "unrelated": {"$t": "evil"},  # never decoded: not asked for
        }
    )
    assert decode_snapshot(forged, names=["answer"]) == {"answer": 1}
    assert set(decode_snapshot(forged)) == {"answer", "len", "unrelated"}  # no dunder, ever
    assert needed_names("assert __builtins__ and __import__('os') and x") == ["x"]


def test_snapshot_cell_never_names_what_only_hidden_tests_read() -> None:
    source = load_source(str(FIXTURE / "ex_fixture.ipynb")).cells["q2_benefit_rate"].source
    hidden_only = set(needed_names(source)) - set(needed_names(visible_source(source)))
    assert hidden_only == {"district", "share"}
    code, _ = snapshot_code(needed_names(visible_source(source)), 1000)
    assert not any(f'"{name}"' in code for name in hidden_only)
    # the cell carries every learner global instead, so the hidden names still arrive
    namespace = {"benefit_rate": 0.5, "share": 0.25, "_private": 1, "_i3": "x", "_7": 1}
    namespace |= {"In": [], "Out": {}, "__builtins__": {}, "get_ipython": None}
    sent = json.loads(encoder.snapshot(namespace, ["benefit_rate"], 10_000))
    assert list(sent) == ["benefit_rate", "_private", "share"]
    # another global may use an eighth of the budget; the visible answer keeps the rest
    sent = json.loads(encoder.snapshot({"ans": "a" * 500, "big": "b" * 200}, ["ans"], 800))
    assert sent["ans"] == "a" * 500 and sent["big"]["$t"] == "too_large"


def test_runner_fails_a_builtins_only_test_whatever_the_snapshot_says() -> None:
    from grader.sandbox.grading.testrunner import run_one

    job = {"cell_seconds": 10, "memory_mb": 1024, "workdir": tempfile.gettempdir()}
    test = "assert isinstance(answer, int) and len([answer]) == 1\nassert answer == 42"
    forged = json.dumps(
        {
            "answer": 7,
            "__builtins__": {"$t": "dict", "items": []},
            "isinstance": True,
            "len": 1,
            "AssertionError": None,
        }
    )
    names = needed_names(test)
    assert names == ["answer"]
    result = run_one({"grade_id": "q", "source": test, "snapshot": forged, "names": names}, job)
    assert result["status"] == "ran"
    assert [o["ename"] for o in result["outputs"] if o["output_type"] == "error"] == [
        "AssertionError"
    ]
    honest = {"grade_id": "q", "source": test, "snapshot": '{"answer": 42}', "names": names}
    assert run_one(honest, job)["outputs"] == []


# -- matching cells -----------------------------------------------------------------------------
def test_plan_matches_by_grade_id_and_reinserts_deleted_cells() -> None:
    source = load_source(str(FIXTURE / "ex_fixture.ipynb"))
    nb = honest_notebook()
    cells = [
        {"cell_type": c.cell_type, "source": c.source, "metadata": dict(c.metadata), "id": None}
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("grade_id") != "q2_benefit_rate"
    ]
    plan = build_plan(source, cells)
    assert plan.missing == ["q2_benefit_rate"]
    ids = [c["metadata"].get("nbgrader", {}).get("grade_id") for c in plan.cells]
    assert ids.index("q2_benefit_rate") == ids.index("q2_benefit_rate_answer") + 1
    tests = [gid for _, kind, gid in plan.steps if kind == "test"]
    assert tests == ["q1_mean_income", "q3_low_income"]
    q1 = plan.cells[ids.index("q1_mean_income")]
    assert "BEGIN HIDDEN TESTS" in q1["source"]  # trusted source, not the learner's copy
    assert len({c["id"] for c in plan.cells}) == len(plan.cells)


def test_visible_source_drops_the_hidden_block() -> None:
    text = "assert a\n### BEGIN HIDDEN TESTS\nassert b == 3\n### END HIDDEN TESTS\n"
    assert visible_source(text) == "assert a\n"


def test_limits_validate() -> None:
    assert Limits().cell_seconds == 30.0
    with pytest.raises(ValueError, match="memory_mb"):
        Limits(memory_mb=0)
    with pytest.raises(ValueError, match="whole number"):
        Limits(disk_mb=1.5)
    assert type(Limits(disk_mb=64.0).disk_mb) is int


# -- the sandbox itself -------------------------------------------------------------------------
def _sandbox_args() -> list[str]:
    return bwrap_args(
        limits=Limits(),
        workdir="/home/jovyan/ex",
        runtime_host="/x/runtime",
        runtime_sandbox="/home/jovyan/.local/share/jupyter/runtime",
        files=[],
        env=kernel_env("/home/jovyan/ex/ex.ipynb"),
    )


def test_sandbox_mounts_hide_the_host() -> None:
    args = _sandbox_args()
    binds = [args[i + 2] for i, a in enumerate(args) if a in {"--bind", "--ro-bind"}]
    assert "/" not in binds and "/work/main" not in binds and "/tmp" not in binds
    writable = [args[i + 2] for i, a in enumerate(args) if a == "--bind"]
    assert writable == ["/home/jovyan/.local/share/jupyter/runtime"]
    assert "--unshare-net" in args and "--clearenv" in args


def test_python_is_bound_after_the_private_tmp(monkeypatch) -> None:
    # A CI checkout may keep its virtualenv under /tmp: the tmpfs must not be mounted over it.
    from grader.sandbox.isolation import bwrap

    monkeypatch.setattr(bwrap, "python_roots", lambda: ["/tmp/ci/main/.venv"])
    args = _sandbox_args()
    tmp_mount = next(i for i, a in enumerate(args) if a == "--tmpfs" and args[i + 1] == "/tmp")
    venv_bind = next(
        i for i, a in enumerate(args) if a == "--ro-bind" and args[i + 1] == "/tmp/ci/main/.venv"
    )
    assert tmp_mount < venv_bind
    # /tmp keeps its sticky, world-writable mode: no later --dir resets it.
    assert not any(args[i] == "--dir" and args[i + 1] == "/tmp" for i in range(len(args) - 1))


PROBE = r"""
import json, os, socket
facts = {"uid": os.getuid(), "cwd": os.getcwd(), "files": sorted(os.listdir(".")),
         "root": sorted(os.listdir("/")), "env": sorted(os.environ)}
for path in ("/etc/shadow", "/work/main/pyproject.toml", "/root/.bashrc"):
    try:
        open(path).read(1)
        facts[path] = "readable"
    except OSError as error:
        facts[path] = type(error).__name__
facts["hostname"] = [socket.gethostname(), open("/etc/hostname").read().strip()]
try:
    socket.create_connection(("127.0.0.1", 22), timeout=1)
    facts["net"] = "open"
except OSError as error:
    facts["net"] = type(error).__name__
print(json.dumps(facts))
"""


def test_sandboxed_kernel_sees_a_plain_notebook_folder_and_nothing_else() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        scratch.chmod(0o755)
        files = {
            "/home/jovyan/ex_fixture/ex_fixture.ipynb": FIXTURE / "ex_fixture.ipynb",
            "/home/jovyan/ex_fixture/data/fixture_households.csv": FIXTURE
            / "data"
            / "fixture_households.csv",
        }
        with SandboxKernel(
            limits=Limits(), scratch=scratch, workdir="/home/jovyan/ex_fixture", files=files
        ) as kernel:
            run = kernel.run(PROBE, deadline=time.monotonic() + 60)
    facts = json.loads(run.outputs[0]["text"])
    assert facts["cwd"] == "/home/jovyan/ex_fixture"
    assert facts["files"] == ["data", "ex_fixture.ipynb"]
    assert facts["uid"] != 0
    assert "work" not in facts["root"] or facts["/work/main/pyproject.toml"] != "readable"
    assert {facts[p] for p in ("/etc/shadow", "/work/main/pyproject.toml", "/root/.bashrc")} <= {
        "PermissionError",
        "FileNotFoundError",
    }
    assert facts["net"] in {"ConnectionRefusedError", "OSError"}
    assert facts["hostname"] == ["jupyter", "jupyter"]  # not the grading machine's name
    assert not any("GRADE" in key.upper() or "SANDBOX" in key.upper() for key in facts["env"])
