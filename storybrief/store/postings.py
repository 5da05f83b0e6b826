"""Candidate stories for the online assignment, found through per-day term postings.

Each original document, when it joins a story, posts its ``POSTING_TERMS`` heaviest terms
with its day and its story (table ``term_postings``, key ``(term, day, doc_seq)``). A
document (or a batch's group, or a story checked for merging) then looks up its candidate
stories with its ``assign.CANDIDATE_TERMS`` heaviest terms: for each term, the postings of
the days within ``assign.ACTIVE_WINDOW_DAYS`` of its date (an index range scan) plus the
undated documents' postings, each capped at ``POSTINGS_PER_TERM`` (latest days first). An
undated document reads each term's latest postings. So the work of one lookup is bounded
by the cap, whatever the size of the store — unlike scanning every story that ever used the
term — and stories are found by what their documents near that date were about.

A merged story's postings move to the story it was merged into; a document the
re-clustering (``recluster``) moves takes its postings along.
"""

from __future__ import annotations

import datetime
import heapq
import sqlite3
from collections import Counter
from collections.abc import Mapping, Sequence

__all__ = ["POSTINGS_PER_TERM", "POSTING_TERMS", "add", "candidates", "move", "retarget"]

#: Terms each original document posts (its heaviest TF-IDF terms when it is assigned).
POSTING_TERMS = 24
#: Most postings read per lookup term and date range (latest days first).
POSTINGS_PER_TERM = 200
#: The ``day`` of an undated document's postings (key columns cannot be NULL).
UNDATED = ""


def heaviest(vector: Mapping[str, float], count: int) -> list[str]:
    """The ``count`` terms of ``vector`` with the largest weights (ties by term)."""
    if len(vector) <= count:
        return sorted(vector, key=lambda t: (-vector[t], t))
    # The count-th largest weight bounds the answer; sorting the floats alone runs in C.
    cut = sorted(vector.values(), reverse=True)[count - 1]
    top = [t for t, w in vector.items() if w >= cut]
    return heapq.nsmallest(count, top, key=lambda t: (-vector[t], t))


def add(
    conn: sqlite3.Connection,
    story_id: str,
    seq: int,
    vector: Mapping[str, float],
    date: str | None,
) -> None:
    """Post the document ``seq``'s heaviest terms under its day and story."""
    conn.executemany(
        "INSERT OR REPLACE INTO term_postings (term, day, doc_seq, story_id) VALUES (?, ?, ?, ?)",
        [(term, date or UNDATED, seq, story_id) for term in heaviest(vector, POSTING_TERMS)],
    )


def move(conn: sqlite3.Connection, source: str, target: str) -> None:
    """A merged story's postings become the surviving story's."""
    conn.execute("UPDATE term_postings SET story_id = ? WHERE story_id = ?", (target, source))


def retarget(conn: sqlite3.Connection, seq: int, story_id: str) -> None:
    """A document moved to another story by the re-clustering takes its postings along."""
    conn.execute("UPDATE term_postings SET story_id = ? WHERE doc_seq = ?", (story_id, seq))


def candidates(
    conn: sqlite3.Connection, terms: Sequence[str], date: str | None, window_days: int, limit: int
) -> list[str]:
    """Live stories posting one of ``terms`` near ``date`` (see the module docstring), those
    sharing most terms first (then by id), at most ``limit``."""
    shared: Counter[str] = Counter()
    for term in terms:
        shared.update(set(_posted(conn, term, date, window_days)))
    if not shared:
        return []
    found = sorted(shared, key=lambda s: (-shared[s], s))
    live = _live(conn, found)
    return [story_id for story_id in found if story_id in live][:limit]


def _posted(conn: sqlite3.Connection, term: str, date: str | None, window_days: int) -> list[str]:
    select = "SELECT story_id FROM term_postings WHERE term = ? AND "
    order = " ORDER BY day DESC LIMIT ?"
    if not date:
        rows = conn.execute(select + "1" + order, (term, POSTINGS_PER_TERM)).fetchall()
        return [row[0] for row in rows]
    day = datetime.date.fromisoformat(date)
    low = (day - datetime.timedelta(days=window_days)).isoformat()
    high = (day + datetime.timedelta(days=window_days)).isoformat()
    near = conn.execute(
        select + "day BETWEEN ? AND ?" + order, (term, low, high, POSTINGS_PER_TERM)
    ).fetchall()
    undated = conn.execute(
        select + "day = ?" + " ORDER BY doc_seq DESC LIMIT ?", (term, UNDATED, POSTINGS_PER_TERM)
    ).fetchall()
    return [row[0] for row in near + undated]


def _live(conn: sqlite3.Connection, story_ids: Sequence[str]) -> set[str]:
    live: set[str] = set()
    for i in range(0, len(story_ids), 500):
        chunk = list(story_ids[i : i + 500])
        live.update(
            row[0]
            for row in conn.execute(
                f"SELECT id FROM stories WHERE id IN ({','.join('?' * len(chunk))}) "
                "AND merged_into IS NULL AND size > 0",
                chunk,
            )
        )
    return live
