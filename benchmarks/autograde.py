"""Benchmark: `python -m grader autograde` (warm, cold, on Dask) against sequential `nbgrader autograde`.

Makes a cohort of SYNTHETIC submissions (test fixtures: right, partly right and unanswered
versions derived from the exercise's own source notebook, see ``testkit.cohort``), grades it
several ways in one run and prints side-by-side figures:

- throughput of the grader with warm sandboxes (kernels forked from a zygote per worker) and
  with ``--cold`` (a fresh sandbox and interpreter per submission), each over sequential
  ``nbgrader autograde``; and the same warm grading through ``--dask`` on a
  ``dask.distributed.LocalCluster`` with as many single-threaded workers, as overhead over
  the local pool;
- CPU seconds per submission of each (the whole process tree, read from a cpuacct control
  group where the machine has one);
- peak memory per grader worker (proportional set size of the worker process plus the
  zygote, kernels, test runner and tests below it, sampled every 0.5 s), and the peak of the
  first and the last third of the run (a leak shows as a rise);
- where the warm grader's time goes per submission (``grader.costs`` phases, from the
  grading log);
- per-submission cost over a bare nbclient execution of the same notebooks.

It asserts that nbgrader and every grader run give identical scores, submission by submission.

Usage: .venv/bin/python benchmarks/autograde.py [--exercise DIR] [--datasets DIR]
       [--submissions 60] [--workers 2] [--no-dask] [--no-bare]
       .venv/bin/python benchmarks/autograde.py --leak-check --submissions 300
"""

from __future__ import annotations

import argparse
import json
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

from grader.course import LOG_NAME  # noqa: E402
from testkit.cohort import (  # noqa: E402
    DEFAULT_EXERCISE,
    ExerciseUnderTest,
    make_submission,
    put_submissions,
)

KINDS = ("right", "partial", "blank")
STAMP = "2025-03-01 10:00:00.000000 UTC"
_CPUACCT = Path("/sys/fs/cgroup/cpuacct")


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


class CpuGroup:
    """A cpuacct control group around one command: CPU seconds of its whole process tree.

    Every process the command starts stays in the group (the sandboxes' own groups are in
    the memory and pids hierarchies only), so nothing escapes the count, reaped or not.
    Without a cpuacct hierarchy (cgroup v2 machines, no root) it reports nothing.
    """

    def __init__(self, name: str) -> None:
        self.path: Path | None = None
        own = next(
            (
                line.split(":", 2)[2]
                for line in Path("/proc/self/cgroup").read_text().splitlines()
                if "cpuacct" in line.split(":", 2)[1].split(",")
            ),
            None,
        )
        if own is None or not _CPUACCT.is_dir():
            return
        path = _CPUACCT / own.lstrip("/") / f"bench-{os.getpid()}-{name}"
        try:
            path.mkdir()
        except OSError:
            return
        self.path = path

    def enter(self) -> None:
        """Move the calling process in (run in the child before exec)."""
        if self.path is not None:
            (self.path / "cgroup.procs").write_text(str(os.getpid()))

    def seconds(self) -> float | None:
        """CPU seconds used by everything in the group so far."""
        if self.path is None:
            return None
        return int((self.path / "cpuacct.usage").read_text()) / 1e9

    def remove(self) -> None:
        """Delete the group (its processes have ended)."""
        if self.path is not None:
            for _ in range(100):
                try:
                    self.path.rmdir()
                    return
                except OSError:
                    time.sleep(0.05)


