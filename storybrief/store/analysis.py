"""Each stored document's own analysis (``analyze.document_analysis``), kept for the briefs.

``prepare`` analyses every document once; the write path keeps what the story briefs reuse
(``save``) in ``document_analysis`` as compressed JSON: the quotes whole (the ``quotes`` table
holds only what the store queries) and the entity mentions under the document's own
vocabulary, with the vocabulary and the answers they relied on. The body sentences are the
``sentences`` table's. ``load`` gives them back for ``brief.build_brief(..., analysis=...)``.

A row is used only when the same analysis code wrote it (``format_tag``: storybrief's version
and a digest of the source of ``storybrief/analyze``, ``brief.py`` and the model): other
code may find other quotes or mentions in the same text, and its briefs must be its own,
also between two builds of one version. Documents without a usable row are analysed again by
the brief, as before this table existed.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zlib
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from storybrief import __version__
from storybrief.analyze.document_analysis import DocumentAnalysis
from storybrief.analyze.entities_mentions import (
    DocumentMentions,
    LineMentions,
    RawMention,
    Vocabulary,
)
from storybrief.analyze.quotes import Quote
from storybrief.model import Document, Sentence

__all__ = ["Kept", "decode_kept", "encode", "format_tag", "load", "load_kept", "save"]

#: The layout of a row's data (bumped when ``encode`` changes).
_LAYOUT = 1
#: Modules outside ``analyze`` that decide a document's analysis (the masked text and body
#: sentences are ``brief.py``'s).
_ALSO_ANALYSIS = ("brief.py", "model.py", "stopwords.py", "terms.py")


@lru_cache(maxsize=1)
def format_tag() -> str:
    """What a row's analysis depends on: the layout, storybrief's version and a digest of the
    analysis code (every module of ``storybrief/analyze`` and ``_ALSO_ANALYSIS``; about a
    millisecond, once per process)."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha1()
    paths = [*(package / "analyze").glob("*.py"), *(package / n for n in _ALSO_ANALYSIS)]
    for path in sorted(paths):
        try:
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
        except OSError:  # no source beside the code (a frozen build): the version alone
            return f"{__version__}/{_LAYOUT}"
    return f"{__version__}/{_LAYOUT}/{digest.hexdigest()[:16]}"


_QUOTE_FIELDS = (
    "start", "end", "text", "speaker", "speaker_text", "speaker_start", "speaker_end", "cue",
    "kind", "cue_start", "cue_end",
)  # fmt: skip
_MENTION_FIELDS = ("start", "end", "text", "name", "evidence", "roles", "qualifier", "honorific")


def save(conn: sqlite3.Connection, seq: int, data: bytes | None, format_: str | None) -> None:
    """Keep the encoded analysis (``encode``) of the stored document ``seq``, made by the
    analysis code ``format_`` (``format_tag`` where it ran); nothing when there is none."""
    if data is None or format_ is None:
        return
    conn.execute(
        "INSERT OR REPLACE INTO document_analysis (doc_seq, format, data) VALUES (?, ?, ?)",
        (seq, format_, data),
    )


def encode(analysis: DocumentAnalysis) -> bytes:
    """The analysis without its sentences (kept in ``sentences``), as compressed JSON."""
    mentions = analysis.mentions
    data = {
        "quotes": [
            [*(getattr(q, name) for name in _QUOTE_FIELDS), q.parts] for q in analysis.quotes
        ],
        "lines": [
            [line.start, line.end, [_mention_row(m) for m in line.raws], line.asked]
            for line in mentions.lines
        ],
        "lower": sorted(mentions.vocab.lower),
        "cap_inside": sorted(mentions.vocab.cap_inside),
    }
    return zlib.compress(json.dumps(data, ensure_ascii=False).encode("utf-8", "surrogatepass"))


def decode(data: bytes, doc: Document, sentences: list[Sentence]) -> DocumentAnalysis:
    """``encode``'s analysis of ``doc`` back, with its body ``sentences``."""
    value: dict[str, Any] = json.loads(zlib.decompress(data).decode("utf-8", "surrogatepass"))
    quotes = [
        Quote(
            doc_id=doc.id,
            **dict(zip(_QUOTE_FIELDS, row[:-1], strict=True)),
            parts=tuple((s, e) for s, e in row[-1]),
        )
        for row in value["quotes"]
    ]
    lines = [
        LineMentions(start, end, [_raw_mention(doc.id, row) for row in rows], asked)
        for start, end, rows, asked in value["lines"]
    ]
    vocab = Vocabulary(set(value["lower"]), set(value["cap_inside"]))
    return DocumentAnalysis(sentences, quotes, DocumentMentions(vocab, lines))


def _mention_row(mention: RawMention) -> list[Any]:
    return [getattr(mention, name) for name in _MENTION_FIELDS]


def _raw_mention(doc_id: str, row: list[Any]) -> RawMention:
    start, end, text, name, evidence, roles, qualifier, honorific = row
    return RawMention(doc_id, start, end, text, tuple(name), evidence, roles, qualifier, honorific)


#: A kept row as read from the store: its encoded data (``encode``) and the spans of the
#: document's body sentences. Cheap to read and to send to a Dask worker, which decodes it.
Kept = tuple[bytes, list[tuple[int, int]]]


def load_kept(conn: sqlite3.Connection, docs: Sequence[Document]) -> dict[str, Kept]:
    """The kept rows of ``docs`` written by this analysis code, by document id (``decode_kept``
    makes the analysis of them)."""
    out: dict[str, Kept] = {}
    for doc in docs:
        row = conn.execute(
            "SELECT a.doc_seq, a.data FROM documents d JOIN document_analysis a "
            "ON a.doc_seq = d.seq WHERE d.id = ? AND a.format = ?",
            (doc.id, format_tag()),
        ).fetchone()
        if row is None:
            continue
        seq, data = row
        spans = conn.execute(
            'SELECT start, "end" FROM sentences WHERE doc_seq = ? ORDER BY n', (seq,)
        ).fetchall()
        out[doc.id] = (data, [(start, end) for start, end in spans])
    return out


def decode_kept(docs: Sequence[Document], kept: Mapping[str, Kept]) -> dict[str, DocumentAnalysis]:
    """The analysis of each of ``docs`` that has a kept row (``load_kept``), by id."""
    out: dict[str, DocumentAnalysis] = {}
    for doc in docs:
        if doc.id in kept:
            data, spans = kept[doc.id]
            sentences = [Sentence(doc.id, start, end, doc.text[start:end]) for start, end in spans]
            out[doc.id] = decode(data, doc, sentences)
    return out


def load(conn: sqlite3.Connection, docs: Sequence[Document]) -> dict[str, DocumentAnalysis]:
    """The kept analysis of each of ``docs`` that has one of this version, by document id."""
    return decode_kept(docs, load_kept(conn, docs))
