"""Bounded re-clustering of the stories a batch touched, under the store's current IDF.

Online assignment (``assign.py``) decides with what the store knew when a story was small:
its centroid holds unit vectors weighted by the IDF of the day each member arrived, and a
group joins it on average linkage with that centroid. Stories of one kind (two arrests, two
earthquakes) then merge through an early, small story, and pieces of one story stay apart.
So after a batch's groups are placed, ``recluster`` runs the one-shot clustering again over
a bounded neighbourhood and splits or merges only the stories in it:

1. scope: the live stories the batch touched, then those whose centroid is within
   ``NEIGHBOUR_SIMILARITY`` average linkage of one of them (the candidates ``assign`` finds:
   the term index and the active-date window, never all stories). Stories of more than
   ``MAX_STORY_DOCUMENTS`` originals are kept as they are (with the batch's documents they
   took), and the scope stops at ``MAX_DOCUMENTS`` originals, so the work per batch is
   bounded whatever the size of the store;
2. the originals of the scope, each a unit vector of its stored terms (``document_terms``)
   times the IDF of the whole store now (``term_df``), are clustered exactly as
   ``analyze.stories`` does (average link cut at ``STORY_DISTANCE``);
3. ids: each new cluster takes the id of the old story it holds most documents of (pairs
   by overlap, largest first; ties to the older story), so the story that keeps most of
   its documents keeps its id. A cluster holding no old story's majority gets a new
   content-addressed id (``s`` + its first document's id). An old story left without
   documents is marked ``merged_into`` the story that took most of them (its id still
   resolves); one opened in this very batch is simply dropped;
4. each story of the scope gets its centroid rebuilt under the current IDF; the ones whose
   members changed get a new ``revision`` (their cached brief is then stale). Copies follow
   their original.

One batch into an empty store re-clusters the batch under its own IDF: exactly the
one-shot clustering. Everything is ordered by sequence numbers and ids, so the same batches
give the same store (crash-and-rerun safety).
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import chain

import numpy as np

from storybrief.store import assign, postings
from storybrief.store.centroids import Centroids

__all__ = ["MAX_DOCUMENTS", "MAX_STORY_DOCUMENTS", "NEIGHBOUR_SIMILARITY", "Changes", "recluster"]

#: Average linkage (stored centroids) from which a story near a touched one is re-clustered
#: with it. Below the one-shot cut (0.15): the centroids hold older IDF.
NEIGHBOUR_SIMILARITY = 0.08
#: Stories with more originals than this are not re-clustered (a big, settled story).
MAX_STORY_DOCUMENTS = 150
#: At most this many originals are re-clustered after one batch.
MAX_DOCUMENTS = 1200


@dataclass
class Changes:
    """What a re-clustering did: stories opened, changed, merged away and dropped."""

    new: set[str] = field(default_factory=set)
    changed: set[str] = field(default_factory=set)
    merged: dict[str, str] = field(default_factory=dict)
    #: Stories the batch opened and the re-clustering emptied again, and the story that took their documents.
    dropped: dict[str, str] = field(default_factory=dict)
    #: The stories the re-clustering decided among (after it): whether two of them stay apart
    #: is settled, so ``assign.merge_converged`` need not compare them again ...
    clustered: set[str] = field(default_factory=set)
    #: ... only with these: the touched stories and near neighbours it had to leave out (more
    #: than ``MAX_STORY_DOCUMENTS`` originals, or past ``MAX_DOCUMENTS``).
    left_out: set[str] = field(default_factory=set)


@dataclass
class _Member:
    seq: int
    doc_id: str
    date: str | None
    story: str
    terms: dict[str, float]


def recluster(
    conn: sqlite3.Connection,
    touched: Iterable[str],
    first_seq: int,
    centroids: Centroids | None = None,
) -> Changes:
    """Re-cluster the neighbourhood of the ``touched`` stories (see the module docstring);
    ``first_seq`` is the batch's first sequence number (stories created from it on are the
    batch's own)."""
    centroids = centroids or Centroids(conn)
    scope, left_out = _scope(conn, centroids, touched)
    members = _members(conn, scope)
    if not members:
        return Changes(left_out=left_out)
    vectors = _vectors(conn, members)
    clusters = _cluster(vectors)
    names = _name(conn, members, clusters)
    changes = _apply(conn, centroids, members, vectors, clusters, names, first_seq)
    changes.left_out = left_out
    return changes


