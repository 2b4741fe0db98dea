"""Trusted test process: ``python -m grader.sandbox.grading.testrunner [--serve]`` (jobs as JSON on stdin).

Runs each test cell's TRUSTED source (hidden tests included) in its own forked child of this
fresh interpreter, which no learner code ever touched. The child's namespace holds only the
answers rebuilt by ``decoder.py`` from JSON, the real builtins and ``display``. A test passes
iff it raises nothing; outputs are recorded the way a Jupyter kernel would record them, so
nbgrader's own ``determine_grade`` can score them (errors and stderr output score 0, a final
numeric expression is partial credit).
"""

from __future__ import annotations

import ast
import contextlib
import gc
import io
import json
import os
import resource
import select
import signal
import sys
import time
import traceback
import warnings

from grader.sandbox.grading.decoder import SnapshotError, decode_snapshot
from grader.sandbox.isolation.lifetime import die_with_parent

_RESULT_CAP = 4 * 1024 * 1024


def _error_output(error: BaseException, filename: str) -> dict:
    frames = traceback.extract_tb(error.__traceback__)
    # keep the test's own frames and library frames, never the runner's
    frames = [f for f in frames if f.filename != __file__]
    lines = ["Traceback (most recent call last):"]
    for frame in frames:
        lines.append(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}')
        if frame.filename != filename and frame.line:
            lines.append(f"    {frame.line}")
    lines += [ln.rstrip("\n") for ln in traceback.format_exception_only(type(error), error)]
    return {
        "output_type": "error",
        "ename": type(error).__name__,
        "evalue": str(error),
        "traceback": lines,
    }


def _run_cell(source: str, namespace: dict, filename: str) -> list[dict]:
    """Execute like an IPython cell: statements, then the last expression's value is shown."""
    outputs: list[dict] = []
    stdout, stderr = io.StringIO(), io.StringIO()

    def flush() -> None:
        for name, buffer in (("stdout", stdout), ("stderr", stderr)):
            text = buffer.getvalue()
            if text:
                outputs.append({"output_type": "stream", "name": name, "text": text})
                buffer.seek(0)
                buffer.truncate()

    def display(*values: object) -> None:
        for value in values:
            flush()
            outputs.append(
                {"output_type": "display_data", "metadata": {}, "data": {"text/plain": repr(value)}}
            )

    namespace["display"] = display
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            tree = ast.parse(source, filename=filename)
            last = tree.body[-1] if tree.body and isinstance(tree.body[-1], ast.Expr) else None
            quiet = source.rstrip().endswith(";")
            body = ast.Module(body=tree.body[:-1] if last else tree.body, type_ignores=[])
            exec(compile(body, filename, "exec"), namespace)  # noqa: S102 - trusted test code
            if last is not None:
                value = eval(compile(ast.Expression(last.value), filename, "eval"), namespace)  # noqa: S307
                if value is not None and not quiet:
                    flush()
                    outputs.append(
                        {
                            "output_type": "execute_result",
                            "metadata": {},
                            "data": {"text/plain": repr(value)},
                            "execution_count": None,
                        }
                    )
        except BaseException as error:  # noqa: BLE001 - a test fails on any exception, SystemExit too
            flush()
            outputs.append(_error_output(error, filename))
    flush()
    return outputs


def _child(test: dict, job: dict, write_fd: int) -> None:
    memory = int(job["memory_mb"]) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    os.chdir(job["workdir"])
    filename = f"<test cell {test['grade_id']}>"
    # what IPython does for code typed in a notebook: show its own DeprecationWarnings
    warnings.filterwarnings("default", category=DeprecationWarning, module="__main__")
    namespace: dict = {"__name__": "__main__", "__builtins__": __builtins__}
    try:
        namespace.update(decode_snapshot(test["snapshot"], names=test.get("names") or []))
        outputs = _run_cell(test["source"], namespace, filename)
        result = {"status": "ran", "outputs": outputs}
    except SnapshotError as error:
        result = {"status": "bad_snapshot", "outputs": [], "reason": str(error)[:300]}
    data = json.dumps(result, default=repr).encode()
    if len(data) > _RESULT_CAP:
        data = json.dumps(
            {
                "status": "ran",
                "outputs": [_error_output(ValueError("test output too large"), filename)],
            }
        ).encode()
    view = memoryview(data)
    while view:
        view = view[os.write(write_fd, view) :]


def run_one(test: dict, job: dict) -> dict:
    """Fork a child for one test; kill it if it outlives the per-cell limit."""
    read_fd, write_fd = os.pipe()
    runner = os.getpid()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_fd)
        code = 0
        try:
            die_with_parent(runner)
            _child(test, job, write_fd)
        except BaseException:  # noqa: BLE001 - the child must never return into the parent's loop
            code = 1
        finally:
            os._exit(code)
    os.close(write_fd)
    chunks: list[bytes] = []
    deadline = time.monotonic() + float(job["cell_seconds"])
    timed_out = False
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            timed_out = True
            os.kill(pid, signal.SIGKILL)
            break
        ready, _, _ = select.select([read_fd], [], [], remaining)
        if ready:
            chunk = os.read(read_fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    os.close(read_fd)
    _, status = os.waitpid(pid, 0)
    if timed_out:
        return {"status": "timeout", "outputs": []}
    try:
        return json.loads(b"".join(chunks))
    except ValueError:
        return {
            "status": "crashed",
            "outputs": [],
            "reason": f"test process ended with status {status}",
        }


def main() -> None:
    """Run jobs: one (cold path) or, with ``--serve``, one per line of stdin until it closes.

    Each job's results are one JSON line. A served runner is kept for many submissions; it
    stays as clean as a fresh one because every test runs in a fork and the runner itself
    only ever parses jobs (answers are decoded in the forks).
    """
    parent = os.environ.get("GRADER_RUNNER_PARENT", "")
    die_with_parent(int(parent) if parent.isdigit() else None)
    # imported before the job arrives (the grader starts this process early) so that every
    # forked test starts fast
    for module in ("numpy", "pandas"):
        with contextlib.suppress(ImportError):
            __import__(module)
    gc.freeze()  # the imports stay shared with every forked test (no collector writes)
    jobs = sys.stdin if "--serve" in sys.argv[1:] else [sys.stdin.read()]
    # results go to a private copy of stdout; fd 1 itself goes to /dev/null so that C-level
    # prints from libraries cannot corrupt the result stream
    result_stream = os.fdopen(os.dup(1), "w")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)
    for text in jobs:
        job = json.loads(text)
        results = [dict(run_one(test, job), grade_id=test["grade_id"]) for test in job["tests"]]
        result_stream.write(json.dumps(results) + "\n")
        result_stream.flush()
    result_stream.close()


if __name__ == "__main__":
    main()
