"""Nothing of one submission reaches the next one graded in the same process (issue 20).

Each case grades a hostile SYNTHETIC submission A, then a probing submission B with the same
``grade`` in the same process, one after the other, as a pool worker does (and, on the warm
path, from the same warm template process). A is the honest notebook plus one hostile cell at
its end (``leftovers/a_*.py``): it patches modules, plants files, leaves processes running,
changes process state, or signals and traces whatever it can reach. B is the honest notebook
plus the probe cell ``leftovers/probe.py``, which prints everything a leftover could touch.

B must score full marks and observe exactly what the same probe observes in a fresh sandbox
(two probes graded before any hostile submission, per path), apart from its random draws,
which must differ from the baseline's and from the sequences A seeded. After A's ``grade``
returns, no process of A may be alive on the host (checked in /proc by sandbox uid and by A's
token in command lines and environments).
"""

from __future__ import annotations

import ast
import dataclasses
import hashlib
import json
import os
import signal
import sys
import time
import uuid
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from worker_fixtures import FIXTURE, FULL, honest_notebook, make_course, sandbox_processes  # noqa: E402

from grader.limits import Limits  # noqa: E402
from grader.worker import GradeResult, GradeTask, grade  # noqa: E402

HERE = Path(__file__).resolve().parent / "leftovers"
LIMITS = Limits(cell_seconds=6.0, notebook_seconds=40.0, output_bytes=4_000_000, disk_mb=32)
PROBE_MARK = "LEFTOVER-PROBE "
NUL = b"\0"
# the first draws after random.seed(0) and numpy.random.seed(0)
SEEDED = (0.8444218515250481, 0.5488135039273248)
# parametrized per module: the baseline probes are graded once per path
COLD = pytest.mark.parametrize("cold", [False, True], ids=["warm", "cold"], scope="module")


def _task(course, cold: bool, student: str) -> GradeTask:
    """The course's task on the warm (default) or cold path, once GradeTask knows ``cold``."""
    task = course.task(LIMITS, student=student)
    if "cold" in GradeTask.__dataclass_fields__:
        task = dataclasses.replace(task, cold=cold)
    return task


def _notebook(extra_cell: str) -> bytes:
    nb = honest_notebook()
    nb.cells.append(nbformat.v4.new_code_cell(extra_cell))
    return nbformat.writes(nb).encode()


def _grade(root: Path, extra_cell: str, cold: bool, student: str) -> GradeResult:
    course = make_course(root, _notebook(extra_cell), student=student)
    result = grade(_task(course, cold, student))
    assert course.changed_sentinels() == []
    return result


def _scores(result: GradeResult) -> dict[str, float]:
    return {g.grade_id: g.score for g in result.grades if g.cell_type == "autograded_test"}


def _stdout(result: GradeResult) -> str:
    """All stream text of the graded notebook's cells."""
    texts = []
    for cell in json.loads(result.graded_notebook)["cells"]:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                text = output.get("text", "")
                texts.append("".join(text) if isinstance(text, list) else text)
    return "".join(texts)


def _line(result: GradeResult, prefix: str) -> str:
    lines = [ln for ln in _stdout(result).splitlines() if ln.startswith(prefix)]
    assert lines, f"no {prefix!r} line in the graded notebook: {_stdout(result)[-3000:]}"
    return lines[-1].removeprefix(prefix)


def _probe(token: str) -> str:
    return (HERE / "probe.py").read_text().replace("__NEKOT__", token[::-1])


def _observed(result: GradeResult) -> dict:
    assert result.status == "graded", result.reasons
    return ast.literal_eval(_line(result, PROBE_MARK))


def _hostile(name: str, token: str) -> str:
    return (HERE / f"a_{name}.py").read_text().replace("__TOKEN__", token)


def _alive(pid: str) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _marked_processes(token: str) -> list[str]:
    """Live processes anywhere on the host whose command line or environment holds the token."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            cmdline = (proc / "cmdline").read_bytes()
            environ = (proc / "environ").read_bytes()
        except OSError:
            continue
        if (token.encode() in cmdline or token.encode() in environ) and _alive(proc.name):
            found.append(f"{proc.name}: {cmdline.replace(NUL, b' ')[:200]!r}")
    return found


def _marked_host_files(token: str) -> list[str]:
    """Files named with the token in the host's shared temp places and grading scratch dirs."""
    found = []
    for place in (Path("/tmp"), Path("/dev/shm"), Path("/var/tmp")):
        found += [str(p) for p in place.glob(f"*{token}*")]
        for scratch in place.glob("jupyter-*"):
            try:
                found += [str(p) for p in scratch.rglob(f"*{token}*")]
            except OSError:  # another grader removed its scratch meanwhile
                continue
    return found