def _story_sizes(conn: sqlite3.Connection, ids: list[str]) -> dict[str, int]:
    if not ids:
        return {}
    rows = conn.execute(
        f"SELECT id, size FROM stories WHERE merged_into IS NULL AND size > 0 AND id IN "
        f"({','.join('?' * len(ids))})",
        ids,
    )
    return dict(rows)


def _scope(
    conn: sqlite3.Connection, centroids: Centroids, touched: Iterable[str]
) -> tuple[list[str], set[str]]:
    """The touched live stories, then their near neighbours, within the size bounds; and
    those of them the bounds left out."""
    live = sorted({assign.resolve_story(conn, s) for s in touched})
    sizes = _story_sizes(conn, live)
    chosen = [s for s in live if s in sizes and sizes[s] <= MAX_STORY_DOCUMENTS]
    neighbours: dict[str, float] = {}
    for story_id in chosen:
        for other, linkage in _neighbours(conn, centroids, story_id, sizes[story_id]).items():
            if other not in sizes:
                neighbours[other] = max(neighbours.get(other, 0.0), linkage)
    sizes.update(_story_sizes(conn, sorted(neighbours)))
    ranked = sorted(neighbours, key=lambda s: (-neighbours[s], s))
    scope, total = [], 0
    for story_id in chosen + ranked:
        size = sizes.get(story_id, 0)
        if 0 < size <= MAX_STORY_DOCUMENTS and total + size <= MAX_DOCUMENTS:
            scope.append(story_id)
            total += size
    return scope, {s for s in [*live, *ranked] if sizes.get(s, 0) > 0} - set(scope)


def _neighbours(
    conn: sqlite3.Connection, centroids: Centroids, story_id: str, size: int
) -> dict[str, float]:
    """Candidate stories of ``story_id`` at ``NEIGHBOUR_SIMILARITY`` average linkage or more."""
    centroid = centroids.get(story_id)
    first = conn.execute("SELECT first_date FROM stories WHERE id = ?", (story_id,)).fetchone()
    others = [s for s in assign.candidate_stories(conn, centroid, first[0]) if s != story_id]
    if not others:
        return {}
    dots = centroids.dots(others, centroid)
    sizes = _story_sizes(conn, others)
    return {
        other: dots[other] / (size * sizes[other])
        for other in others
        if other in sizes and dots[other] / (size * sizes[other]) >= NEIGHBOUR_SIMILARITY
    }


def _members(conn: sqlite3.Connection, scope: list[str]) -> list[_Member]:
    """The scope's original documents with terms, by sequence number."""
    if not scope:
        return []
    rows = conn.execute(
        "SELECT d.seq, d.id, d.date, m.story_id, t.terms FROM memberships m "
        "JOIN documents d ON d.seq = m.doc_seq LEFT JOIN document_terms t ON t.doc_seq = d.seq "
        f"WHERE d.duplicate_of IS NULL AND m.story_id IN ({','.join('?' * len(scope))}) "
        "ORDER BY d.seq",
        scope,
    ).fetchall()
    members = []
    for seq, doc_id, date, story, terms in rows:
        found = json.loads(terms) if terms is not None else _backfill(conn, seq, doc_id)
        if found:
            members.append(_Member(seq, doc_id, date, story, found))
    return members


def _backfill(conn: sqlite3.Connection, seq: int, doc_id: str) -> dict[str, float]:
    """Terms of a document stored before ``document_terms`` existed, from its stored text."""
    from storybrief.brief import masked_reporting_text
    from storybrief.store.db import Store
    from storybrief.store.prepare import story_terms
    from storybrief.store.query import load_documents

    docs = load_documents(Store(conn, "", True), [doc_id])
    terms = story_terms(masked_reporting_text(docs[0])) if docs else {}
    save_terms(conn, seq, terms)
    return terms


def save_terms(conn: sqlite3.Connection, seq: int, terms: Mapping[str, float]) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO document_terms (doc_seq, terms) VALUES (?, ?)",
        (seq, json.dumps(dict(terms), ensure_ascii=False, separators=(",", ":"))),
    )


