"""The store's tables and the migrations that build them, applied in order.

``PRAGMA user_version`` holds the number of migrations applied; ``PRAGMA application_id``
marks the file as a storybrief store. Each migration runs in one transaction together with
the version bump, so a store is always at exactly one version. A migration is only ever
appended, never edited: stores written by older storybrief versions upgrade by running the
ones they have not seen.
"""

from __future__ import annotations

import sqlite3

__all__ = ["APPLICATION_ID", "MIGRATIONS", "SCHEMA_VERSION", "migrate"]

#: "SBRF" — tells a storybrief store from any other SQLite file.
APPLICATION_ID = 0x53425246

_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

-- One row per stored document. ``seq`` is the ingest sequence number (also the rowid the
-- search tables use); ``id`` the content-addressed id the brief uses.
CREATE TABLE documents (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    path TEXT,
    url TEXT,
    title TEXT,
    site TEXT,
    author TEXT,
    published TEXT,
    date TEXT,                -- published, else inferred from the text (ISO day)
    date_inferred INTEGER NOT NULL DEFAULT 0,
    language TEXT,
    format TEXT NOT NULL,
    text TEXT NOT NULL,
    digest TEXT,              -- SHA-1 of the normalised reporting words (exact copies)
    duplicate_of TEXT REFERENCES documents(id),
    duplicate_similarity REAL,
    minhash BLOB,
    added TEXT NOT NULL       -- UTC time of the ingest that added it
);
CREATE INDEX documents_digest ON documents(digest);
CREATE INDEX documents_date ON documents(date);

CREATE TABLE blocks (
    doc_seq INTEGER NOT NULL REFERENCES documents(seq),
    n INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    label TEXT NOT NULL,
    quotes_start INTEGER,
    quotes_end INTEGER,
    confidence REAL NOT NULL,
    PRIMARY KEY (doc_seq, n)
) WITHOUT ROWID;

-- Per-document analysis (what a brief needs; offsets index documents.text).
CREATE TABLE sentences (
    doc_seq INTEGER NOT NULL REFERENCES documents(seq),
    n INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    fact_candidate INTEGER NOT NULL,
    PRIMARY KEY (doc_seq, n)
) WITHOUT ROWID;
CREATE TABLE date_mentions (
    doc_seq INTEGER NOT NULL REFERENCES documents(seq),
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    value TEXT NOT NULL,
    granularity TEXT NOT NULL,
    relative INTEGER NOT NULL
);
CREATE INDEX date_mentions_doc ON date_mentions(doc_seq);
CREATE TABLE mentions (
    doc_seq INTEGER NOT NULL REFERENCES documents(seq),
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    name TEXT NOT NULL,
    type TEXT NOT NULL
);
CREATE INDEX mentions_doc ON mentions(doc_seq);
CREATE INDEX mentions_name ON mentions(name);
CREATE TABLE quotes (
    doc_seq INTEGER NOT NULL REFERENCES documents(seq),
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    speaker TEXT,
    cue TEXT,
    kind TEXT NOT NULL
);
CREATE INDEX quotes_doc ON quotes(doc_seq);

-- Near-duplicate detection: MinHash LSH bands of original documents.
CREATE TABLE lsh_bands (
    band INTEGER NOT NULL,
    key INTEGER NOT NULL,
    doc_seq INTEGER NOT NULL REFERENCES documents(seq),
    PRIMARY KEY (band, key, doc_seq)
) WITHOUT ROWID;

