"""The ONE write path: every document enters the store through ``add_batch``.

``add_batch(store, prepared)`` runs in one transaction (``BEGIN IMMEDIATE`` ... ``COMMIT``):

1. documents already stored (same content-addressed id) are skipped;
2. exact copies (same normalised reporting words as a stored document) and near copies
   (MinHash LSH bands kept in ``lsh_bands``, each candidate verified by its estimated Jaccard
   similarity against ``Options.duplicate_threshold``) get ``duplicate_of`` the earliest
   original, as the cleaner does within one pile;
3. each new document is inserted with its blocks, sentences, date mentions, entity mentions,
   quotes and search rows;
4. originals are assigned to stories in document-date order (undated last, in input order;
   ``assign``), copies join their original's story; converged stories are merged;
5. the touched stories' cached briefs become stale (their ``revision`` moved on).

A crash (even SIGKILL) loses at most the batch in flight, which SQLite rolls back; running
the same ingest again skips what was committed and redoes the rest in the same batches, so
the store ends exactly as a clean run leaves it. ``ingest`` streams sources through
``prepare`` and ``add_batch`` and refreshes the changed stories' briefs at the end.
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, BinaryIO

import numpy as np

from storybrief.model import REPORTING_LABELS, Document, ReadError, ReadWarning
from storybrief.options import Options
from storybrief.store import analysis, assign, recluster
from storybrief.store.centroids import Centroids
from storybrief.store.db import Store
from storybrief.store.prepare import PreparedDocument

__all__ = [
    "BATCH_SIZE",
    "BatchResult",
    "IngestResult",
    "add_batch",
    "cut_batches",
    "ingest",
    "iter_batches",
    "write_batches",
]

#: Documents per transaction. Batch boundaries count every document read (stored or not), so
#: a rerun after a crash meets the same batches; 200 keeps a batch's work (a few seconds) small
#: against what a crash may cost. Each batch is re-clustered with its neighbourhood once
#: (``recluster``), so fewer, larger batches cost the single writer less (the central step of
#: a distributed ingest): on the 1,988 articles of ``bench/bench_dask.py``, write CPU 30.1 s at
#: 50, 28.3 s at 100, 25.8 s at 200 before the per-batch centroid copy (``centroids.py``), and
#: 20.5 s at 100, 16.5 s at 200 with it (both on a busy machine; 12.3 s at 200 on a quiet one);
#: B-cubed F1 on its 865 labelled originals 0.723 / 0.725 / 0.727.
BATCH_SIZE = 200
#: LSH layout over the ``NUM_PERM`` (128) MinHash values: 32 bands of 4 rows. The chance that
#: a pair of Jaccard similarity s shares a band is 1 - (1 - s^4)^32: 0.87 at s = 0.4, 0.99
#: at 0.5 (the default threshold), 0.05 at 0.1 — tuned to recall, as the cleaner's LSH:
#: candidates are verified afterwards.
LSH_BANDS, LSH_ROWS = 32, 4

ProgressCallback = Callable[[str, int], None]


@dataclass
class BatchResult:
    added: list[str] = field(default_factory=list)
    already_stored: int = 0
    near_duplicates: int = 0
    stories_new: set[str] = field(default_factory=set)
    stories_updated: set[str] = field(default_factory=set)
    merged: dict[str, str] = field(default_factory=dict)
    #: What the readers read past in the documents added (``Document.warnings``).
    warnings: list[ReadWarning] = field(default_factory=list)


@dataclass
class IngestResult:
    added: int = 0
    already_stored: int = 0
    near_duplicates: int = 0
    errors: list[ReadError] = field(default_factory=list)
    #: What the readers read past in the documents added (``Document.warnings``).
    warnings: list[ReadWarning] = field(default_factory=list)
    stories_new: set[str] = field(default_factory=set)
    stories_updated: set[str] = field(default_factory=set)

    def absorb(self, batch: BatchResult) -> None:
        self.warnings.extend(batch.warnings)
        self.added += len(batch.added)
        self.already_stored += batch.already_stored
        self.near_duplicates += batch.near_duplicates
        self.stories_new |= batch.stories_new
        self.stories_updated |= batch.stories_updated
        for old, new in batch.merged.items():
            self.stories_new.discard(old)
            self.stories_updated.discard(old)
            if new not in self.stories_new:
                self.stories_updated.add(new)
        self.stories_updated -= self.stories_new

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "already_stored": self.already_stored,
            "near_duplicates": self.near_duplicates,
            "errors": [e.to_dict() for e in self.errors],
            "warnings": [w.to_dict() for w in self.warnings],
            "stories_new": len(self.stories_new),
            "stories_updated": len(self.stories_updated),
        }


def add_batch(
    store: Store,
    prepared: Iterable[PreparedDocument | None],
    options: Options | None = None,
    skipped: int = 0,
) -> BatchResult:
    """Write one batch of prepared documents in one transaction (see the module docstring).

    ``prepared`` is taken as it comes: each document is inserted as soon as it is there (a
    parallel ingest writes while its workers prepare the rest of the batch); ``None`` is a
    document its caller found stored already. ``skipped`` counts more such documents."""
    options = options or Options()
    conn = store.conn
    result = BatchResult(already_stored=skipped)
    conn.execute("BEGIN IMMEDIATE")
    try:
        _ensure_meta(conn)
        now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        originals: list[tuple[int, PreparedDocument]] = []
        copies: list[tuple[int, str]] = []
        for item in prepared:
            if item is None:
                result.already_stored += 1
                continue
            if _stored(conn, item.id):
                result.already_stored += 1
                continue
            result.warnings.extend(item.document.warnings)
            duplicate_of, similarity = _find_copy(conn, item, options.duplicate_threshold)
            seq = _insert(conn, item, duplicate_of, similarity, now)
            result.added.append(item.id)
            if duplicate_of is None:
                originals.append((seq, item))
                _add_bands(conn, seq, item.minhash)
                if item.terms:
                    recluster.save_terms(conn, seq, item.terms)
            else:
                result.near_duplicates += 1
                copies.append((seq, duplicate_of))
        centroids = Centroids(conn)
        touched = _assign(conn, centroids, originals, copies, result)
        settled: set[str] = set()
        left_out: set[str] = set()
        if originals:
            changes = recluster.recluster(conn, touched, originals[0][0], centroids)
            _absorb(result, changes)
            touched = (touched - set(changes.dropped)) | changes.new | changes.changed
            settled, left_out = changes.clustered, changes.left_out
        # What the re-clustering left apart stays apart; this merges into stories too big
        # to be re-clustered (or left out of its bounded scope).
        merges = assign.merge_converged(
            conn, touched, _max_seq(conn), settled, left_out, centroids
        )
        for old, new in merges.items():
            result.merged[old] = new
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return result


def _absorb(result: BatchResult, changes: recluster.Changes) -> None:
    """Fold what the re-clustering did into the batch's result."""
    gone = {**changes.dropped, **changes.merged}
    result.stories_new = (result.stories_new - set(gone)) | changes.new
    result.stories_updated = (result.stories_updated - set(gone)) | changes.changed
    for old, new in list(result.merged.items()):
        result.merged[old] = gone.get(new, new)
    result.merged.update(changes.merged)
    result.stories_updated -= result.stories_new