class PeakMemory:
    """Samples the process tree under ``root_pid``; per pool worker the PSS peak, over time."""

    def __init__(self, root_pid: int) -> None:
        import psutil

        self.root = psutil.Process(root_pid)
        self.samples: dict[int, list[tuple[float, float]]] = {}
        self.rss: list[tuple[float, dict[str, float]]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    @staticmethod
    def _roles(worker) -> dict[str, float]:
        """Resident MB of the long-lived processes of one worker (what a leak would grow)."""
        roles = {"worker": worker.memory_info().rss / 2**20}
        for child in worker.children():
            command = " ".join(child.cmdline())
            for role in ("zygote", "testrunner"):
                if role in command:
                    roles[role] = child.memory_info().rss / 2**20
        return roles

    def rss_drift(self) -> str:
        """Median resident MB per role in the first and the last third of the run."""
        import statistics

        if not self.rss:
            return "no samples"
        start, end = self.rss[0][0], self.rss[-1][0]
        third = (end - start) / 3
        parts = []
        for role in ("worker", "zygote", "testrunner"):
            first = [r[role] for t, r in self.rss if t <= start + third and role in r]
            last = [r[role] for t, r in self.rss if t >= end - third and role in r]
            if first and last:
                a, b = statistics.median(first), statistics.median(last)
                parts.append(f"{role} {a:.0f} -> {b:.0f} MB")
        return ", ".join(parts)

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
                        now = time.monotonic()
                        self.samples.setdefault(worker.pid, []).append((now, total))
                        self.rss.append((now, self._roles(worker)))
            except psutil.Error:
                pass
            time.sleep(0.5)  # reading smaps costs CPU: often enough for a peak, not more

    def peak(self) -> float:
        return max((mb for series in self.samples.values() for _, mb in series), default=0.0)

    def thirds(self) -> tuple[float, float, float, float]:
        """Peak and median over all workers' samples, in the first and in the last third of
        the run: (peak first, peak last, median first, median last). A leak raises the
        median; a peak moves with whichever learner's data is in memory at that moment."""
        import statistics

        every = [s for series in self.samples.values() for s in series]
        if not every:
            return (float("nan"),) * 4
        start, end = min(t for t, _ in every), max(t for t, _ in every)
        third = (end - start) / 3
        first = [mb for t, mb in every if t <= start + third]
        last = [mb for t, mb in every if t >= end - third]
        return max(first), max(last), statistics.median(first), statistics.median(last)


def _quiet_worker() -> None:
    # the bare kernels' start-up warnings (TCP without encryption…) say nothing here
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)


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


def _timed(name: str, argv: list[str], cwd: Path, sample_memory: bool = False):
    """Run a command in its own CPU group; (wall s, CPU s or None, PeakMemory or None)."""
    group = CpuGroup(name)
    start = time.monotonic()
    proc = subprocess.Popen(
        argv,
        cwd=cwd,
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=group.enter,  # noqa: PLW1509 - the child is not threaded yet
    )
    memory = PeakMemory(proc.pid) if sample_memory else None
    if memory is not None:
        with memory:
            _, stderr = proc.communicate()
    else:
        _, stderr = proc.communicate()
    wall = time.monotonic() - start
    cpu = group.seconds()
    group.remove()
    if proc.returncode != 0:
        raise SystemExit(f"{name} failed: {stderr.decode(errors='replace')[-2000:]}")
    return wall, cpu, memory


def _costs(course: Path) -> dict[str, float]:
    """Mean seconds per submission per phase, from the grading log."""
    records = [json.loads(line) for line in (course / LOG_NAME).read_text().splitlines()]
    phases: dict[str, float] = {}
    graded = [r for r in records if r.get("kind") == "grade" and r.get("costs")]
    for record in graded:
        for phase, seconds in record["costs"].items():
            phases[phase] = phases.get(phase, 0.0) + seconds / len(graded)
    return phases


def _fmt_cpu(cpu: float | None, n: int) -> str:
    return "n/a (no cpuacct group)" if cpu is None else f"{cpu / n:.2f} CPU s/submission"