-- Story assignment state: document frequencies, stories, their centroids and members.
CREATE TABLE term_df (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE stories (
    id TEXT PRIMARY KEY,
    first_date TEXT,
    last_date TEXT,
    size INTEGER NOT NULL,
    revision INTEGER NOT NULL,     -- bumped whenever the story changes
    merged_into TEXT REFERENCES stories(id),
    created_seq INTEGER NOT NULL,
    updated_seq INTEGER NOT NULL,
    norm2 REAL NOT NULL,           -- squared norm of the centroid (kept incrementally)
    label TEXT
);
CREATE INDEX stories_last_date ON stories(last_date);
CREATE TABLE story_terms (
    story_id TEXT NOT NULL REFERENCES stories(id),
    term TEXT NOT NULL,
    weight REAL NOT NULL,
    PRIMARY KEY (story_id, term)
) WITHOUT ROWID;
CREATE INDEX story_terms_term ON story_terms(term);
CREATE TABLE memberships (
    doc_seq INTEGER PRIMARY KEY REFERENCES documents(seq),
    story_id TEXT NOT NULL REFERENCES stories(id),
    event_id TEXT
);
CREATE INDEX memberships_story ON memberships(story_id);

-- Search: reporting text (title weighted up) and reader comments, kept apart.
CREATE VIRTUAL TABLE reporting_fts USING fts5(
    title, body, tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE comments_fts USING fts5(
    body, tokenize = 'porter unicode61 remove_diacritics 2'
);
"""

_V2 = """
-- The brief of each story, kept so readers (the web UI) serve it without recomputing;
-- fresh while ``revision`` equals the story's.
CREATE TABLE story_briefs (
    story_id TEXT PRIMARY KEY REFERENCES stories(id),
    revision INTEGER NOT NULL,
    brief TEXT NOT NULL
);
ALTER TABLE stories ADD COLUMN sources INTEGER NOT NULL DEFAULT 0;
"""

_V3 = """
-- Each original document's story terms (JSON {term: weight}, before IDF), so the stories a
-- batch touches can be re-clustered under the store's current IDF (``recluster.py``).
-- Documents stored before version 3 get theirs computed from their text when first needed.
CREATE TABLE document_terms (
    doc_seq INTEGER PRIMARY KEY REFERENCES documents(seq),
    terms TEXT NOT NULL
);
"""

_V4 = """
-- Candidate lookup of the story assignment (``postings``): each original document's heaviest
-- terms under its day ('' when undated) and its story, read by term and a range of days.
CREATE TABLE term_postings (
    term TEXT NOT NULL,
    day TEXT NOT NULL,
    doc_seq INTEGER NOT NULL,
    story_id TEXT NOT NULL REFERENCES stories(id),
    PRIMARY KEY (term, day, doc_seq)
) WITHOUT ROWID;
CREATE INDEX term_postings_story ON term_postings(story_id);
-- A store written before: each live story posts its 24 heaviest centroid terms on its last day.
INSERT OR IGNORE INTO term_postings (term, day, doc_seq, story_id)
SELECT term, coalesce(last_date, ''), created_seq, story_id FROM (
    SELECT t.term, s.last_date, s.created_seq, t.story_id,
           row_number() OVER (PARTITION BY t.story_id ORDER BY t.weight DESC, t.term) AS n
    FROM story_terms t JOIN stories s ON s.id = t.story_id
    WHERE s.merged_into IS NULL AND s.size > 0
) WHERE n <= 24;
"""

_V5 = """
-- Lookups the write path makes per document that scanned whole tables as the store grew: the
-- copies of a document the re-clustering moves, the postings of a moved document, and the
-- documents stored from one file (a distributed ingest skips them).
CREATE INDEX IF NOT EXISTS documents_duplicate_of ON documents(duplicate_of);
CREATE INDEX IF NOT EXISTS term_postings_doc ON term_postings(doc_seq);
CREATE INDEX IF NOT EXISTS documents_path ON documents(path);
"""

_V6 = """
-- Each document's own analysis as the story briefs use it (``store/analysis.py``: quotes
-- whole, entity mentions under the document's own vocabulary), so a story's brief does not
-- analyse its documents again. ``format`` names the storybrief version that wrote it; a row
-- of another version (or none: documents stored before version 6) is not used.
CREATE TABLE document_analysis (
    doc_seq INTEGER PRIMARY KEY REFERENCES documents(seq),
    format TEXT NOT NULL,
    data BLOB NOT NULL
);
"""

_V7 = """
-- Candidate stories are found through ``term_postings`` (version 4): nothing looks centroid
-- terms up by term any more, and the index cost every centroid write.
DROP INDEX IF EXISTS story_terms_term;
"""

_V8 = """
-- What a ``story_briefs`` row holds: ``brief``, the story's whole brief, or ``outline``, a
-- small story's labels and events only (its brief is built when read: ``store/outline.py``).
-- The version also keeps an older storybrief, which would serve an outline as the brief,
-- from reading a store that holds outlines (it refuses a newer store).
ALTER TABLE story_briefs ADD COLUMN kind TEXT NOT NULL DEFAULT 'brief';
UPDATE story_briefs SET kind = 'outline' WHERE json_extract(brief, '$.outline') = 1;
"""

#: The migrations, in order; migration ``n`` (1-based) takes a store to version ``n``.
MIGRATIONS: tuple[str, ...] = (_V1, _V2, _V3, _V4, _V5, _V6, _V7, _V8)
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Apply the migrations a store has not seen, each in its own transaction; returns the
    version it had. ``conn`` must be in autocommit mode (``isolation_level=None``)."""
    current = int(conn.execute("PRAGMA user_version").fetchone()[0])
    for version in range(current + 1, target + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(MIGRATIONS[version - 1]):
                conn.execute(statement)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {version}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return current


def _statements(script: str) -> list[str]:
    """The statements of a migration script (``executescript`` would commit on its own)."""
    out, buffer = [], ""
    for line in script.splitlines(keepends=True):
        if line.lstrip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            out.append(buffer.strip())
            buffer = ""
    return out
