"""The store's ingest with the per-document work on worker processes: local ones
(``scale.pool``, the CLI's default on a machine with several cores) or a Dask cluster's.

What runs where:

- **workers**: reading, decoding, extraction, cleaning, language, per-document analysis
  (``scale.tasks.prepare_task`` → ``store.prepare``), and at the end the briefs (or outlines)
  of the changed stories (``store.briefs.refresh_result``) — everything that looks at one
  document (or one story) at a time;
- **this process** (the Dask client): planning the tasks (a scan for record boundaries in
  large files), and the one write path: results are taken *in input order*
  (``ordered_map``), cut into the batches an in-process ingest cuts (``write.cut_batches``)
  and written by ``add_batch``, which deduplicates against the store, inserts, and assigns
  stories in document-date order.

So the store ends as an in-process ``ingest`` of the same inputs leaves it: same documents and
ids, same copies, same stories, same counts and errors. This process writes while the workers
compute ahead (at most ``window`` tasks held), so writing overlaps the per-document work.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, BinaryIO, Protocol

from storybrief.isolation import ProgressCallback
from storybrief.model import ReadError
from storybrief.options import Options
from storybrief.read import STDIN
from storybrief.read.parts import nothing_read
from storybrief.scale.cluster import DaskRunner
from storybrief.scale.tasks import (
    RECORDS_PER_TASK,
    Source,
    Task,
    plan_tasks,
    prepare_task,
    story_results,
)
from storybrief.store.briefs import BriefJob
from storybrief.store.db import Store
from storybrief.store.prepare import PreparedDocument
from storybrief.store.write import (
    BATCH_SIZE,
    IngestResult,
    cut_batches,
    ingest,
    load_write_path,
    write_batches,
)

__all__ = ["Runner", "ingest_on_dask", "ingest_parallel"]


class Runner(Protocol):
    """Where tasks run: ``scale.pool.ProcessRunner`` or ``scale.cluster.DaskRunner``."""

    #: Stories per brief task.
    briefs_per_task: int

    def threads(self) -> int:
        """Tasks that can run at once."""

    def share(self, value: Any) -> Any:
        """What a task receives for ``value``, a set many tasks need."""

    def worth(self, work: int, whole_bytes: int) -> bool:
        """Whether to run an ingest of about ``work`` documents whose largest task read whole
        holds ``whole_bytes`` on the workers (else in this process, streaming)."""

    def ordered_map(
        self,
        fn: Callable[..., Any],
        calls: Iterable[tuple[Any, ...]],
        window: int,
        done: Callable[[], None] | None = None,
    ) -> Iterator[Any]:
        """``fn(*args)`` for each of ``calls``, yielded in call order, ``window`` ahead."""


def ingest_on_dask(store: Store, paths: Sequence[str], client: Any, **kwargs: Any) -> IngestResult:
    """``ingest_parallel`` on a Dask cluster (``client``: a ``distributed.Client``)."""
    return ingest_parallel(store, paths, DaskRunner(client), **kwargs)


def ingest_parallel(
    store: Store,
    paths: Sequence[str],
    runner: Runner,
    options: Options | None = None,
    stdin: BinaryIO | None = None,
    progress: ProgressCallback | None = None,
    batch_size: int = BATCH_SIZE,
    records_per_task: int = RECORDS_PER_TASK,
    briefs: bool = True,
    window: int | None = None,
) -> IngestResult:
    """``store.write.ingest`` of ``paths`` with the per-document work on ``runner``'s workers;
    ``window``: tasks submitted ahead of the writer (default: two per worker, plus two)."""
    window = window or 2 * runner.threads() + 2
    # Standard input is read whole into one task: of unknown size, it may stay here, streamed.
    if STDIN in paths and not runner.worth(sys.maxsize, sys.maxsize):
        return ingest(store, paths, options, stdin, progress, batch_size, briefs)
    result = IngestResult()
    sources, errors = plan_tasks(paths, records_per_task, stdin)
    tasks = [(source, task) for source in sources for task in source.tasks]
    work = sum(records_per_task if task.part is not None else 1 for _, task in tasks)
    if not runner.worth(work, max((_whole_bytes(task) for _, task in tasks), default=0)):
        return ingest(store, paths, options, stdin, progress, batch_size, briefs)
    result.errors.extend(errors)
    done = _counter(progress, "tasks", len(tasks))
    calls = _task_calls(runner, store, tasks)
    results = runner.ordered_map(prepare_task, calls, window, done)
    load_write_path()  # while the fork server loads what tasks need
    items = _items(tasks, results, result.errors)
    write_batches(store, cut_batches(items, batch_size), result, options, briefs=False)
    if briefs:
        from storybrief.store.briefs import refresh_briefs

        refresh_briefs(
            store, options, build=lambda jobs, total: _briefs(runner, jobs, total, window, progress)
        )
    return result


def _whole_bytes(task: Task) -> int:
    """What a worker reads whole for ``task``: nothing for a part (bounded by its records)."""
    if task.data is not None:
        return len(task.data)  # standard input, on a runner that takes it (Dask)
    if task.part is not None or task.location is None:
        return 0
    try:
        return os.path.getsize(task.location)
    except OSError:
        return 0  # the reader reports it


def _task_calls(
    runner: Runner, store: Store, tasks: list[tuple[Source, Task]]
) -> Iterator[tuple[Task, Any]]:
    """Each task with the ids stored already from its file (not prepared again; a set shared
    by a file's parts is shared once)."""
    from storybrief.read import display_path

    current: Source | None = None
    known: Any = frozenset()
    for source, task in tasks:
        if source is not current:
            current = source
            rows = store.conn.execute(
                "SELECT id FROM documents WHERE path = ?", (display_path(source.name),)
            )
            known = frozenset(row[0] for row in rows)
            if known and len(source.tasks) > 1:
                known = runner.share(known)
        yield task, known


def _items(
    tasks: list[tuple[Source, Task]], results: Iterable[Any], errors: list[ReadError]
) -> Iterator[PreparedDocument | None]:
    """The documents of the task results in input order; errors as an in-process ingest
    lists them (a file read in parts that gave nothing at all says so once)."""
    found = False
    outcomes = iter(results)
    for source, task in tasks:
        outcome = _next_outcome(outcomes, task)
        errors.extend(outcome.errors)
        found = found or bool(outcome.items or outcome.errors)
        yield from outcome.items
        if task is source.tasks[-1]:
            if source.parts and not found and task.part is not None:
                errors.append(nothing_read(source.name, task.part))
            found = False


def _next_outcome(outcomes: Iterator[Any], task: Task) -> Any:
    """The result of ``task``; a worker's death names the input it was waited for (a page
    that kills its worker every time is found so)."""
    from storybrief.read import display_path
    from storybrief.scale.pool import WorkerDied

    try:
        return next(outcomes)
    except WorkerDied as exc:
        where = display_path(task.source)
        if task.part is not None:
            unit = "line" if task.part.format == "jsonl" else "record"
            where += f" from {unit} {task.part.before + 1}"
        raise WorkerDied(f"{exc} (waiting for {where}, or an input after it)") from None


def _briefs(
    runner: Runner,
    jobs: Iterable[BriefJob],
    total: int,
    window: int,
    progress: ProgressCallback | None,
) -> Iterator[dict[str, Any]]:
    done = _counter(progress, "briefs", total)
    chunks = _chunks(jobs, runner.briefs_per_task)
    for results in runner.ordered_map(story_results, chunks, window):
        for result in results:
            if done:
                done()
            yield result


def _chunks(jobs: Iterable[BriefJob], size: int) -> Iterator[tuple[list[BriefJob]]]:
    chunk: list[BriefJob] = []
    for job in jobs:
        chunk.append(job)
        if len(chunk) == size:
            yield (chunk,)
            chunk = []
    if chunk:
        yield (chunk,)


def _counter(progress: ProgressCallback | None, stage: str, total: int) -> Any:
    if progress is None:
        return None
    count = [0]

    def done() -> None:
        count[0] += 1
        progress(f"{count[0]}/{total}", total, stage)

    return done
