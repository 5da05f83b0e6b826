"""Scale-out: the store's ingest with the per-document work on a Dask cluster.

- ``tasks``   — the inputs as tasks (a file, or a part of a large JSONL/WARC file) and what a
  worker does with one (read and prepare its documents); no Dask needed;
- ``cluster`` — connecting to a scheduler or starting a ``LocalCluster``, and ``ordered_map``
  (results in input order, a bounded window of work ahead); the only module importing Dask;
- ``ingest``  — ``ingest_on_dask(store, paths, client)``: workers prepare, the client writes
  through the store's one write path in input order, so the store equals an in-process
  ingest's. See docs/scale.md.

Dask is an optional extra (``pip install "storybrief[dask]"``), imported only when used::

    from storybrief.scale import connect, ingest_on_dask
    with open_writer("news.db") as store, connect("local", workers=2) as client:
        result = ingest_on_dask(store, ["crawl/"], client)
"""

from __future__ import annotations

from storybrief.scale.cluster import DaskRunner, DaskUnavailable, connect
from storybrief.scale.ingest import ingest_on_dask, ingest_parallel
from storybrief.scale.pool import ProcessRunner, WorkerDied, process_pool

__all__ = [
    "DaskRunner",
    "DaskUnavailable",
    "ProcessRunner",
    "WorkerDied",
    "connect",
    "ingest_on_dask",
    "ingest_parallel",
    "process_pool",
]
