"""Local worker processes: an ingest's per-document work on this machine's cores, no Dask.

``process_pool(workers)`` gives a ``ProcessRunner`` over a standard-library
``ProcessPoolExecutor``; ``scale.ingest.ingest_parallel`` runs the same tasks on it as on a
Dask cluster (``scale.tasks``: read and prepare a file or a part; build a few stories' briefs)
while this process writes every result through the store's one write path, in input order. So
the store is the in-process ingest's, documents and ids, copies, stories and briefs alike.

Workers run below the writer's CPU priority (``LOCAL_WORKER_NICENESS``, as a local Dask
cluster's) and ignore Ctrl-C, which the writer handles: it cancels what is queued, ends the
workers (they never write the store) and leaves the store as its last committed batch (a rerun
adds the rest). A worker ends itself when the writer's process is gone, even killed. A worker
that dies (killed, out of memory) stops the ingest with ``WorkerDied``; what was written
stays, and a rerun adds what is missing.
"""

from __future__ import annotations

import itertools
import multiprocessing
import multiprocessing.connection
import multiprocessing.forkserver as forkserver
import os
import signal
import sys
import threading
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
    import storybrief.brief

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(os, "nice"):
        os.nice(LOCAL_WORKER_NICENESS)
    storybrief.brief.FORK_FOR_LARGE_BRIEFS = False  # the workers fill the cores already
    parent = multiprocessing.parent_process()
    if parent is not None:
        # A worker waits for tasks holding its own end of the queue, so it would never learn
        # that the writer was killed: it ends when the writer's process does.
        threading.Thread(target=_end_with, args=(parent.sentinel,), daemon=True).start()


def _end_with(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])
    os._exit(1)


#: Documents below which an ingest stays in this process: starting the workers costs about
#: what preparing 30 pages on another core saves (measured on Scrapinghub pages: 32 pages
#: took 3.7 s either way, 16 took 3.2 s with 2 workers against 2.7 s in this process).
MIN_WORK = 32
#: A task read whole (a file that cannot be cut into parts: gzipped JSONL, a WARC gzipped as a
#: whole) is held by its worker with all its prepared documents; beyond this size, or from
#: standard input, the ingest stays in this process, which streams them.
MAX_WHOLE_TASK_BYTES = 8 * 1024 * 1024
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

    def worth(self, work: int, whole_bytes: int) -> bool:
        """Whether workers pay for an ingest of about ``work`` documents whose largest task
        read whole holds ``whole_bytes`` (else it runs in this process, streaming)."""
        return work >= self.min_work and whole_bytes <= MAX_WHOLE_TASK_BYTES

    @property
    def started(self) -> bool:
        return self._executor is not None

    def ordered_map(
        self,
        fn: Callable[..., Any],
        calls: Iterable[tuple[Any, ...]],
        window: int,
        done: Callable[[], None] | None = None,
    ) -> Iterator[Any]:
        """``fn(*args)`` for each of ``calls`` on the workers, yielded in call order, with at
        most ``window`` submitted and not yet yielded (the workers compute ahead of the
        caller, memory stays bounded). ``done()`` is called as each result is taken."""
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

    def shutdown(self, interrupted: bool = False) -> None:
        """Queued tasks cancelled and workers ended: after the running tasks, or at once when
        ``interrupted`` (workers never write the store: nothing is lost)."""
        executor, self._executor = self._executor, None
        if executor is None:
            return
        if interrupted:
            _end_workers(executor)
        executor.shutdown(wait=True, cancel_futures=True)


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
        for args in itertools.islice(remaining, window):
            pending.append(executor.submit(fn, *args))
        while pending:
            result = pending.popleft().result()
            following = next(remaining, None)
            if following is not None:
                pending.append(executor.submit(fn, *following))
            if done:
                done()
            yield result
    except BrokenProcessPool:
        raise WorkerDied(
            "a worker process ended abruptly (killed, or out of memory?); what was written is "
            "kept: run the same ingest again, with --workers 1 to stay in one process"
        ) from None
    finally:
        for future in pending:
            future.cancel()


def _end_workers(executor: ProcessPoolExecutor) -> None:
    """Ends the workers now (Python 3.14's ``terminate_workers``; before it, through the
    executor's table of its processes)."""
    terminate = getattr(executor, "terminate_workers", None)
    if terminate is not None:
        terminate()
        return
    for process in list(getattr(executor, "_processes", {}).values()):
        process.terminate()


@contextmanager
def process_pool(workers: int, min_work: int | None = None) -> Iterator[ProcessRunner]:
    """A runner of ``workers`` local processes (started by the first map; an ingest of fewer
    than ``min_work`` documents, default ``MIN_WORK``, starts none), shut down when the block
    ends (at once on Ctrl-C)."""
    runner = ProcessRunner(workers, min_work)
    try:
        yield runner
    except KeyboardInterrupt:
        runner.shutdown(interrupted=True)
        raise
    finally:
        runner.shutdown()
