"""Benchmark: `python -m grader autograde --workers 2` against sequential `nbgrader autograde`.

Makes a cohort of SYNTHETIC submissions (test fixtures: right, partly right and unanswered
versions derived from the exercise's own source notebook), grades it three ways in one run
and prints side-by-side figures:

- throughput ratio of the grader (N workers) over sequential ``nbgrader autograde``;
- per-submission cost of the grader over a bare nbclient execution of the same notebooks
  (nbgrader's sanitised versions) on the same number of worker processes;
- peak memory per grader worker (proportional set size of the worker process plus the
  kernel and test processes it starts, sampled every 0.2 s).

It asserts that nbgrader and the grader give identical scores, submission by submission.

Usage: .venv/bin/python benchmarks/autograde.py [--exercise DIR] [--datasets DIR]
       [--submissions 60] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.grader.conftest import ExerciseUnderTest, make_submission, put_submissions  # noqa: E402

KINDS = ("right", "partial", "blank")
STAMP = "2025-03-01 10:00:00.000000 UTC"


def _env() -> dict[str, str]:
    bindir = str(Path(sys.executable).parent)
    return {
        **os.environ,
        "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(REPO),
    }


def _scores(course: Path, assignment: str) -> dict[str, dict[str, tuple]]:
    """student -> grade id -> (auto score, needs manual grade)."""
    from grader.course import Course
    from grader.gradebook import open_gradebook

    with open_gradebook(Course.open(course).db_url) as gb:
        return {
            sub.student.id: {
                g.name: (g.auto_score, g.needs_manual_grade) for g in sub.notebooks[0].grades
            }
            for sub in gb.assignment_submissions(assignment)
        }


class PeakMemory:
    """Samples the process tree under ``root_pid``; keeps the peak PSS per pool worker."""

    def __init__(self, root_pid: int) -> None:
        import psutil

        self.root = psutil.Process(root_pid)
        self.peaks: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    @staticmethod
    def _mem(proc) -> float:
        try:
            return proc.memory_full_info().pss
        except Exception:  # process ended between listing and reading  # noqa: BLE001
            return 0.0

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                servers = [p for p in self.root.children() if "forkserver" in " ".join(p.cmdline())]
                for server in servers:
                    for worker in server.children():
                        tree = [worker, *worker.children(recursive=True)]
                        total = sum(self._mem(p) for p in tree) / 2**20
                        self.peaks[worker.pid] = max(self.peaks.get(worker.pid, 0.0), total)
            except psutil.Error:
                pass
            time.sleep(0.2)


def _execute(path: str, data_dir: str) -> float:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(data_dir, Path(tmp) / "data")
        start = time.monotonic()
        NotebookClient(
            nb,
            timeout=30,
            allow_errors=True,
            kernel_name="python3",
            resources={"metadata": {"path": tmp}},
        ).execute()
        return time.monotonic() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--exercise", type=Path, default=REPO / "tests" / "fixtures" / "exercises" / "ex_fixture"
    )
    parser.add_argument("--datasets", type=Path, help="default: <exercise>/data or datasets/")
    parser.add_argument("--submissions", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    folder = args.exercise.resolve()
    datasets = args.datasets or (
        folder / "data" if (folder / "data").is_dir() else REPO / "datasets"
    )
    ex = ExerciseUnderTest(folder, datasets.resolve())
    from grader import release

    with tempfile.TemporaryDirectory(prefix="bench-autograde-") as tmp:
        base = Path(tmp) / "base"
        release.main(assignments=[ex.id], course=base, exercises=ex.exercises, datasets=ex.datasets)
        subs = {
            f"s{i:03d}_{KINDS[i % 3]}": make_submission(ex, KINDS[i % 3])[0]
            for i in range(args.submissions)
        }
        put_submissions(base, ex.id, subs, STAMP)
        nbg, ours = Path(tmp) / "nbgrader", Path(tmp) / "grader"
        shutil.copytree(base, nbg)
        shutil.copytree(base, ours)
        n = len(subs)
        print(
            f"exercise {ex.id}: {n} synthetic submissions, {args.workers} workers, "
            f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}",
            flush=True,
        )

        start = time.monotonic()
        subprocess.run(
            [sys.executable, "-m", "nbgrader", "autograde", ex.id],
            cwd=nbg,
            env=_env(),
            check=True,
            capture_output=True,
        )
        t_nbgrader = time.monotonic() - start
        print(
            f"sequential nbgrader autograde: {t_nbgrader:7.1f} s "
            f"({t_nbgrader / n:.2f} s/submission)",
            flush=True,
        )

        start = time.monotonic()
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "grader",
                "autograde",
                ex.id,
                "--workers",
                str(args.workers),
                "--course",
                str(ours),
            ],
            env=_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        with PeakMemory(proc.pid) as memory:
            proc.communicate()
        t_grader = time.monotonic() - start
        assert proc.returncode == 0, "grader autograde failed"
        print(
            f"grader autograde --workers {args.workers}: {t_grader:7.1f} s "
            f"({t_grader / n:.2f} s/submission)",
            flush=True,
        )

        notebooks = sorted((nbg / "autograded").glob(f"*/{ex.id}/{ex.id}.ipynb"))
        data = str(base / "source" / ex.id / "data")
        start = time.monotonic()
        with ProcessPoolExecutor(args.workers) as pool:
            list(pool.map(_execute, [str(p) for p in notebooks], [data] * len(notebooks)))
        t_bare = time.monotonic() - start
        print(
            f"bare nbclient, {args.workers} workers:  {t_bare:7.1f} s "
            f"({t_bare / n:.2f} s/submission)",
            flush=True,
        )

        a, b = _scores(nbg, ex.id), _scores(ours, ex.id)
        assert sorted(a) == sorted(b) == sorted(subs), "both must grade every submission"
        differ = [s for s in subs if a[s] != b[s]]
        assert not differ, f"scores differ for {differ[:5]}: {a[differ[0]]} vs {b[differ[0]]}"
        print(f"scores identical for all {n} submissions")
        peak = max(memory.peaks.values(), default=float("nan"))
        print(
            f"throughput ratio vs sequential nbgrader: {t_nbgrader / t_grader:.2f}x (target >= 1.8x)"
        )
        print(
            f"per-submission cost vs bare nbclient:    {t_grader / t_bare:.2f}x (target <= 1.15x)"
        )
        print(
            f"peak memory per worker (PSS, worker + its kernel/test processes): {peak:.0f} MB "
            f"(target <= 300 MB)"
        )


if __name__ == "__main__":
    main()
