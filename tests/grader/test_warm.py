"""Warm sandboxes: kernels forked from a zygote (grader.sandbox.isolation.zygote, warm, newroot, syscalls).

What one submission can leave for the next is tested in adversarial/test_leftovers.py; here:
what a forked kernel is (uid, namespaces, capabilities, what it can see of the grader), the cold
fallback, the cost split, and that both paths grade alike.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import re
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "adversarial"))

from worker_fixtures import FULL, honest_notebook, make_course  # noqa: E402

from grader.costs import PHASES  # noqa: E402
from grader.limits import Limits  # noqa: E402
from grader.sandbox.isolation import syscalls, warm  # noqa: E402
from grader.sandbox.isolation.kernel import SandboxKernel  # noqa: E402
from grader.worker import grade  # noqa: E402

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="warm sandboxes need root")

PROBE = """
import json, os, sys
status = dict(line.split(":", 1) for line in open("/proc/self/status"))
pid1 = open("/proc/1/cmdline", "rb").read().split(b"\\0")[0].decode()
print(json.dumps({
    "uid": os.getuid(), "gid": os.getgid(),
    "uid_map": open("/proc/self/uid_map").read().split(),
    "caps": {k: int(v, 16) for k, v in status.items() if k.startswith("Cap")},
    "no_new_privs": int(status["NoNewPrivs"]),
    "cmdline": open("/proc/self/cmdline", "rb").read().rstrip(b"\\0").split(b"\\0")[2].decode(),
    "environ": sorted(e.split(b"=")[0].decode() for e in open("/proc/self/environ", "rb").read().split(b"\\0") if e),
    "argv0": os.path.basename(sys.argv[0]),
    "pid1": pid1, "pid": os.getpid(),
    "grader_modules": [m for m in sys.modules if m.split(".")[0] == "grader"],
    "hostname": os.uname().nodename,
    "root": sorted(os.listdir("/")),
}))
"""


def _probe(tmp_path: Path) -> dict:
    # a short scratch path: ipc socket paths are capped at 107 bytes
    tmp_path = Path(tempfile.mkdtemp(prefix="warm-"))
    zygote = warm.zygote()
    assert zygote is not None, "this machine should fork warm kernels (root, namespaces)"
    notebook = tmp_path / "probe.ipynb"
    notebook.write_text("{}")
    files = {"/home/jovyan/probe/probe.ipynb": notebook}
    with SandboxKernel(
        limits=Limits(), scratch=tmp_path, workdir="/home/jovyan/probe", files=files, zygote=zygote
    ) as kernel:
        run = kernel.run(PROBE, deadline=time.monotonic() + 30)
    assert run.status == "ok", run.outputs
    return json.loads(run.outputs[0]["text"])


def test_forked_kernel_is_jovyan_in_its_own_user_namespace_without_capabilities(tmp_path):
    seen = _probe(tmp_path)
    assert (seen["uid"], seen["gid"]) == (1000, 1000)
    inside, outside, count = map(int, seen["uid_map"])
    assert (inside, count) == (1000, 1) and 61000 <= outside < 61256
    assert seen["caps"] == {"CapInh": 0, "CapPrm": 0, "CapEff": 0, "CapBnd": 0, "CapAmb": 0}
    assert seen["no_new_privs"] == 1
    assert seen["pid"] == 2 and seen["pid1"] == "init"  # its own pid namespace
    assert seen["hostname"] == "jupyter"
    # the whitelist: the system, Python's folders, private tmpfs; nothing else of the host
    assert not {"srv", "var", "opt", "mnt", "boot", "run", "media"} & set(seen["root"])


def test_forked_kernel_shows_a_plain_kernels_command_line_and_no_grader(tmp_path):
    seen = _probe(tmp_path)
    assert seen["cmdline"] == "ipykernel_launcher"
    assert seen["argv0"] == "ipykernel_launcher.py"
    assert seen["environ"] == ["HOME", "JPY_SESSION_NAME", "LANG", "PATH", "PWD", "SHELL"]
    assert seen["grader_modules"] == []


def _course(tmp_path: Path):
    return make_course(tmp_path / "course", nbformat.writes(honest_notebook()).encode())


def test_warm_and_cold_paths_grade_alike(tmp_path):
    task = _course(tmp_path).task(Limits())
    results = [grade(dataclasses.replace(task, cold=cold)) for cold in (False, True)]
    for result in results:
        assert result.status == "graded"
        assert {g.grade_id: g.score for g in result.grades if g.max_score and g.score} == FULL
        assert result.reasons == ()
    # the same outputs, byte for byte, but for the random id each widget gets
    texts = [
        re.sub(r'"model_id": "[0-9a-f]+"', '"model_id": "-"', r.graded_notebook) for r in results
    ]
    outputs = [
        [c.get("outputs") for c in nbformat.reads(text, as_version=4).cells if c.get("outputs")]
        for text in texts
    ]
    assert outputs[0] == outputs[1] and len(outputs[0]) == 2


def test_costs_split_every_phase_of_a_submission(tmp_path):
    result = grade(_course(tmp_path).task(Limits()))
    phases = [name for name, _ in result.costs]
    assert phases == list(PHASES)
    assert all(seconds >= 0 for _, seconds in result.costs)
    assert sum(seconds for _, seconds in result.costs) <= result.seconds + 0.05


def test_falls_back_to_the_cold_path_with_one_warning(tmp_path, monkeypatch, caplog):
    def refuse() -> None:
        raise warm.WarmUnavailableError("no namespaces here (test)")

    monkeypatch.setattr(warm, "_local", threading.local())
    monkeypatch.setattr(warm, "Zygote", refuse)
    task = _course(tmp_path).task(Limits())
    with caplog.at_level(logging.WARNING, logger="grader.sandbox.isolation.warm"):
        first, second = grade(task), grade(task)
    assert {g.grade_id: g.score for g in first.grades if g.score} == FULL
    assert {g.grade_id: g.score for g in second.grades if g.score} == FULL
    warnings = [r.getMessage() for r in caplog.records if "cold path" in r.getMessage()]
    assert warnings == ["grading on the cold path: no namespaces here (test)"]


def test_a_command_line_longer_than_the_room_left_is_refused():
    with pytest.raises(syscalls.SyscallError):
        syscalls.rewrite_command_line(["x" * 1_000_000], {})