@pytest.fixture(scope="module")
def baseline(cold: bool, tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    """What the probe sees in a fresh sandbox: two honest probes, before anything hostile."""
    root = tmp_path_factory.mktemp(f"baseline-{'cold' if cold else 'warm'}")
    seen = []
    for number in (1, 2):
        token = f"leftover{uuid.uuid4().hex}"
        result = _grade(root / str(number), _probe(token), cold, f"s_probe{number}")
        assert _scores(result) == FULL, result.reasons
        seen.append(_observed(result))
    return seen


def _differences(observed: dict, expected: dict) -> dict:
    """Keys whose values differ (the random draws are checked on their own)."""
    return {
        key: {"B": observed.get(key), "fresh": expected.get(key)}
        for key in sorted(set(observed) | set(expected))
        if key != "draws" and observed.get(key) != expected.get(key)
    }


def _explain(differences: dict) -> str:
    """A short account of what B saw that a fresh sandbox does not show (lists as +/-)."""
    lines = []
    for key, pair in differences.items():
        seen, fresh = pair["B"], pair["fresh"]
        if isinstance(seen, list) and isinstance(fresh, list):
            extra = [x for x in seen if x not in fresh]
            gone = [x for x in fresh if x not in seen]
            lines.append(f"{key}: +{extra!r:.600} -{gone!r:.300}")
        else:
            lines.append(f"{key}: B={seen!r:.600} fresh={fresh!r:.600}")
    return "\n".join(lines)


def _after_hostile(
    tmp_path: Path, name: str, cold: bool, baseline: list[dict]
) -> tuple[GradeResult, GradeResult, dict, str]:
    """Grade hostile A then probe B; check A left no process; return both results, B's view."""
    token = f"leftover{uuid.uuid4().hex}"
    before = set(sandbox_processes())
    hostile = _grade(tmp_path / "a", _hostile(name, token), cold, "s_hostile")
    time.sleep(0.3)
    assert _marked_processes(token) == []
    assert set(sandbox_processes()) - before == set()
    probe = _grade(tmp_path / "b", _probe(token), cold, "s_probe")
    seen = _observed(probe)
    assert seen["marked_files"] == []
    assert seen["marked_processes"] == []
    assert seen["marked_modules"] == []
    differences = _differences(seen, baseline[0])
    assert differences == {}, _explain(differences)
    assert _scores(probe) == FULL, probe.reasons
    assert seen["draws"][0] not in (SEEDED[0], baseline[0]["draws"][0])
    assert seen["draws"][1] not in (SEEDED[1], baseline[0]["draws"][1])
    assert _marked_processes(token) == []
    assert _marked_host_files(token) == []
    return hostile, probe, seen, token


@COLD
def test_fresh_sandboxes_look_alike_but_draw_different_numbers(baseline: list[dict]) -> None:
    """The probe itself is deterministic: two honest submissions see the same fresh sandbox."""
    first, second = baseline
    differences = _differences(second, first)
    assert differences == {}, _explain(differences)
    assert first["marked_files"] == first["marked_processes"] == []
    data = hashlib.sha256((FIXTURE / "data" / "fixture_households.csv").read_bytes()).hexdigest()
    assert first["data_sha"] == data
    assert first["behaviour"]["series_mean"] == first["behaviour"]["numpy_mean"] == 2.0
    assert first["behaviour"]["isclose"] is False
    assert first["behaviour"]["len_sum_round"] == (3, 3, 2)
    assert first["cwd"] == "/home/jovyan/ex_fixture"
    # neither random module hands every submission the same sequence
    assert first["draws"][0] != second["draws"][0]
    assert first["draws"][1] != second["draws"][1]
    assert SEEDED[0] not in (first["draws"][0], second["draws"][0])
    assert SEEDED[1] not in (first["draws"][1], second["draws"][1])


@COLD
def test_modules_patched_in_memory_are_gone(
    tmp_path: Path, cold: bool, baseline: list[dict]
) -> None:
    hostile, _, seen, token = _after_hostile(tmp_path, "patch_modules", cold, baseline)
    assert _scores(hostile) == FULL
    assert f"patched {token}" in _stdout(hostile)  # the patches were really made
    assert seen["behaviour"]["json"] == "[1]"
    assert seen["behaviour"]["pandas_attrs"] == []
    assert seen["behaviour"]["random_type"] == "builtin_function_or_method"
    assert not any(token in name for name, _ in seen["builtins"])


@COLD
def test_files_left_in_every_writable_place_are_gone(
    tmp_path: Path, cold: bool, baseline: list[dict]
) -> None:
    hostile, _, seen, token = _after_hostile(tmp_path, "files", cold, baseline)
    assert _scores(hostile) == FULL
    written = ast.literal_eval(_line(hostile, "WRITTEN "))
    home = "/home/jovyan"
    # the attack did land in A's own sandbox: home, its startup files, the workdir, the temps
    for planted in (
        f"{home}/.ipython/profile_default/startup/00-x.py",
        f"{home}/.local/lib/python{sys.version_info.major}.{sys.version_info.minor}"
        "/site-packages/usercustomize.py",
        f"{home}/ex_fixture/pandas.py",
        f"{home}/ex_fixture/data/fixture_households.csv",
        f"/tmp/{token}",
        f"/dev/shm/{token}",
    ):
        assert planted in written
    assert "LEFTOVER_RAN" not in seen["env"]
    assert not any(name.startswith("LEFTOVER") for name, _ in seen["builtins"])
    assert seen["behaviour"]["pandas_file"] == baseline[0]["behaviour"]["pandas_file"]


@COLD
def test_threads_children_and_daemons_die_with_their_submission(
    tmp_path: Path, cold: bool, baseline: list[dict]
) -> None:
    hostile, _, seen, _ = _after_hostile(tmp_path, "processes", cold, baseline)
    assert _scores(hostile) == FULL
    # every one of them was running when A's cell ended
    assert _line(hostile, "LINGERING ").split() == ["child", "daemon", "fork", "shell", "thread"]
    assert seen["threads"] == baseline[0]["threads"]


@COLD
def test_process_state_environment_and_random_seeds_are_reset(
    tmp_path: Path, cold: bool, baseline: list[dict]
) -> None:
    hostile, _, seen, token = _after_hostile(tmp_path, "process_state", cold, baseline)
    assert _scores(hostile) == FULL
    assert f"STATE {token} /tmp/{token} 0o0" in _stdout(hostile)
    assert not any(token in value for value in seen["env"].values())
    assert seen["cwd"] == "/home/jovyan/ex_fixture"
    assert seen["umask"] == baseline[0]["umask"]


@COLD
def test_signalling_and_tracing_everything_reaches_nothing_outside(
    tmp_path: Path, cold: bool, baseline: list[dict]
) -> None:
    hostile, _, _, token = _after_hostile(tmp_path, "signals", cold, baseline)
    assert hostile.status == "graded"
    assert _scores(hostile) == FULL
    report = _line(hostile, "LISTED ")
    # no process it could see let itself be traced; none but its own threads took a signal
    assert report.endswith(" TRACED [] SIGNALLABLE []"), report
    assert f"SURVIVED {token}" in _stdout(hostile)


def _own_warm_processes() -> list[int]:
    """This test process's warm helpers (kernel zygote, trusted test runner), if any."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            ppid = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (proc / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        if ppid == os.getpid() and (
            b"grader.sandbox.isolation.zygote" in cmdline or b"--serve" in cmdline
        ):
            found.append(int(proc.name))
    return found


@COLD
def test_a_killed_warm_process_is_replaced(
    tmp_path: Path, cold: bool, baseline: list[dict]
) -> None:
    """If the zygote or the test runner has died between two submissions, the next is graded.

    Killed just before ``grade`` (not yet reaped), a helper can still look alive to the worker;
    ``grade`` then raised (``WarmUnavailableError: the zygote is gone (Broken pipe)``) in one
    run of this test in three before it waited for the death to be complete.
    """
    warm = _own_warm_processes()
    if cold or not warm:
        pytest.skip("no warm process to kill on this path")
    for pid in warm:
        os.kill(pid, signal.SIGKILL)
    # dead, not merely signalled: a helper dying DURING a grade is another matter (see below)
    deadline = time.monotonic() + 10
    while any(_alive(str(pid)) for pid in warm) and time.monotonic() < deadline:
        time.sleep(0.05)
    token = f"leftover{uuid.uuid4().hex}"
    seen = _observed(_grade(tmp_path / "b", _probe(token), cold, "s_probe"))
    differences = _differences(seen, baseline[0])
    assert differences == {}, _explain(differences)
    assert seen["draws"][1] != baseline[0]["draws"][1]
    assert not set(warm) & set(_own_warm_processes())
