"""The read API: stories, documents and search over a store opened with ``db.open_reader``
(or a writer; nothing here writes).

Every function takes a ``Store`` and returns plain JSON-compatible dicts, so the CLI and the
web UI render them without touching SQL. Search turns what a user typed into an FTS5 query
of quoted terms (``fts_query``): quotes, ``NEAR(``, ``*``, ``OR``, ``--`` or SQL in the input
are words to look for, never syntax.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from storybrief.model import Block, Document
from storybrief.store.assign import resolve_story
from storybrief.store.db import Store
from storybrief.terms import readable_headline

if TYPE_CHECKING:
    from storybrief.analyze.document_analysis import DocumentAnalysis

__all__ = [
    "MAX_QUERY_CHARS",
    "QueryError",
    "document",
    "fts_query",
    "load_analysis",
    "load_documents",
    "search",
    "stories",
    "stories_by_id",
    "story",
    "story_documents",
]

#: Longest query accepted (a pasted paragraph is fine; a pasted book is not).
MAX_QUERY_CHARS = 10_000
#: At most this many distinct words of a query are searched for (all must occur).
MAX_QUERY_TERMS = 64
#: bm25 column weights: a match in the title counts this many times one in the body.
TITLE_WEIGHT = 5.0
SNIPPET_TOKENS = 16

_WORD = re.compile(r"\w+")


class QueryError(ValueError):
    """A query that cannot be run; ``str()`` is a one-line message for the user."""


def _rows(conn: sqlite3.Connection, sql: str, args: Sequence[Any] = ()) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, args)
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


_STORY_SQL = """
SELECT s.id, s.label, s.first_date, s.last_date, s.size AS documents, s.updated_seq,
  (SELECT count(DISTINCT coalesce(d.site, d.url, d.path, d.id)) FROM memberships m
     JOIN documents d ON d.seq = m.doc_seq
     WHERE m.story_id = s.id AND d.duplicate_of IS NULL) AS sources,
  (SELECT count(DISTINCT m.event_id) FROM memberships m WHERE m.story_id = s.id) AS events,
  (SELECT max(d.added) FROM memberships m JOIN documents d ON d.seq = m.doc_seq
     WHERE m.story_id = s.id) AS last_added
FROM stories s WHERE s.merged_into IS NULL
"""


def stories(
    store: Store, since: str | None = None, limit: int = 50, offset: int = 0
) -> list[dict[str, Any]]:
    """Live stories by latest activity (last date, then latest added), each with counts and
    ``new_documents`` (documents dated after ``since``; all when ``since`` is None)."""
    conn = store.conn
    sql = _STORY_SQL
    args: list[Any] = []
    if since:
        sql += (
            " AND EXISTS (SELECT 1 FROM memberships m JOIN documents d ON d.seq = m.doc_seq "
            "WHERE m.story_id = s.id AND d.date > ?)"
        )
        args.append(since)
    sql += " ORDER BY coalesce(s.last_date, '') DESC, s.updated_seq DESC, s.id LIMIT ? OFFSET ?"
    args += [limit, offset]
    out = _rows(conn, sql, args)
    documents = _documents_of(conn, [item["id"] for item in out])
    for item in out:
        docs = documents[item["id"]]
        item["size"] = item.pop("documents")
        item["documents"] = docs
        item["new_documents"] = sum(
            1 for d in docs if since is None or (d["date"] is not None and d["date"] > since)
        )
        item["label"] = item["label"] or _label(docs)
        item.pop("updated_seq")
    return out


def count_stories(store: Store) -> int:
    return int(
        store.conn.execute("SELECT count(*) FROM stories WHERE merged_into IS NULL").fetchone()[0]
    )


def _label(docs: Sequence[dict[str, Any]]) -> str:
    """A reporting headline: the shortest readable title among the story's original
    documents (else among all its documents)."""
    titles = [d["title"] for d in docs if readable_headline(d["title"]) and not d["duplicate_of"]]
    titles = titles or [d["title"] for d in docs if readable_headline(d["title"])]
    return min(titles, key=lambda t: (len(t), t)) if titles else ""


def story(store: Store, story_id: str) -> dict[str, Any] | None:
    """One story (an old id of a merged story resolves to the story it became)."""
    return stories_by_id(store, [story_id]).get(story_id)


def stories_by_id(store: Store, story_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """``story`` of each of ``story_ids`` in three queries whatever their number (search
    results grouped by story); ids of no story are left out."""
    conn = store.conn
    live = _resolve_all(conn, list(dict.fromkeys(story_ids)))
    targets = sorted(set(live.values()))
    if not targets:
        return {}
    marks = ",".join("?" * len(targets))
    rows = {r["id"]: r for r in _rows(conn, _STORY_SQL + f" AND s.id IN ({marks})", targets)}
    docs = _documents_of(conn, list(rows))
    out = {}
    for asked, story_id in live.items():
        if story_id not in rows:
            continue
        item = dict(rows[story_id])
        item.pop("updated_seq")
        item["size"] = item.pop("documents")
        item["documents"] = docs[story_id]
        item["label"] = item["label"] or _label(item["documents"])
        if asked != story_id:
            item["merged_from"] = asked
        out[asked] = item
    return out


def story_documents(store: Store, story_id: str) -> list[dict[str, Any]]:
    """The story's documents in date order (undated last), then ingest order."""
    live = resolve_story(store.conn, story_id)
    return _documents_of(store.conn, [live])[live]