def _vectors(conn: sqlite3.Connection, members: list[_Member]) -> list[dict[str, float]]:
    """Each member's unit TF-IDF vector under the store's current IDF."""
    weights = assign.idf(conn, sorted({t for m in members for t in m.terms}))
    out = []
    for member in members:
        vector = {t: w * weights[t] for t, w in member.terms.items()}
        norm = math.sqrt(sum([v * v for v in vector.values()])) or 1.0
        out.append({t: v / norm for t, v in vector.items()})
    return out


def _cluster(vectors: list[dict[str, float]]) -> list[list[int]]:
    """Groups of member indexes by ``analyze.stories.cluster_vectors``, by first member."""
    from scipy.sparse import csr_matrix

    from storybrief.analyze.stories import cluster_vectors

    vocab = {t: i for i, t in enumerate(sorted(set().union(*vectors)))}
    lengths = np.fromiter(map(len, vectors), dtype=np.int64, count=len(vectors))
    rows = np.repeat(np.arange(len(vectors)), lengths)
    terms = chain.from_iterable(vectors)
    cols = np.fromiter(map(vocab.__getitem__, terms), dtype=np.int64, count=len(rows))
    weights = chain.from_iterable(v.values() for v in vectors)
    values = np.fromiter(weights, dtype=float, count=len(rows))
    matrix = csr_matrix((values, (rows, cols)), shape=(len(vectors), len(vocab)))
    groups: dict[int, list[int]] = {}
    for index, label in enumerate(cluster_vectors(matrix)):
        groups.setdefault(int(label), []).append(index)
    return list(groups.values())


def _name(
    conn: sqlite3.Connection, members: list[_Member], clusters: list[list[int]]
) -> list[str]:
    """Each cluster's story id: the old story it holds most documents of, else a new id."""
    created = dict(
        conn.execute(
            f"SELECT id, created_seq FROM stories WHERE id IN "
            f"({','.join('?' * len({m.story for m in members}))})",
            sorted({m.story for m in members}),
        )
    )
    overlap = [
        (-count, created[story], story, index)
        for index, cluster in enumerate(clusters)
        for story, count in Counter(members[i].story for i in cluster).items()
    ]
    names: dict[int, str] = {}
    taken: set[str] = set()
    for _, _, story, index in sorted(overlap):
        if index not in names and story not in taken:
            names[index] = story
            taken.add(story)
    for index, cluster in enumerate(clusters):
        if index not in names:
            first = min((members[i] for i in cluster), key=_date_order)
            names[index] = _new_id(conn, first, taken)
            taken.add(names[index])
    return [names[i] for i in range(len(clusters))]


def _new_id(conn: sqlite3.Connection, first: _Member, taken: set[str]) -> str:
    """A story id never used before: ``s`` + the first document's id, else with its
    sequence number (and a counter: a document may open a story more than once)."""
    base = "s" + first.doc_id[:12]
    for n in range(1, 10_000):
        name = base if n == 1 else f"{base}-{first.seq}" if n == 2 else f"{base}-{first.seq}-{n}"
        if name not in taken and not conn.execute(
            "SELECT 1 FROM stories WHERE id = ?", (name,)
        ).fetchone():
            return name
    raise RuntimeError(f"no free story id for {first.doc_id}")


def _date_order(member: _Member) -> tuple[bool, str, int]:
    return (member.date is None, member.date or "", member.seq)


