"""Online story assignment, in the spirit of Miranda et al. (2018), "Multilingual Clustering
of Streaming News".

Each arriving group of (original) documents, in date order, is compared with the stories
that are *active near its date* and share its most specific terms — found through the
per-day term postings (``postings.py``), never by scanning every story — and
joins the best one or opens a new story:

0. a batch's originals are first clustered among themselves with the one-shot clustering
   (``analyze.stories.cluster_stories``, what ``brief`` does); each group is then assigned as
   one, so a pile ingested in one batch gets exactly the stories ``brief`` finds;
1. each document's vector: the story bag of ``prepare.story_terms`` (sublinear term
   frequency, names and figures weighted up) times IDF from the store's incrementally kept document frequencies
   (``term_df``), L2-normalised;
2. candidates: stories holding one of its ``CANDIDATE_TERMS`` highest-IDF terms, and, for a
   dated document, active within ``ACTIVE_WINDOW_DAYS`` of its date (undated documents and
   undated stories are placed by content alone);
3. score: average linkage with the story (the mean cosine between the group's and the story's
   members, one dot product with the story's centroid, the sum of its members' unit vectors),
   times a Gaussian time feature of the distance in days from the story's date range
   (``TIME_SIGMA_DAYS``), weighted ``TIME_WEIGHT``;
4. join the best story if its score reaches ``JOIN_SIMILARITY``, else open a new story whose
   id is ``s`` + the first 12 hex digits of the document's id (content-addressed: stable across
   runs and ingests).

After a batch, the stories it touched and their neighbours are re-clustered under the
store's current IDF (``recluster.py``); then every story it touched is compared with its own
candidates and merged into an older one that it has converged with (average linkage ≥ ``MERGE_SIMILARITY``); the merged
story keeps its row with ``merged_into`` set, so its id still resolves.
"""

from __future__ import annotations

import datetime
import math
import sqlite3
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence

from storybrief.store import postings
from storybrief.store.centroids import Centroids

__all__ = [
    "DocumentFrequencies",
    "assign_group",
    "candidate_stories",
    "idf",
    "merge_converged",
    "resolve_story",
]

#: Highest-IDF terms of a document used to look up candidate stories.
CANDIDATE_TERMS = 12
#: At most this many candidates (those sharing most lookup terms) are scored.
MAX_CANDIDATES = 50
#: A story is active for a dated document within this many days of its date range.
ACTIVE_WINDOW_DAYS = 30
#: Gaussian time feature: sigma in days (Miranda et al. use about 3 days) and its weight.
TIME_SIGMA_DAYS = 3.0
TIME_WEIGHT = 0.25
#: Average-linkage similarity from which a batch's group joins an earlier story. Below the
#: one-shot cut (``1 - STORY_DISTANCE`` = 0.15) because a story seen in pieces is split more
#: easily than one seen whole: on ECB+ validation in 5 shuffled batches
#: (``bench/bench_store_stories.py --sweep``), B-cubed F1 0.846 / 0.827 / 0.815 at
#: 0.12 / 0.15 / 0.18 (seed 0) and 0.859 / 0.851 / 0.826 (seed 1).
JOIN_SIMILARITY = 0.12
#: Average linkage from which two stories that grew towards each other are merged (0.25:
#: never merges inside one batch on ECB+, where the one-shot clustering already decided).
MERGE_SIMILARITY = 0.25


def idf(conn: sqlite3.Connection, terms: Iterable[str]) -> dict[str, float]:
    """Smoothed IDF of ``terms`` over the store's original documents (as ``analyze.stories``)."""
    terms = list(terms)
    n = int(conn.execute("SELECT value FROM meta WHERE key = 'documents'").fetchone()[0])
    return _idf(terms, _stored_df(conn, terms), n)


def _stored_df(conn: sqlite3.Connection, terms: list[str]) -> dict[str, int]:
    df: dict[str, int] = {}
    for i in range(0, len(terms), 500):
        chunk = terms[i : i + 500]
        marks = ",".join("?" * len(chunk))
        df.update(conn.execute(f"SELECT term, df FROM term_df WHERE term IN ({marks})", chunk))
    return df


def _idf(terms: list[str], df: Mapping[str, int], n: int) -> dict[str, float]:
    # Most terms share a few small document frequencies: one logarithm per distinct count.
    by_count = {c: math.log((1 + n) / (1 + c)) + 1.0 for c in {*(df.get(t, 0) for t in terms), 0}}
    return {t: by_count[df.get(t, 0)] for t in terms}