_DOCUMENTS_SQL = (
    "SELECT m.story_id, d.id, d.path, d.url, d.title, d.site, d.date, d.date_inferred, "
    "d.duplicate_of, m.event_id AS event FROM memberships m JOIN documents d ON "
    "d.seq = m.doc_seq WHERE m.story_id IN ({marks}) "
    "ORDER BY m.story_id, d.date IS NULL, d.date, d.seq"
)


def _documents_of(
    conn: sqlite3.Connection, story_ids: list[str]
) -> dict[str, list[dict[str, Any]]]:
    """``story_documents`` of each of ``story_ids`` (live ids), in one query per 500."""
    docs: dict[str, list[dict[str, Any]]] = {story_id: [] for story_id in story_ids}
    for i in range(0, len(story_ids), 500):
        chunk = story_ids[i : i + 500]
        for doc in _rows(conn, _DOCUMENTS_SQL.format(marks=",".join("?" * len(chunk))), chunk):
            docs[doc.pop("story_id")].append(doc)
    return docs


def _resolve_all(conn: sqlite3.Connection, story_ids: list[str]) -> dict[str, str]:
    """``resolve_story`` of each id, one query per level of merging (not per id)."""
    live = {story_id: story_id for story_id in story_ids}
    for _ in range(100):
        pending = sorted(set(live.values()))
        if not pending:
            break
        merged = dict(
            conn.execute(
                f"SELECT id, merged_into FROM stories WHERE id IN ({','.join('?' * len(pending))}) "
                "AND merged_into IS NOT NULL",
                pending,
            ).fetchall()
        )
        if not merged:
            break
        live = {asked: merged.get(now, now) for asked, now in live.items()}
    return live


def document(store: Store, doc_id: str, text: bool = True) -> dict[str, Any] | None:
    """One document with its metadata, story, event and labelled blocks."""
    rows = _rows(
        store.conn,
        "SELECT d.seq, d.id, d.path, d.url, d.title, d.site, d.author, d.published, d.date, "
        "d.date_inferred, d.language, d.format, d.duplicate_of, d.duplicate_similarity, "
        "d.added, d.text, m.story_id AS story, m.event_id AS event FROM documents d "
        "LEFT JOIN memberships m ON m.doc_seq = d.seq WHERE d.id = ?",
        [doc_id],
    )
    if not rows:
        return None
    item = rows[0]
    seq = item.pop("seq")
    item["date_inferred"] = bool(item["date_inferred"])
    item["blocks"] = [
        {
            "start": b.start,
            "end": b.end,
            "label": b.label,
            "text": b.text,
            "quotes_span": list(b.quotes_span) if b.quotes_span else None,
        }
        for b in _blocks(store.conn, seq, item["text"])
    ]
    if not text:
        item.pop("text")
    return item


def _blocks(conn: sqlite3.Connection, seq: int, text: str) -> list[Block]:
    return [
        Block(start, end, text[start:end], label, (qs, qe) if qs is not None else None, conf)
        for start, end, label, qs, qe, conf in conn.execute(
            'SELECT start, "end", label, quotes_start, quotes_end, confidence FROM blocks '
            "WHERE doc_seq = ? ORDER BY n",
            (seq,),
        )
    ]


