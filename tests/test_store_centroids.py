"""The write path's in-memory centroids (``store/centroids.py``) never go stale: every read
during real ingests equals what the table holds at that moment."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from storybrief.read.document import text_document
from storybrief.store import open_writer, write
from storybrief.store.centroids import Centroids
from storybrief.store.prepare import prepare_document
from storybrief.store.write import add_batch, ingest
from tests.eval_data import eval_rows

ROOT = Path(__file__).resolve().parent.parent


class CheckedCentroids(Centroids):
    """Centroids that compare each answer with the table (and count what they checked)."""

    reads = 0

    def _table(self, story_id: str) -> dict[str, float]:
        rows = self.conn.execute(
            "SELECT term, weight FROM story_terms WHERE story_id = ?", (story_id,)
        )
        return dict(rows)

    def get(self, story_id: str) -> dict[str, float]:
        centroid = super().get(story_id)
        assert centroid == self._table(story_id), story_id
        CheckedCentroids.reads += 1
        return centroid

    def dots(self, stories, vector):  # type: ignore[no-untyped-def]
        found = super().dots(stories, vector)
        for story_id, dot in found.items():
            table = self._table(story_id)
            expected = math.fsum(w * table.get(t, 0.0) for t, w in vector.items())
            assert dot == pytest.approx(expected, abs=1e-12)
        return found


def test_centroids_read_during_ingests_equal_the_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(write, "Centroids", CheckedCentroids)
    inputs = [str(ROOT / "examples"), str(ROOT / "tests" / "data" / "inputs")]
    with open_writer(str(tmp_path / "store.db")) as store:
        result = ingest(store, inputs, batch_size=2, briefs=False)
    assert result.added == 9
    assert CheckedCentroids.reads > 10


def test_centroids_stay_right_through_reclustering_and_merges(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Four ECB+ topics (two stories of one kind each) in eight batches: stories grow,
    are re-clustered, split and merged, and every read is checked against the table."""
    rows = eval_rows("stories/ecbplus-val.jsonl.gz")
    topics = list(dict.fromkeys(row["topic"] for row in rows))[:4]
    rows = [row for row in rows if row["topic"] in topics]
    prepared = [prepare_document(text_document(row["text"], row["id"])) for row in rows]
    monkeypatch.setattr(write, "Centroids", CheckedCentroids)
    CheckedCentroids.reads = 0
    with open_writer(str(tmp_path / "store.db")) as store:
        size = -(-len(prepared) // 8)
        for i in range(0, len(prepared), size):
            add_batch(store, prepared[i : i + size])
        changed = store.conn.execute(
            "SELECT count(*) FROM stories WHERE merged_into IS NOT NULL OR revision > size"
        ).fetchone()[0]
    assert CheckedCentroids.reads > 100
    assert changed > 0  # the re-clustering or the merge check rewrote some centroids


def test_a_small_copy_keeps_the_latest_centroids_and_stays_right(tmp_path: Path) -> None:
    with open_writer(str(tmp_path / "store.db")) as store:
        conn = store.conn
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(
            "INSERT INTO stories (id, size, revision, created_seq, updated_seq, norm2) "
            "VALUES (?, 0, 0, 0, 0, 0.0)",
            [("a",), ("b",), ("c",)],
        )
        centroids = Centroids(conn, capacity=2)
        centroids.add("a", {"geneva": 0.5, "talks": 0.5})
        centroids.add("b", {"blinken": 1.0})
        assert centroids.get("a") == {"geneva": 0.5, "talks": 0.5}
        centroids.add("a", {"talks": 0.25, "lavrov": 0.1})  # a cached centroid grows
        centroids.replace("c", {"nato": 2.0})  # evicts the least recently used ("b")
        assert list(centroids._kept) == ["a", "c"]
        assert centroids.get("b") == {"blinken": 1.0}  # read again from the table
        assert centroids.dots(["a", "b", "c"], {"talks": 2.0, "nato": 1.0}) == {
            "a": 1.5,
            "b": 0.0,
            "c": 2.0,
        }
        assert centroids.get("a")  # kept again, then deleted
        centroids.delete("a")
        assert centroids.get("a") == {} == Centroids(conn).get("a")
        conn.execute("ROLLBACK")