class DocumentFrequencies:
    """The store's document frequencies (``term_df``) and count of original documents as one
    batch's assignment counts and reads them, document after document: each term read from
    the table once, counted here, and written back by ``flush`` (before anything else reads
    the table). The IDF it gives is ``idf``'s at every step; per-document upserts and lookups
    were a third of the assignment's time."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._df: dict[str, int] = {}
        self._added: Counter[str] = Counter()
        self._documents = int(
            conn.execute("SELECT value FROM meta WHERE key = 'documents'").fetchone()[0]
        )
        self._documents_added = 0

    def load(self, terms: Iterable[str]) -> None:
        """Read the frequencies of ``terms`` not read yet (one query per 500 terms)."""
        missing = sorted({t for t in terms if t not in self._df})
        found = _stored_df(self.conn, missing)
        self._df.update({t: found.get(t, 0) for t in missing})

    def count(self, terms: Iterable[str]) -> None:
        """One more original document holding ``terms`` (each once)."""
        terms = list(terms)
        self.load(terms)
        for t in terms:
            self._df[t] += 1
        self._added.update(terms)
        self._documents += 1
        self._documents_added += 1

    def idf(self, terms: Iterable[str]) -> dict[str, float]:
        terms = list(terms)
        self.load(terms)
        return _idf(terms, self._df, self._documents)

    def flush(self) -> None:
        """Write what was counted to ``term_df`` and the document count."""
        self.conn.executemany(
            "INSERT INTO term_df (term, df) VALUES (?, ?) "
            "ON CONFLICT(term) DO UPDATE SET df = df + excluded.df",
            sorted(self._added.items()),
        )
        self.conn.execute(
            "UPDATE meta SET value = value + ? WHERE key = 'documents'", (self._documents_added,)
        )
        self._added.clear()
        self._documents_added = 0


def _unit(vector: Mapping[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum([v * v for v in vector.values()])) or 1.0
    return {t: v / norm for t, v in vector.items()}


def _vector(frequencies: DocumentFrequencies, terms: Mapping[str, float]) -> dict[str, float]:
    """The document's unit TF-IDF vector under the store's current IDF."""
    weights = frequencies.idf(terms)
    return _unit({t: w * weights[t] for t, w in terms.items()})


def candidate_stories(
    conn: sqlite3.Connection, vector: Mapping[str, float], date: str | None
) -> list[str]:
    lookup = postings.heaviest(vector, CANDIDATE_TERMS)
    return postings.candidates(conn, lookup, date, ACTIVE_WINDOW_DAYS, MAX_CANDIDATES)


def _time_feature(date: str | None, first: str | None, last: str | None) -> float:
    """exp(-d²/2σ²) of the days ``date`` lies outside the story's range; 1 when unknown."""
    if not date or not first or not last:
        return 1.0
    day = datetime.date.fromisoformat(date)
    low, high = datetime.date.fromisoformat(first), datetime.date.fromisoformat(last)
    gap = (low - day).days if day < low else (day - high).days if day > high else 0
    return math.exp(-(gap * gap) / (2 * TIME_SIGMA_DAYS**2))