def load_documents(store: Store, doc_ids: Sequence[str]) -> list[Document]:
    """The stored cleaned documents (text, metadata, blocks, duplicate marks), in the given
    order: what ``brief.build_brief`` takes, without reading or cleaning any file again."""
    out = []
    for doc_id in doc_ids:
        row = store.conn.execute(
            "SELECT seq, id, text, path, url, title, published, author, site, language, "
            "format, duplicate_of, duplicate_similarity FROM documents WHERE id = ?",
            (doc_id,),
        ).fetchone()
        if row is None:
            continue
        seq, *fields = row
        doc = Document(*fields)
        doc.blocks = _blocks(store.conn, seq, doc.text)
        out.append(doc)
    return out


def load_analysis(store: Store, docs: Sequence[Document]) -> dict[str, DocumentAnalysis]:
    """The analysis ``prepare`` kept of each of the stored ``docs`` (``store.analysis``), by
    id: what ``brief.build_brief(..., analysis=...)`` takes so as not to analyse them again.
    Documents without one usable by this version are left out (the brief analyses them)."""
    from storybrief.store import analysis

    return analysis.load(store.conn, docs)


def fts_query(text: str) -> str:
    """What a user typed as an FTS5 query: each distinct word double-quoted, all required.

    Only word characters survive, so nothing the user types is FTS5 or SQL syntax."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"query too long: {len(text):,} characters (at most {MAX_QUERY_CHARS:,})")
    words = list(dict.fromkeys(w.lower() for w in _WORD.findall(text)))
    if not words:
        raise QueryError("the query has no words to search for")
    if len(words) > MAX_QUERY_TERMS:
        raise QueryError(
            f"query too long: {len(words)} different words (at most {MAX_QUERY_TERMS})"
        )
    return " ".join(f'"{w}"' for w in words)


def search(
    store: Store,
    query: str,
    since: str | None = None,
    story_id: str | None = None,
    comments: bool = False,
    limit: int = 20,
) -> list[dict[str, Any]]:
    """Documents matching ``query``, best first (bm25; titles weighted ``TITLE_WEIGHT``):
    id, path/url, story, title, date, a snippet with the match in ``[`` ``]``, the span."""
    match = fts_query(query)
    table = "comments_fts" if comments else "reporting_fts"
    rank = f"bm25({table})" if comments else f"bm25({table}, {TITLE_WEIGHT}, 1.0)"
    column = 0 if comments else 1
    sql = (
        f"SELECT d.id, d.path, d.url, d.title, d.date, m.story_id AS story, d.text, "
        f"snippet({table}, {column}, '[', ']', '…', {SNIPPET_TOKENS}) AS snippet, "
        f"{rank} AS score FROM {table} f JOIN documents d ON d.seq = f.rowid "
        f"LEFT JOIN memberships m ON m.doc_seq = d.seq WHERE {table} MATCH ?"
    )
    args: list[Any] = [match]
    if since:
        sql += " AND d.date > ?"
        args.append(since)
    if story_id:
        sql += " AND m.story_id = ?"
        args.append(resolve_story(store.conn, story_id))
    sql += " ORDER BY score, d.seq LIMIT ?"
    args.append(max(1, min(limit, 1000)))
    try:
        hits = _rows(store.conn, sql, args)
    except sqlite3.OperationalError as exc:  # should not happen with quoted terms
        raise QueryError(f"cannot search for that: {exc}") from None
    words = match.replace('"', "").split()
    for hit in hits:
        text = hit.pop("text")
        hit["snippet"] = " ".join(hit["snippet"].split())
        hit["start"], hit["end"] = _span(text, words, hit["snippet"])
        hit["score"] = round(-float(hit["score"]), 4)
    return hits


def _span(text: str, words: Sequence[str], snippet: str) -> tuple[int | None, int | None]:
    """The character span of the first marked match in the snippet, found in the text."""
    marked = re.findall(r"\[([^\]]+)\]", snippet)
    for term in marked + list(words):
        found = re.search(r"(?<!\w)" + re.escape(term) + r"(?!\w)", text, re.IGNORECASE)
        if found:
            return found.start(), found.end()
    return None, None