def leak_check(ex: ExerciseUnderTest, n: int, workers: int) -> None:
    """Warm grading only, of ``n`` submissions: memory per worker over the run, and every
    score as the submission's kind says it must be (no nbgrader run: this is about drift)."""
    from grader import release

    with tempfile.TemporaryDirectory(prefix="bench-leak-") as tmp:
        course = Path(tmp) / "course"
        release.main(
            assignments=[ex.id], course=course, exercises=ex.exercises, datasets=ex.datasets
        )
        made = {f"s{i:04d}_{KINDS[i % 3]}": make_submission(ex, KINDS[i % 3]) for i in range(n)}
        put_submissions(course, ex.id, {s: text for s, (text, _) in made.items()}, STAMP)
        print(f"exercise {ex.id}: {n} synthetic submissions, warm, {workers} workers", flush=True)
        argv = [sys.executable, "-m", "grader", "autograde", ex.id, "--workers", str(workers)]
        wall, cpu, memory = _timed("leak", [*argv, "--course", str(course)], REPO, True)
        scores = _scores(course, ex.id)
        wrong = [
            s
            for s, (_, expected) in made.items()
            if any(
                expected[gid] is not None and scores[s][gid][0] != expected[gid] for gid in expected
            )
        ]
        assert not wrong, f"unexpected scores for {wrong[:5]}"
        peak_first, peak_last, median_first, median_last = memory.thirds()
        print(
            f"{wall:.1f} s ({wall / n:.2f} s/submission, {_fmt_cpu(cpu, n)}); every score as expected"
        )
        print(
            f"memory per worker (PSS, worker + zygote, kernel, test runner): peak "
            f"{memory.peak():.0f} MB; first third of the run median {median_first:.0f} MB "
            f"(peak {peak_first:.0f}), last third median {median_last:.0f} MB "
            f"(peak {peak_last:.0f}): {median_last - median_first:+.0f} MB"
        )
        print(
            f"resident memory per process, median first third -> last third: {memory.rss_drift()}"
        )