def _ensure_meta(conn: sqlite3.Connection) -> None:
    conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('documents', '0')")


def _stored(conn: sqlite3.Connection, doc_id: str) -> bool:
    return conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is not None


def _max_seq(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT coalesce(max(seq), 0) FROM documents").fetchone()[0])


def _band_keys(minhash: bytes) -> list[tuple[int, int]]:
    values = np.frombuffer(minhash, dtype="<u4")
    keys = []
    for band in range(LSH_BANDS):
        chunk = values[band * LSH_ROWS : (band + 1) * LSH_ROWS].tobytes()
        keys.append((band, int.from_bytes(hashlib.blake2b(chunk, digest_size=7).digest(), "big")))
    return keys


def _add_bands(conn: sqlite3.Connection, seq: int, minhash: bytes | None) -> None:
    if minhash is not None:
        conn.executemany(
            "INSERT OR IGNORE INTO lsh_bands (band, key, doc_seq) VALUES (?, ?, ?)",
            [(band, key, seq) for band, key in _band_keys(minhash)],
        )


def _find_copy(
    conn: sqlite3.Connection, item: PreparedDocument, threshold: float
) -> tuple[str | None, float | None]:
    """The earliest stored original ``item`` is an exact or near copy of, and the similarity."""
    if item.digest is None or item.minhash is None:
        return None, None
    row = conn.execute(
        "SELECT id, duplicate_of, duplicate_similarity FROM documents WHERE digest = ? "
        "ORDER BY seq LIMIT 1",
        (item.digest,),
    ).fetchone()
    if row is not None:
        return (row[1], row[2]) if row[1] else (row[0], 1.0)
    candidates: set[int] = set()
    for band, key in _band_keys(item.minhash):
        candidates.update(
            r[0]
            for r in conn.execute(
                "SELECT doc_seq FROM lsh_bands WHERE band = ? AND key = ?", (band, key)
            )
        )
    mine = np.frombuffer(item.minhash, dtype="<u4")
    for seq in sorted(candidates):
        doc_id, other = conn.execute(
            "SELECT id, minhash FROM documents WHERE seq = ?", (seq,)
        ).fetchone()
        similarity = float(np.mean(mine == np.frombuffer(other, dtype="<u4")))
        if similarity >= threshold:
            return doc_id, round(similarity, 4)
    return None, None


def _insert(
    conn: sqlite3.Connection,
    item: PreparedDocument,
    duplicate_of: str | None,
    similarity: float | None,
    now: str,
) -> int:
    doc = item.document
    cursor = conn.execute(
        "INSERT INTO documents (id, path, url, title, site, author, published, date, "
        "date_inferred, language, format, text, digest, duplicate_of, duplicate_similarity, "
        "minhash, added) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            doc.id, doc.path, doc.url, doc.title, doc.site, doc.author, doc.published,
            item.date, int(item.date_inferred), doc.language, doc.format, doc.text,
            item.digest, duplicate_of, similarity, item.minhash, now,
        ),
    )  # fmt: skip
    seq = int(cursor.lastrowid or 0)
    conn.executemany(
        'INSERT INTO blocks (doc_seq, n, start, "end", label, quotes_start, quotes_end, '
        "confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (seq, n, b.start, b.end, b.label, *(b.quotes_span or (None, None)), b.confidence)
            for n, b in enumerate(doc.blocks)
        ],
    )
    conn.executemany(
        'INSERT INTO sentences (doc_seq, n, start, "end", fact_candidate) VALUES (?, ?, ?, ?, ?)',
        [(seq, n, s.start, s.end, int(s.fact_candidate)) for n, s in enumerate(item.sentences)],
    )
    conn.executemany(
        'INSERT INTO date_mentions (doc_seq, start, "end", value, granularity, relative) '
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            (seq, m.start, m.end, m.value, m.granularity, int(m.relative))
            for m in item.date_mentions
        ],
    )
    conn.executemany(
        'INSERT INTO mentions (doc_seq, start, "end", name, type) VALUES (?, ?, ?, ?, ?)',
        [(seq, m.start, m.end, m.name, m.type) for m in item.mentions],
    )
    conn.executemany(
        'INSERT INTO quotes (doc_seq, start, "end", speaker, cue, kind) VALUES (?, ?, ?, ?, ?, ?)',
        [(seq, q.start, q.end, q.speaker, q.cue, q.kind) for q in item.quotes],
    )
    analysis.save(conn, seq, item.analysis, item.analysis_format)
    reporting, comments = _search_texts(doc)
    conn.execute(
        "INSERT INTO reporting_fts (rowid, title, body) VALUES (?, ?, ?)",
        (seq, doc.title or "", reporting),
    )
    if comments.strip():
        conn.execute("INSERT INTO comments_fts (rowid, body) VALUES (?, ?)", (seq, comments))
    return seq