def _apply(
    conn: sqlite3.Connection,
    centroids: Centroids,
    members: list[_Member],
    vectors: list[dict[str, float]],
    clusters: list[list[int]],
    names: list[str],
    first_seq: int,
) -> Changes:
    changes = Changes(clustered=set(names))
    seq = target_seq(conn)
    old_stories = sorted({m.story for m in members})
    moved_to: dict[str, Counter[str]] = {s: Counter() for s in old_stories}
    for cluster, name in zip(clusters, names, strict=True):
        if not conn.execute("SELECT 1 FROM stories WHERE id = ?", (name,)).fetchone():
            conn.execute(
                "INSERT INTO stories (id, size, revision, created_seq, updated_seq, norm2) "
                "VALUES (?, 0, 0, ?, ?, 0.0)",
                (name, seq, seq),
            )
            changes.new.add(name)
        for i in cluster:
            member = members[i]
            moved_to[member.story][name] += 1
            if member.story != name:
                _move(conn, member, name)
                changes.changed.update((member.story, name))
    for cluster, name in zip(clusters, names, strict=True):
        if name in changes.changed or name in changes.new:
            _rebuild(conn, centroids, name, [vectors[i] for i in cluster], seq, name in changes.changed)
    for story in old_stories:
        if story in names:
            continue
        target = min(moved_to[story], key=lambda s: (-moved_to[story][s], s))
        _retire(conn, centroids, story, target, first_seq, changes)
    changes.changed -= changes.new | set(changes.dropped) | set(changes.merged)
    return changes


def target_seq(conn: sqlite3.Connection) -> int:
    """The sequence number a change is stamped with: the newest document's."""
    return int(conn.execute("SELECT coalesce(max(seq), 0) FROM documents").fetchone()[0])


def _move(conn: sqlite3.Connection, member: _Member, story: str) -> None:
    """Move an original, its copies and its term postings to ``story`` (their events are recorded again when
    the story's brief is refreshed)."""
    conn.execute(
        "UPDATE memberships SET story_id = ?, event_id = NULL WHERE doc_seq = ?",
        (story, member.seq),
    )
    conn.execute(
        "UPDATE memberships SET story_id = ?, event_id = NULL WHERE story_id = ? AND doc_seq IN "
        "(SELECT seq FROM documents WHERE duplicate_of = ?)",
        (story, member.story, member.doc_id),
    )
    postings.retarget(conn, member.seq, story)


def _rebuild(
    conn: sqlite3.Connection,
    centroids: Centroids,
    story_id: str,
    vectors: list[dict[str, float]],
    seq: int,
    changed: bool,
) -> None:
    """A story's centroid under the current IDF, size and dates from its originals."""
    centroid: dict[str, float] = {}
    for vector in vectors:
        for term, weight in vector.items():
            centroid[term] = centroid.get(term, 0.0) + weight
    centroids.replace(story_id, centroid)
    size, first, last = conn.execute(
        "SELECT count(*), min(d.date), max(d.date) FROM memberships m JOIN documents d "
        "ON d.seq = m.doc_seq WHERE m.story_id = ? AND d.duplicate_of IS NULL",
        (story_id,),
    ).fetchone()
    bump = 1 if changed else 0
    conn.execute(
        "UPDATE stories SET size = ?, first_date = ?, last_date = ?, revision = revision + ?, "
        "updated_seq = CASE WHEN ? THEN ? ELSE updated_seq END, "
        "norm2 = ? WHERE id = ?",
        (size, first, last, bump, bump, seq, sum(w * w for w in centroid.values()), story_id),
    )


def _retire(
    conn: sqlite3.Connection,
    centroids: Centroids,
    story: str,
    target: str,
    first_seq: int,
    changes: Changes,
) -> None:
    """An old story left without documents: dropped if the batch opened it, else merged.
    (One that still holds originals without words keeps them, with an empty centroid.)"""
    centroids.delete(story)
    if conn.execute("SELECT 1 FROM memberships WHERE story_id = ?", (story,)).fetchone():
        _rebuild(conn, centroids, story, [], target_seq(conn), True)
        changes.changed.add(story)
        return
    created = conn.execute("SELECT created_seq FROM stories WHERE id = ?", (story,)).fetchone()
    if created[0] >= first_seq:
        conn.execute("UPDATE stories SET merged_into = ? WHERE merged_into = ?", (target, story))
        conn.execute("DELETE FROM story_briefs WHERE story_id = ?", (story,))
        conn.execute("DELETE FROM stories WHERE id = ?", (story,))
        changes.dropped[story] = target
        return
    conn.execute(
        "UPDATE stories SET merged_into = ?, size = 0, revision = revision + 1 WHERE id = ?",
        (target, story),
    )
    conn.execute("UPDATE stories SET merged_into = ? WHERE merged_into = ?", (target, story))
    changes.merged[story] = target