def main() -> None:  # noqa: C901 - one straight measurement script
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--exercise", type=Path, default=DEFAULT_EXERCISE)
    parser.add_argument("--datasets", type=Path, help="default: <exercise>/data or datasets/")
    parser.add_argument("--submissions", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-dask", action="store_true", help="skip the LocalCluster run")
    parser.add_argument("--no-bare", action="store_true", help="skip the bare nbclient run")
    parser.add_argument(
        "--leak-check",
        action="store_true",
        help="only the warm grader, to watch memory over a long run (e.g. --submissions 300)",
    )
    args = parser.parse_args()
    folder = args.exercise.resolve()
    datasets = args.datasets or (
        folder / "data" if (folder / "data").is_dir() else REPO / "datasets"
    )
    ex = ExerciseUnderTest(folder, datasets.resolve())
    if args.leak_check:
        leak_check(ex, args.submissions, args.workers)
        return
    from grader import release

    with tempfile.TemporaryDirectory(prefix="bench-autograde-") as tmp:
        base = Path(tmp) / "base"
        release.main(assignments=[ex.id], course=base, exercises=ex.exercises, datasets=ex.datasets)
        subs = {
            f"s{i:03d}_{KINDS[i % 3]}": make_submission(ex, KINDS[i % 3])[0]
            for i in range(args.submissions)
        }
        put_submissions(base, ex.id, subs, STAMP)
        runs = ("nbgrader", "warm", "cold", *(() if args.no_dask else ("dask",)))
        courses = {name: Path(tmp) / name for name in runs}
        for course in courses.values():
            shutil.copytree(base, course)
        n = len(subs)
        w = args.workers
        print(
            f"exercise {ex.id}: {n} synthetic submissions, {w} workers, "
            f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}",
            flush=True,
        )
        grader = [sys.executable, "-m", "grader", "autograde", ex.id, "--workers", str(w)]

        t_nbg, cpu_nbg, _ = _timed(
            "nbgrader", [sys.executable, "-m", "nbgrader", "autograde", ex.id], courses["nbgrader"]
        )
        print(
            f"sequential nbgrader autograde:   {t_nbg:7.1f} s ({t_nbg / n:.2f} s/submission, "
            f"{_fmt_cpu(cpu_nbg, n)})",
            flush=True,
        )
        t_warm, cpu_warm, mem_warm = _timed(
            "warm", [*grader, "--course", str(courses["warm"])], REPO, sample_memory=True
        )
        print(
            f"grader autograde --workers {w} (warm): {t_warm:7.1f} s ({t_warm / n:.2f} "
            f"s/submission, {_fmt_cpu(cpu_warm, n)})",
            flush=True,
        )
        t_cold, cpu_cold, mem_cold = _timed(
            "cold", [*grader, "--cold", "--course", str(courses["cold"])], REPO, sample_memory=True
        )
        print(
            f"grader autograde --workers {w} --cold: {t_cold:7.1f} s ({t_cold / n:.2f} "
            f"s/submission, {_fmt_cpu(cpu_cold, n)})",
            flush=True,
        )
        t_dask = t_dask2 = None
        if not args.no_dask:
            from distributed import LocalCluster

            with LocalCluster(
                n_workers=w, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster:
                dask = [sys.executable, "-m", "grader", "autograde", ex.id]
                dask += ["--dask", cluster.scheduler_address, "--course", str(courses["dask"])]
                # the cluster starts before the clock: a standing cluster, as in production;
                # its workers start their zygotes on their first task (in the first run)
                t_dask, _, _ = _timed("dask", dask, REPO)
                t_dask2, _, _ = _timed("dask", [*dask, "--force"], REPO)
            print(
                f"grader autograde --dask (LocalCluster, {w} workers): {t_dask:7.1f} s "
                f"({t_dask / n:.2f} s/submission); again on the same cluster (--force, "
                f"zygotes warm): {t_dask2:7.1f} s ({t_dask2 / n:.2f} s/submission)",
                flush=True,
            )
        t_bare = None
        if not args.no_bare:
            notebooks = sorted(
                (courses["nbgrader"] / "autograded").glob(f"*/{ex.id}/{ex.id}.ipynb")
            )
            data = str(base / "source" / ex.id / "data")
            start = time.monotonic()
            with ProcessPoolExecutor(w, initializer=_quiet_worker) as pool:
                list(pool.map(_execute, [str(p) for p in notebooks], [data] * len(notebooks)))
            t_bare = time.monotonic() - start
            print(
                f"bare nbclient, {w} workers:        {t_bare:7.1f} s ({t_bare / n:.2f} s/submission)",
                flush=True,
            )

        reference = _scores(courses["nbgrader"], ex.id)
        assert sorted(reference) == sorted(subs), "nbgrader must grade every submission"
        for name in runs[1:]:
            theirs = _scores(courses[name], ex.id)
            assert sorted(theirs) == sorted(subs), f"{name} must grade every submission"
            differ = [s for s in subs if reference[s] != theirs[s]]
            assert not differ, f"{name}: scores differ for {differ[:5]}"
        print(
            f"scores identical to nbgrader's for all {n} submissions in every run ({', '.join(runs[1:])})"
        )

        print(
            f"throughput ratio vs sequential nbgrader, warm: {t_nbg / t_warm:.2f}x (target >= 3.0x)"
        )
        print(f"throughput ratio vs sequential nbgrader, cold: {t_nbg / t_cold:.2f}x")
        if cpu_nbg and cpu_warm and cpu_cold:
            print(
                f"CPU per submission: warm {cpu_warm / n:.2f} s, cold {cpu_cold / n:.2f} s, "
                f"nbgrader {cpu_nbg / n:.2f} s (target: warm below nbgrader's) -> "
                f"warm/nbgrader {cpu_warm / cpu_nbg:.2f}"
            )
        _, _, median_first, median_last = mem_warm.thirds()
        print(
            f"peak memory per worker (PSS, worker + zygote, kernels, test runner), warm: "
            f"{mem_warm.peak():.0f} MB (target <= 300 MB); median first third {median_first:.0f} MB, "
            f"last third {median_last:.0f} MB; cold: {mem_cold.peak():.0f} MB"
        )
        if t_dask is not None:
            print(
                f"Dask LocalCluster overhead over the local pool: {t_dask / t_warm - 1:+.0%} "
                f"(first run on the cluster), {t_dask2 / t_warm - 1:+.0%} (workers already warm)"
            )
        if t_bare is not None:
            print(f"per-submission cost vs bare nbclient, warm: {t_warm / t_bare:.2f}x")
        costs = _costs(courses["warm"])
        total = sum(costs.values()) or 1.0
        print("where a warm worker's time goes, mean per submission:")
        for phase, seconds in costs.items():
            print(f"  {phase:<22} {seconds * 1000:7.1f} ms  {seconds / total:5.1%}")
        print(f"  {'total':<22} {total * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
