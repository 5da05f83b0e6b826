"""Dask: connecting to a cluster, and mapping work over it in order with bounded memory.

``connect(address, workers)`` gives a ``distributed.Client``: ``"local"`` starts a
``LocalCluster`` of ``workers`` processes (default: the cores), one thread each (the work is
pure Python: threads would share one interpreter lock), at a lower CPU priority than the
client (``LOCAL_WORKER_NICENESS``); anything else is a running
scheduler's address (``tcp://host:8786``), refused within ``connect_timeout`` seconds when it
cannot be reached. Dask is imported here only, and only when used.

``ordered_map(client, fn, calls, window)`` submits ``fn(*args)`` for each of ``calls`` and
yields the results *in the order of the calls*, keeping at most ``window`` submitted but not
yet yielded: the workers compute ahead while the caller consumes (writes), and memory stays
bounded however many calls there are. A task whose worker dies is rerun elsewhere by the
scheduler; a task that raises re-raises its exception here.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

__all__ = [
    "CONNECT_TIMEOUT",
    "DaskRunner",
    "DaskUnavailable",
    "connect",
    "ordered_map",
    "threads",
]

#: Seconds to wait for a scheduler before saying it cannot be reached.
CONNECT_TIMEOUT = 3.0
#: Niceness a local cluster's workers add to their own. On one machine the client, whose
#: writing is the ingest's one serial path, shares the cores with the workers: as peers, two
#: busy workers on two cores left it two thirds of a core, and the workers then waited for it
#: (1,988 articles: the per-document phase took 56.6 s with 2 workers against 62.8 s with 1).
#: Workers below the client use what it leaves.
LOCAL_WORKER_NICENESS = 10
#: Dask settings of a local cluster (also those of a worker its nanny restarts). Its scheduler
#: and nannies run in the client's process, beside the one writer: their periodic monitoring
#: (each nanny read its worker's memory every 100 ms, the scheduler the system every 500 ms)
#: cost the client about 2 s of CPU on the 1,988-article benchmark, and no dashboard shows the
#: workers' statistical profiles (sampled every 10 ms).
LOCAL_CLUSTER_CONFIG = {
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.profile.enabled": False,
}
#: Stories per brief task on Dask. A task costs the cluster a few milliseconds of scheduling
#: and messages on the client (where the writer runs, too); one task per story paid that 745
#: times on the 1,988-article benchmark. 16 keeps a task's work (a second or two) small enough
#: to spread over the workers.
BRIEFS_PER_TASK = 16
INSTALL_HINT = 'Dask is not installed; install it with: pip install "storybrief[dask]"'


class DaskUnavailable(Exception):
    """No Dask to run on (not installed, scheduler unreachable, bad address): one line."""


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise DaskUnavailable(INSTALL_HINT) from None
    return distributed


@contextmanager
def connect(
    address: str, workers: int | None = None, connect_timeout: float = CONNECT_TIMEOUT
) -> Iterator[Any]:
    """A ``distributed.Client`` on ``address`` (``"local"``: a new ``LocalCluster``)."""
    distributed = _distributed()
    if address == "local":
        import dask

        with dask.config.set(LOCAL_CLUSTER_CONFIG):
            cluster = distributed.LocalCluster(
                n_workers=workers or os.cpu_count() or 1,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            with cluster, distributed.Client(cluster) as client:
                client.register_plugin(_lower_priority(distributed))
                yield client
        return
    if workers is not None:
        raise DaskUnavailable("--workers sets the size of a local cluster (--dask local) only")
    try:
        client = distributed.Client(address, timeout=connect_timeout)
    except (OSError, TimeoutError) as exc:
        raise DaskUnavailable(
            f"cannot reach the Dask scheduler at {address} "
            f"(no answer within {connect_timeout:g} s: {type(exc).__name__})"
        ) from None
    except ValueError as exc:
        raise DaskUnavailable(f"not a Dask scheduler address: {address!r} ({exc})") from None
    with client:
        yield client


def threads(client: Any) -> int:
    """Worker threads the cluster has now (at least 1)."""
    return max(1, sum(client.nthreads().values()))


def ordered_map(
    client: Any,
    fn: Callable[..., Any],
    calls: Iterable[tuple[Any, ...]],
    window: int,
    done: Callable[[], None] | None = None,
) -> Iterator[Any]:
    """``fn(*args)`` for each of ``calls``, run on the cluster, yielded in call order.

    ``calls`` is consumed lazily, on the caller's thread, as room opens in the ``window``;
    ``done()`` is called as each task finishes (in any order), for progress."""
    as_completed = _distributed().as_completed
    pending = iter(calls)
    finished = as_completed()
    index: dict[str, int] = {}
    ready: dict[int, Any] = {}
    submitted = released = 0

    def fill() -> None:
        nonlocal submitted
        while submitted - released < window:
            args = next(pending, None)
            if args is None:
                return
            future = client.submit(fn, *args, pure=False)
            index[future.key] = submitted
            finished.add(future)
            submitted += 1

    fill()
    while released < submitted:
        while released not in ready:
            future = next(finished)
            ready[index.pop(future.key)] = future
            if done:
                done()
        future = ready.pop(released)
        result = future.result()
        future.release()
        released += 1
        fill()
        yield result


class DaskRunner:
    """A Dask client as ``scale.ingest`` runs tasks on it (as ``scale.pool.ProcessRunner``)."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.briefs_per_task = BRIEFS_PER_TASK

    def threads(self) -> int:
        return threads(self.client)

    def share(self, value: Any) -> Any:
        """``value`` sent to the cluster once, for many tasks to receive."""
        return self.client.scatter([value])[0]

    def ordered_map(
        self,
        fn: Callable[..., Any],
        calls: Iterable[tuple[Any, ...]],
        window: int,
        done: Callable[[], None] | None = None,
    ) -> Iterator[Any]:
        return ordered_map(self.client, fn, calls, window, done)

    def worth(self, work: int, whole_bytes: int) -> bool:
        """Always: whoever asks for a cluster wants the work there."""
        return True


def _lower_priority(distributed: Any) -> Any:
    """A worker plugin that lowers its worker's CPU priority (run in each worker process,
    also in one the nanny restarts after a crash)."""

    class LowerPriority(distributed.WorkerPlugin):
        name = "storybrief-lower-priority"

        def setup(self, worker: Any) -> None:
            os.nice(LOCAL_WORKER_NICENESS)

    return LowerPriority()