def _search_texts(doc: Document) -> tuple[str, str]:
    """The document text with only reporting (resp. only comment) blocks kept, the rest
    blanked: same length as ``doc.text``, so positions in it are positions in the text."""
    reporting = [" "] * len(doc.text)
    comments = [" "] * len(doc.text)
    for block in doc.blocks:
        target = (
            reporting
            if block.label in REPORTING_LABELS
            else comments
            if block.label == "comment"
            else None
        )
        if target is not None:
            target[block.start : block.end] = doc.text[block.start : block.end]
    return "".join(reporting), "".join(comments)


def _date_key(item: tuple[int, PreparedDocument]) -> tuple[bool, str, int]:
    seq, prepared = item
    return (prepared.date is None, prepared.date or "", seq)


def _batch_groups(
    originals: list[tuple[int, PreparedDocument]],
) -> list[list[tuple[int, PreparedDocument]]]:
    """The batch's originals grouped by the one-shot story clustering (``cluster_stories``,
    what ``brief`` uses), each group in date order, groups by their first document."""
    from storybrief.analyze.stories import cluster_weighted

    with_text = [(seq, item) for seq, item in originals if item.terms]
    by_id = {item.id: (seq, item) for seq, item in with_text}
    # The terms were weighted where the page was prepared (a Dask worker, say): clustering
    # them is cluster_stories of the pages' reporting text without tokenising it again.
    groups = cluster_weighted([(item.id, item.terms) for _, item in with_text])
    out = [[by_id[doc_id] for doc_id in group] for group in groups]
    out += [[(seq, item)] for seq, item in originals if not item.terms]
    return out


