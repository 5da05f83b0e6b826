"""The tasks of a distributed ingest, and what a worker does with one (no Dask here).

``plan_tasks(paths, records)`` discovers the inputs as ``ingest`` does and makes one ``Task``
per file, or one per part of a large plain JSONL or per-record-gzipped WARC file
(``read.parts``: a part knows its byte range and how many lines or records come before it, so
its documents get the ids an in-process ingest gives them). Standard input is read on the
client and shipped as bytes.

``prepare_task(task, known)`` is the worker's side: read the task's records and prepare each
document (``store.prepare``), except those whose id is in ``known`` (stored already: ``None``,
counted as the in-process ingest counts them). It returns plain picklable data.
``story_results(jobs)`` computes the briefs (or outlines) of a task's stories at the end of an
ingest.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, BinaryIO

from storybrief.model import ReadError
from storybrief.read.parts import Part
from storybrief.store.prepare import PreparedDocument

if TYPE_CHECKING:
    from storybrief.store.briefs import BriefJob

__all__ = [
    "RECORDS_PER_TASK",
    "Source",
    "Task",
    "TaskResult",
    "plan_tasks",
    "prepare_task",
    "story_results",
]

#: Records of a large JSONL or WARC file per task: enough work (seconds) to dwarf a task's
#: overhead (milliseconds), small enough to spread a few large files over many workers.
RECORDS_PER_TASK = 100


@dataclass(frozen=True)
class Task:
    #: The source as given: it names documents (ids, paths) and errors.
    source: str
    #: Where a worker opens it (absolute, so workers need not share the client's directory).
    location: str | None
    part: Part | None = None
    #: Standard input, read on the client.
    data: bytes | None = None


@dataclass
class Source:
    """One discovered input and its tasks, in order."""

    name: str
    tasks: list[Task]

    @property
    def parts(self) -> bool:
        return self.tasks[0].part is not None


@dataclass
class TaskResult:
    #: The task's documents in input order: prepared, or ``None`` when stored already.
    items: list[PreparedDocument | None] = field(default_factory=list)
    errors: list[ReadError] = field(default_factory=list)


def plan_tasks(
    paths: Sequence[str], records: int = RECORDS_PER_TASK, stdin: BinaryIO | None = None
) -> tuple[list[Source], list[ReadError]]:
    """The sources of ``paths`` (``read.discover``) with their tasks, and discovery errors."""
    from storybrief.read import STDIN, discover
    from storybrief.read.parts import plan_parts

    names, errors = discover(paths)
    sources = []
    for name in names:
        if name == STDIN:
            data = stdin.read() if stdin is not None else b""
            tasks = [Task(name, None, data=data)]
        else:
            location = os.path.abspath(name)
            parts: list[Part | None] = [None]
            parts = list(plan_parts(name, records) or parts)
            tasks = [Task(name, location, part) for part in parts]
        sources.append(Source(name, tasks))
    return sources, errors


def prepare_task(task: Task, known: Collection[str] = ()) -> TaskResult:
    """Read ``task`` and prepare its documents not in ``known`` (runs on a worker)."""
    from storybrief.read import read_bytes, read_part, read_source
    from storybrief.store.prepare import prepare_document

    if task.data is not None:
        docs, errors = read_bytes(task.data, task.source)
    elif task.part is not None:
        docs, errors = read_part(task.source, task.part, task.location)
    else:
        docs, errors = read_source(task.source, location=task.location)
    items = [None if doc.id in known else prepare_document(doc) for doc in docs]
    return TaskResult(items, list(errors))


def story_results(jobs: list[BriefJob]) -> list[dict[str, Any]]:
    """What the refresh keeps of a task's stories (``store.briefs.refresh_result``: briefs,
    outlines of small stories), on a worker."""
    from storybrief.store.briefs import refresh_result

    return [refresh_result(*job) for job in jobs]
