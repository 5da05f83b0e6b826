"""The story store: one SQLite file that documents go into once and stories grow in.

Modules, each one concern:

- ``schema``  — the tables, and the migrations that build them (``PRAGMA user_version``);
- ``db``      — opening a store for writing (migrated, WAL, locked) or reading (``mode=ro``),
  and the typed errors a store file can raise;
- ``prepare`` — THE per-document work: read, clean, analyse one source into plain picklable
  ``PreparedDocument``s (runs anywhere: in process, in a worker process, on a Dask worker);
- ``write``   — the ONE write path: ``add_batch`` deduplicates, inserts, assigns stories and
  commits one batch; ``ingest`` streams sources through ``prepare`` and ``add_batch``;
- ``assign``  — online story assignment (Miranda et al. 2018): incremental TF-IDF, centroids,
  time features, candidates from stories active near the document's date;
- ``centroids`` — the story centroids one batch reads and changes (table and in-memory copy);
- ``recluster`` — after each batch, the one-shot clustering again over the stories it touched
  and their neighbours (bounded), under the store's current IDF; ids kept by majority;
- ``query``   — the read API (stories, documents, search) over read-only connections;
- ``briefs``  — a story's brief (and update brief) built from stored documents, cached per story.
"""

from __future__ import annotations

from storybrief.store.db import (
    DamagedStore,
    NewerStore,
    NotAStore,
    StoreBusy,
    StoreError,
    open_reader,
    open_writer,
)
from storybrief.store.prepare import (
    PreparedDocument,
    PrepareResult,
    prepare_documents,
    prepare_source,
)
from storybrief.store.write import BatchResult, IngestResult, add_batch, ingest

__all__ = [
    "BatchResult",
    "DamagedStore",
    "IngestResult",
    "NewerStore",
    "NotAStore",
    "PrepareResult",
    "PreparedDocument",
    "StoreBusy",
    "StoreError",
    "add_batch",
    "ingest",
    "open_reader",
    "open_writer",
    "prepare_documents",
    "prepare_source",
]