def _assign(
    conn: sqlite3.Connection,
    centroids: Centroids,
    originals: list[tuple[int, PreparedDocument]],
    copies: list[tuple[int, str]],
    result: BatchResult,
) -> set[str]:
    touched: set[str] = set()
    frequencies = assign.DocumentFrequencies(conn)
    frequencies.load(t for _, item in originals for t in item.terms)
    for group in _batch_groups(sorted(originals, key=_date_key)):
        members = [(item.id, seq, item.terms, item.date) for seq, item in group]
        # Groups of one batch were kept apart by the clustering: they never join each other.
        story_id, new = assign.assign_group(
            conn, members, result.stories_new, centroids, frequencies
        )
        (result.stories_new if new else result.stories_updated).add(story_id)
        touched.add(story_id)
    frequencies.flush()
    for seq, original in copies:
        row = conn.execute(
            "SELECT m.story_id FROM memberships m JOIN documents d ON d.seq = m.doc_seq "
            "WHERE d.id = ?",
            (original,),
        ).fetchone()
        if row is None:
            continue  # an original without words has no story; neither has its copy
        story_id = assign.resolve_story(conn, row[0])
        conn.execute("INSERT INTO memberships (doc_seq, story_id) VALUES (?, ?)", (seq, story_id))
        conn.execute(
            "UPDATE stories SET revision = revision + 1, updated_seq = ? WHERE id = ?",
            (seq, story_id),
        )
        result.stories_updated.add(story_id)
    result.stories_updated -= result.stories_new
    return touched


