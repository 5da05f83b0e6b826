"""Local worker processes: an ingest's per-document work on this machine's cores, no Dask.

``process_pool(workers)`` gives a ``ProcessRunner`` over a standard-library
``ProcessPoolExecutor``; ``scale.ingest.ingest_parallel`` runs the same tasks on it as on a
Dask cluster (``scale.tasks``: read and prepare a file or a part; build a few stories' briefs)
while this process writes every result through the store's one write path, in input order. So
the store is the in-process ingest's, documents and ids, copies, stories and briefs alike.

Workers run below the writer's CPU priority (``LOCAL_WORKER_NICENESS``, as a local Dask
cluster's) and ignore Ctrl-C, which the writer handles: it stops submitting, lets the running
tasks end and leaves the store as its last committed batch (a rerun adds the rest). A worker
that dies (killed, out of memory) stops the ingest with ``WorkerDied``; what was written
stays, and a rerun adds what is missing.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver as forkserver
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any

from storybrief.scale.cluster import LOCAL_WORKER_NICENESS

__all__ = ["ProcessRunner", "WorkerDied", "default_workers", "process_pool"]

#: How a worker process starts. ``forkserver`` (Linux): workers fork from a server process
#: that is a fresh interpreter, so they inherit neither the store nor a progress-bar thread of
#: this one (``fork`` from a threaded process can deadlock), and the server loads what every
#: task needs once before forking them (``scale.warm``); ``spawn`` elsewhere (the platform's
#: default), where each worker loads it for itself.
START_METHOD = "forkserver" if sys.platform.startswith("linux") else "spawn"
#: Imported by the fork server before it forks workers.
PRELOAD = ["storybrief.scale.warm"]


class WorkerDied(RuntimeError):
    """A worker process ended abruptly (killed, out of memory): the ingest stopped there."""


def default_workers() -> int:
    """Worker processes when none are asked for: one per core this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def _start_worker() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(os, "nice"):
        os.nice(LOCAL_WORKER_NICENESS)


#: Documents below which a map runs in this process: starting the workers, each importing
#: and loading what its tasks need, costs about what preparing 30 pages on another core saves
#: (measured on Scrapinghub pages: 32 pages took 3.7 s either way, 16 took 3.2 s with 2
#: workers against 2.7 s in this process).
MIN_WORK = 32
#: Stories per brief task on local workers: a task costs well under a millisecond here, and
#: small tasks keep both workers busy to the last story (the last of 16 stories, about half a
#: second of work, ran on one worker while the other had nothing left).
BRIEFS_PER_TASK = 4


class ProcessRunner:
    """Runs task functions on local worker processes, started when first needed;
    ``ordered_map`` as ``scale.cluster``'s."""

    def __init__(self, workers: int, min_work: int | None = None) -> None:
        self.workers = workers
        self.min_work = MIN_WORK if min_work is None else min_work
        self.briefs_per_task = BRIEFS_PER_TASK
        self._executor: ProcessPoolExecutor | None = None

    def threads(self) -> int:
        return self.workers

    def share(self, value: Any) -> Any:
        """What a task receives for ``value`` (sent with each task: no shared memory here)."""
        return value

    def ordered_map(
        self,
        fn: Callable[..., Any],
        calls: Iterable[tuple[Any, ...]],
        window: int,
        done: Callable[[], None] | None = None,
        work: int | None = None,
    ) -> Iterator[Any]:
        """``fn(*args)`` for each of ``calls`` on the workers, yielded in call order, with at
        most ``window`` submitted and not yet yielded (the workers compute ahead of the
        caller, memory stays bounded). ``done()`` is called as each result is taken.
        ``work``: about how many documents the calls hold; below ``min_work``, and with no
        worker started yet, they run here, one after another (same results)."""
        if self._executor is None and work is not None and work < self.min_work:
            return _inline(fn, calls, done)
        return _parallel(self._started(), fn, calls, window, done)

    def _started(self) -> ProcessPoolExecutor:
        if self._executor is None:
            context = multiprocessing.get_context(START_METHOD)
            if START_METHOD == "forkserver":
                # Started now, not at the first task: it loads what tasks need while the
                # caller goes on until it asks for results (``ingest_parallel``: the writer's
                # own imports).
                context.set_forkserver_preload(PRELOAD)
                forkserver.ensure_running()
            self._executor = ProcessPoolExecutor(
                self.workers, mp_context=context, initializer=_start_worker
            )
        return self._executor

    def shutdown(self) -> None:
        """Queued tasks cancelled, running ones let finish, workers ended."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None



def _parallel(
    executor: ProcessPoolExecutor,
    fn: Callable[..., Any],
    calls: Iterable[tuple[Any, ...]],
    window: int,
    done: Callable[[], None] | None,
) -> Iterator[Any]:
    pending: deque[Future[Any]] = deque()
    remaining = iter(calls)
    try:
        for args in remaining:
            pending.append(executor.submit(fn, *args))
            if len(pending) >= window:
                break
    except BrokenProcessPool:
        raise _died() from None
    yield from _results(executor, fn, pending, remaining, done)


def _died() -> WorkerDied:
    return WorkerDied(
        "a worker process ended abruptly (killed, or out of memory?); what was written is "
        "kept: run the same ingest again, with --workers 1 to stay in one process"
    )


def _results(
    executor: ProcessPoolExecutor,
    fn: Callable[..., Any],
    pending: deque[Future[Any]],
    remaining: Iterator[tuple[Any, ...]],
    done: Callable[[], None] | None,
) -> Iterator[Any]:
    try:
        while pending:
            result = pending.popleft().result()
            for args in remaining:
                pending.append(executor.submit(fn, *args))
                break
            if done:
                done()
            yield result
    except BrokenProcessPool:
        raise _died() from None
    finally:
        for future in pending:
            future.cancel()


def _inline(
    fn: Callable[..., Any], calls: Iterable[tuple[Any, ...]], done: Callable[[], None] | None
) -> Iterator[Any]:
    for args in calls:
        result = fn(*args)
        if done:
            done()
        yield result


@contextmanager
def process_pool(workers: int, min_work: int | None = None) -> Iterator[ProcessRunner]:
    """A runner of ``workers`` local processes (started by the first map of at least
    ``min_work`` documents, default ``MIN_WORK``), shut down when the block ends."""
    runner = ProcessRunner(workers, min_work)
    try:
        yield runner
    finally:
        runner.shutdown()
