"""Where grading tasks run: a local process pool or a dask.distributed cluster.

Both executors take a picklable, stateless function and a list of tasks and yield
``(task, result_or_exception)`` pairs as they finish, in any order. Nothing here touches
the gradebook or the course directory: results travel back to the one parent process.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from grader.errors import GraderError
from grader.sandbox.isolation.lifetime import start_ticks

log = logging.getLogger(__name__)

# A worker process that dies (not the learner's kernel: the grading process itself) breaks
# the whole pool; the unfinished tasks are retried on a fresh pool this many times.
POOL_RESTARTS = 2


def default_workers() -> int:
    """Worker count when none is given: the CPUs this process may use."""
    return max(1, len(os.sched_getaffinity(0)))


def _worker_start(run_parent: int, ticks: str | None) -> None:
    """Pool worker initialiser: die with the run (kill -9 included), and with the fork server."""
    from grader.sandbox.isolation.lifetime import die_with, die_with_parent

    die_with_parent()
    die_with(run_parent, ticks)


def run_local(
    fn: Callable[[Any], Any], tasks: Sequence[Any], workers: int
) -> Iterator[tuple[Any, Any]]:
    """Run ``fn`` over ``tasks`` on ``workers`` processes; yield results as they finish."""
    if workers < 1:
        raise GraderError(f"--workers must be at least 1, got {workers}")
    pending = list(tasks)
    # forkserver: workers start from a clean interpreter, not a copy of this process with
    # its open database connections.
    context = multiprocessing.get_context("forkserver")
    module = getattr(fn, "__module__", None)
    if module and module != "__main__":
        # imported once in the fork server, so workers start as cheap forks of it
        context.set_forkserver_preload([module])
    for restart in range(POOL_RESTARTS + 1):
        broken: list[Any] = []
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_worker_start,
            initargs=(os.getpid(), start_ticks(os.getpid())),
        ) as pool:
            try:
                futures: dict[Future, Any] = {pool.submit(fn, task): task for task in pending}
            except BrokenProcessPool as exc:  # workers died while starting
                raise GraderError(f"grading worker processes could not start: {exc}") from None
            while futures:
                finished, _ = wait(futures, return_when=FIRST_COMPLETED)
                for future in finished:
                    task = futures.pop(future)
                    exc = future.exception()
                    if isinstance(exc, BrokenProcessPool) and restart < POOL_RESTARTS:
                        broken.append(task)
                    else:
                        yield task, exc if exc is not None else future.result()
        if not broken:
            return
        log.warning("a grading process died; retrying %d unfinished tasks", len(broken))
        pending = broken


def connect_dask(address: str) -> Any:
    """A client of the dask.distributed scheduler at ``address``.

    Raises:
        GraderError: the scheduler does not answer within a few seconds.
    """
    from distributed import Client

    try:
        return Client(address, timeout="5s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise GraderError(f"cannot reach the Dask scheduler at {address}: {exc}") from None


def run_dask(
    fn: Callable[[Any], Any], tasks: Sequence[Any], client: Any
) -> Iterator[tuple[Any, Any]]:
    """Run ``fn`` over ``tasks`` on a dask.distributed cluster; yield results as they finish.

    The workers must see the course directory at the same path (a shared file system).
    """
    from distributed import as_completed

    try:
        # pure=False: the same task submitted twice (e.g. --force) must run again.
        futures = client.map(fn, list(tasks), pure=False)
        by_key = {f.key: t for f, t in zip(futures, tasks, strict=True)}
        for future in as_completed(futures):
            task = by_key[future.key]
            if future.status == "finished":
                yield task, future.result()
            else:
                yield task, future.exception()
            future.release()
    finally:
        client.close()
