"""Story centroids (``story_terms``) as the write path reads and changes them in one batch.

A centroid is the sum of its story's members' unit vectors (``assign.py``). Assignment,
re-clustering and the merge check read the same few hundred centroids again and again within
a batch (a candidate story of one group is often a candidate of the next), and each read was
an SQL probe per term. ``Centroids`` is made for one batch, inside its transaction: every
change goes to the table and to a bounded copy of the centroids read so far, so the copy is
never stale, and it is dropped with the batch (a rolled-back batch leaves no copy behind).

Dot products add the shared terms' products in term order, as the SQL join over the primary
key ``(story_id, term)`` did: the same store gives the same dots in every process.
"""

from __future__ import annotations

import sqlite3
from collections import OrderedDict
from collections.abc import Iterable, Mapping

__all__ = ["CACHED_STORIES", "Centroids"]

#: Centroids kept in memory at most (least recently used dropped first): bounds a batch's
#: memory whatever the size of the store (a centroid of a big story holds thousands of terms).
CACHED_STORIES = 2000


class Centroids:
    """The centroids of one batch's transaction on ``conn`` (see the module docstring)."""

    def __init__(self, conn: sqlite3.Connection, capacity: int = CACHED_STORIES) -> None:
        self.conn = conn
        self.capacity = capacity
        self._kept: OrderedDict[str, dict[str, float]] = OrderedDict()

    def get(self, story_id: str) -> dict[str, float]:
        """The story's centroid (``{term: weight}``; empty for an unknown story). Read-only."""
        centroid = self._kept.get(story_id)
        if centroid is None:
            rows = self.conn.execute(
                "SELECT term, weight FROM story_terms WHERE story_id = ?", (story_id,)
            )
            centroid = dict(rows)
            self._keep(story_id, centroid)
        else:
            self._kept.move_to_end(story_id)
        return centroid

    def dots(self, stories: Iterable[str], vector: Mapping[str, float]) -> dict[str, float]:
        """Dot product of ``vector`` with each story's centroid."""
        out = {}
        for story_id in stories:
            centroid = self.get(story_id)
            shared = sorted(vector.keys() & centroid.keys())
            out[story_id] = sum([centroid[t] * vector[t] for t in shared])
        return out

    def add(self, story_id: str, vector: Mapping[str, float]) -> None:
        """Add ``vector`` to the story's centroid."""
        self.conn.executemany(
            "INSERT INTO story_terms (story_id, term, weight) VALUES (?, ?, ?) "
            "ON CONFLICT(story_id, term) DO UPDATE SET weight = weight + excluded.weight",
            [(story_id, t, w) for t, w in vector.items()],
        )
        centroid = self._kept.get(story_id)
        if centroid is not None:
            for term, weight in vector.items():
                centroid[term] = centroid[term] + weight if term in centroid else weight

    def replace(self, story_id: str, centroid: Mapping[str, float]) -> None:
        """Make ``centroid`` the story's centroid."""
        self.conn.execute("DELETE FROM story_terms WHERE story_id = ?", (story_id,))
        self.conn.executemany(
            "INSERT INTO story_terms (story_id, term, weight) VALUES (?, ?, ?)",
            [(story_id, t, w) for t, w in sorted(centroid.items())],
        )
        self._keep(story_id, dict(centroid))

    def delete(self, story_id: str) -> None:
        self.conn.execute("DELETE FROM story_terms WHERE story_id = ?", (story_id,))
        self._keep(story_id, {})

    def _keep(self, story_id: str, centroid: dict[str, float]) -> None:
        self._kept[story_id] = centroid
        self._kept.move_to_end(story_id)
        while len(self._kept) > self.capacity:
            self._kept.popitem(last=False)