def iter_batches(
    paths: Sequence[str],
    store: Store,
    batch_size: int = BATCH_SIZE,
    stdin: BinaryIO | None = None,
    progress: ProgressCallback | None = None,
    errors: list[ReadError] | None = None,
) -> Iterator[Iterator[Item]]:
    """The batches of the inputs (``cut_batches``), streaming: sources are read one document
    at a time (``read.iter_source``: a JSONL or WARC file is never held in memory) as the
    batch is written, and documents already stored are not prepared again (``None``). Batch
    boundaries count every document read, stored or not (see ``BATCH_SIZE``)."""
    return cut_batches(_prepared(paths, store, stdin, progress, errors), batch_size)


#: A document of the input stream: prepared, or ``None`` for one found already stored.
Item = PreparedDocument | None
_END = object()


def cut_batches(items: Iterable[Item], batch_size: int = BATCH_SIZE) -> Iterator[Iterator[Item]]:
    """The batches ``add_batch`` writes: every ``batch_size`` documents of the input stream
    (``None`` items, already stored, count), whatever process prepared them. Each batch is an
    iterator over the stream, to be consumed before the next is asked for."""
    stream = iter(items)
    for first in stream:
        batch = itertools.chain([first], itertools.islice(stream, batch_size - 1))
        yield batch
        if next(batch, _END) is not _END:  # the next batch would start in the wrong place
            raise RuntimeError("a batch was not written whole before the next was asked for")


def _prepared(
    paths: Sequence[str],
    store: Store,
    stdin: BinaryIO | None,
    progress: ProgressCallback | None,
    errors: list[ReadError] | None,
) -> Iterator[Item]:
    from storybrief.read import discover, iter_source
    from storybrief.store.prepare import prepare_document

    sources, found_errors = discover(paths)
    if errors is not None:
        errors.extend(found_errors)
    for source in sources:
        if progress:
            progress(source, len(sources))
        for item in iter_source(source, stdin=stdin):
            if isinstance(item, ReadError):
                if errors is not None:
                    errors.append(item)
            else:
                yield None if _stored(store.conn, item.id) else prepare_document(item)


def write_batches(
    store: Store,
    batches: Iterable[Iterable[Item]],
    result: IngestResult,
    options: Options | None = None,
    briefs: bool = True,
) -> IngestResult:
    """Write ``batches`` through ``add_batch`` into ``result``; then refresh the changed
    stories' briefs (``briefs=False`` leaves them stale, to be refreshed later or on read)."""
    for batch in batches:
        result.absorb(add_batch(store, batch, options))
    if briefs:
        from storybrief.store.briefs import refresh_briefs

        refresh_briefs(store, options)
    return result


def load_write_path() -> None:
    """Import what ``add_batch`` imports on first use (SciPy's sparse matrices, the story
    clustering: a few tenths of a second), so that a parallel ingest can do it while its
    workers start instead of after they are done. (``scipy.cluster.hierarchy``, 0.2 s more,
    is left to the rare batch that needs it: ``analyze.stories``.)"""
    import scipy.sparse  # noqa: F401

    import storybrief.analyze.stories  # noqa: F401


def ingest(
    store: Store,
    paths: Sequence[str],
    options: Options | None = None,
    stdin: BinaryIO | None = None,
    progress: ProgressCallback | None = None,
    batch_size: int = BATCH_SIZE,
    briefs: bool = True,
) -> IngestResult:
    """Read, prepare and write ``paths`` batch by batch; then refresh changed stories' briefs
    (``briefs=False`` leaves them stale, to be refreshed by a later ingest or on read)."""
    result = IngestResult()
    batches = iter_batches(
        paths, store, batch_size, stdin=stdin, progress=progress, errors=result.errors
    )
    return write_batches(store, batches, result, options, briefs)


def prepared_to_dict(item: PreparedDocument) -> dict[str, Any]:
    """A prepared document as plain JSON-compatible data (for debugging and tests)."""
    data = asdict(item)
    data["minhash"] = item.minhash.hex() if item.minhash else None
    data["analysis"] = item.analysis.hex() if item.analysis else None
    return data