def assign_group(
    conn: sqlite3.Connection,
    members: Sequence[tuple[str, int, Mapping[str, float], str | None]],
    exclude: Iterable[str] = (),
    centroids: Centroids | None = None,
    frequencies: DocumentFrequencies | None = None,
) -> tuple[str, bool]:
    """Assign a group of a batch's originals that the batch's own clustering put together
    (``(doc id, seq, terms, date)`` in date order); returns ``(story id, opened a new one)``.
    ``frequencies``: the batch's (its caller flushes them), else counted and written here.

    The score against a story is average linkage, the one-shot clustering's criterion: the
    mean cosine between the group's and the story's member vectors, ``(ΣG · ΣS) / (|G| |S|)``,
    which the stored centroid (the sum of members' unit vectors) gives in one dot product."""
    centroids = centroids or Centroids(conn)
    counting = frequencies or DocumentFrequencies(conn)
    for _, _, terms, _ in members:
        counting.count(terms)
    vectors = [_vector(counting, terms) for _, _, terms, _ in members]
    if frequencies is None:
        counting.flush()
    total: dict[str, float] = {}
    for vector in vectors:
        for t, w in vector.items():
            total[t] = total.get(t, 0.0) + w
    dates = sorted(d for *_, d in members if d)
    date = dates[len(dates) // 2] if dates else None
    skip = set(exclude)
    candidates = [c for c in candidate_stories(conn, total, date) if c not in skip]
    best, best_score = None, 0.0
    if candidates:
        dots = centroids.dots(candidates, total)
        rows = conn.execute(
            f"SELECT id, first_date, last_date, size FROM stories WHERE id IN "
            f"({','.join('?' * len(candidates))})",
            candidates,
        ).fetchall()
        for story_id, first, last, size in sorted(rows):
            linkage = dots[story_id] / (len(members) * max(size, 1))
            score = linkage * (1.0 - TIME_WEIGHT + TIME_WEIGHT * _time_feature(date, first, last))
            if score > best_score:
                best, best_score = story_id, score
    new = best is None or best_score < JOIN_SIMILARITY
    if new:
        doc_id, seq, _, first_date = members[0]
        best = "s" + doc_id[:12]
        if conn.execute("SELECT 1 FROM stories WHERE id = ?", (best,)).fetchone():
            best = f"{best}-{seq}"  # only if that document's story was written before
        conn.execute(
            "INSERT INTO stories (id, first_date, last_date, size, revision, created_seq, "
            "updated_seq, norm2) VALUES (?, ?, ?, 0, 0, ?, ?, 0.0)",
            (best, first_date, first_date, seq, seq),
        )
    assert best is not None
    for (_, seq, _, member_date), vector in zip(members, vectors, strict=True):
        _add_to_story(conn, centroids, best, seq, vector, member_date)
    return best, new


def _add_to_story(
    conn: sqlite3.Connection,
    centroids: Centroids,
    story_id: str,
    seq: int,
    vector: Mapping[str, float],
    date: str | None,
) -> None:
    centroids.add(story_id, vector)
    conn.execute(
        "UPDATE stories SET size = size + 1, "
        "revision = revision + 1, updated_seq = ?, "
        "first_date = CASE WHEN ? IS NULL THEN first_date WHEN first_date IS NULL OR ? < "
        "first_date THEN ? ELSE first_date END, "
        "last_date = CASE WHEN ? IS NULL THEN last_date WHEN last_date IS NULL OR ? > "
        "last_date THEN ? ELSE last_date END WHERE id = ?",
        (seq, date, date, date, date, date, date, story_id),
    )
    conn.execute(
        "INSERT INTO memberships (doc_seq, story_id) VALUES (?, ?) "
        "ON CONFLICT(doc_seq) DO UPDATE SET story_id = excluded.story_id",
        (seq, story_id),
    )
    postings.add(conn, story_id, seq, vector, date)


def merge_converged(
    conn: sqlite3.Connection,
    touched: Iterable[str],
    seq: int,
    settled: Collection[str] = (),
    left_out: Collection[str] = (),
    centroids: Centroids | None = None,
) -> dict[str, str]:
    """Merge each touched story into an older live story it has converged with (average
    linkage between their members at least ``MERGE_SIMILARITY``); returns
    ``{merged id: surviving id}``. A story in ``settled`` (the re-clustering just decided
    about it and its near neighbours) is only compared with the ones in ``left_out`` (those
    the re-clustering could not take)."""
    centroids = centroids or Centroids(conn)
    merged: dict[str, str] = {}
    for story_id in sorted(set(touched)):
        story_id = resolve_story(conn, story_id)
        row = conn.execute(
            "SELECT first_date, created_seq, size FROM stories WHERE id = ? AND size > 0",
            (story_id,),
        ).fetchone()
        if row is None:
            continue
        first, created, size = row
        centroid = centroids.get(story_id)
        others = [
            s
            for s in candidate_stories(conn, centroid, first)
            if s != story_id and (story_id not in settled or s in left_out)
        ]
        target = _converged(conn, centroids, others, centroid, created, size)
        if target is not None:
            _merge(conn, centroids, story_id, target, seq)
            merged[story_id] = target
    return merged


def _converged(
    conn: sqlite3.Connection,
    centroids: Centroids,
    others: list[str],
    centroid: Mapping[str, float],
    created: int,
    size: int,
) -> str | None:
    """The oldest of ``others``, older than the story (``created``, ``size``, ``centroid``),
    it has converged with."""
    if not others:
        return None
    rows = conn.execute(
        f"SELECT id, created_seq, size FROM stories WHERE id IN ({','.join('?' * len(others))}) "
        "AND created_seq <= ? AND size > 0 ORDER BY created_seq",
        [*others, created],
    ).fetchall()
    dots = centroids.dots([r[0] for r in rows], centroid)
    for other, _, other_size in rows:
        if dots[other] / (size * other_size) >= MERGE_SIMILARITY:
            return str(other)
    return None


def _merge(
    conn: sqlite3.Connection, centroids: Centroids, source: str, target: str, seq: int
) -> None:
    centroids.add(target, centroids.get(source))
    centroids.delete(source)
    src = conn.execute(
        "SELECT first_date, last_date, size FROM stories WHERE id = ?", (source,)
    ).fetchone()
    conn.execute(
        "UPDATE stories SET size = size + ?, revision = revision + 1, "
        "updated_seq = ?, first_date = min(coalesce(first_date, ?), coalesce(?, first_date)), "
        "last_date = max(coalesce(last_date, ?), coalesce(?, last_date)) WHERE id = ?",
        (src[2], seq, src[0], src[0], src[1], src[1], target),
    )
    conn.execute("UPDATE memberships SET story_id = ? WHERE story_id = ?", (target, source))
    postings.move(conn, source, target)
    conn.execute(
        "UPDATE stories SET merged_into = ?, size = 0, revision = revision + 1 WHERE id = ?",
        (target, source),
    )
    conn.execute("UPDATE stories SET merged_into = ? WHERE merged_into = ?", (target, source))


def resolve_story(conn: sqlite3.Connection, story_id: str) -> str:
    """The live story an id stands for (following merges); the id itself if unknown."""
    for _ in range(100):
        row = conn.execute("SELECT merged_into FROM stories WHERE id = ?", (story_id,)).fetchone()
        if row is None or row[0] is None:
            return story_id
        story_id = row[0]
    return story_id
