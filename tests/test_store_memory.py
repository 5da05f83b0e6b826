"""An ingest's memory must not grow with the store: every cache that lives as long as the
process is bounded, and the state that covers the whole store lives in SQLite."""

from __future__ import annotations

import functools
import gc
import sqlite3
from pathlib import Path

from storybrief.store import open_writer
from storybrief.store.db import WRITER_CACHE_KIB
from storybrief.store.write import ingest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = str(ROOT / "examples")
#: The largest cache an ingest may keep (entries): a cache allowed to hold more fills for
#: thousands of documents, and memory grows with the store while it does.
MAX_CACHE_ENTRIES = 65536


def _storybrief_caches() -> list[functools._lru_cache_wrapper[object]]:
    return [
        obj
        for obj in gc.get_objects()
        if isinstance(obj, functools._lru_cache_wrapper)
        and getattr(obj, "__module__", "").startswith("storybrief")
    ]


def _calls(cache: functools._lru_cache_wrapper[object]) -> int:
    info = cache.cache_info()
    return info.hits + info.misses


def test_every_cache_an_ingest_uses_is_bounded(tmp_path: Path) -> None:
    before = {id(c): _calls(c) for c in _storybrief_caches()}
    with open_writer(str(tmp_path / "s.db")) as store:
        assert ingest(store, [EXAMPLES]).added == 5
    used = [c for c in _storybrief_caches() if _calls(c) > before.get(id(c), 0)]
    assert len(used) >= 5  # the ingest went through the cached analysis stages
    for cache in used:
        name = f"{cache.__module__}.{cache.__qualname__}"
        assert cache.cache_info().maxsize is not None, f"{name} is unbounded"
        assert cache.cache_info().maxsize <= MAX_CACHE_ENTRIES, name


def test_near_duplicate_index_and_story_state_live_in_sqlite(tmp_path: Path) -> None:
    """What must cover the whole store (LSH bands, postings, document frequencies, centroids)
    is in indexed tables, and the writer's page cache is bounded."""
    path = str(tmp_path / "s.db")
    with open_writer(path) as store:
        ingest(store, [EXAMPLES], briefs=False)
        pages = store.conn.execute("PRAGMA cache_size").fetchone()[0]
        assert pages == -WRITER_CACHE_KIB  # KiB, not growing with the file
    with sqlite3.connect(path) as conn:
        originals = conn.execute(
            "SELECT count(*) FROM documents WHERE duplicate_of IS NULL"
        ).fetchone()[0]
        for table in ("lsh_bands", "term_postings", "term_df", "story_terms"):
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0, table
        banded = conn.execute("SELECT count(DISTINCT doc_seq) FROM lsh_bands").fetchone()[0]
        assert banded == originals
        plan = " ".join(
            row[3]
            for row in conn.execute(
                "EXPLAIN QUERY PLAN SELECT doc_seq FROM lsh_bands WHERE band = 1 AND key = 2"
            )
        )
        assert "USING PRIMARY KEY" in plan or "USING INDEX" in plan
