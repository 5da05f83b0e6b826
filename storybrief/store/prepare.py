"""THE per-document work of an ingest, as a pure function from inputs to plain data.

``prepare_source(path)`` reads one source (any format the readers know) and, for each of its
documents, in order:

1. cleans it on its own (``clean.clean_document``: labelled blocks, title, language, comments
   quoting the article) — duplicates are a property of the store, decided by the write path;
2. masks everything that is not reporting (``brief.masked_reporting_text``);
3. dates it: the source's published date, else the date inferred from its text, and the date
   mentions it states (``analyze.dates``);
4. splits its body into sentences and marks fact candidates (sentences with enough content
   words to be matched with another source's, ``analyze.facts``);
5. finds its quotes (``analyze.quotes``) and entity mentions (``analyze.entities``);
6. builds its story-assignment terms (content words plus weighted names and figures, the same
   bag ``analyze.stories`` clusters on) and its near-duplicate sketch (normalised-word digest
   and MinHash of 5-word shingles, as ``clean.duplicates``).

The result (``PreparedDocument``) holds only plain dataclasses, strings, numbers and bytes: it
pickles, so the work can run in another process or on a Dask worker, and the store is then
written in one place (``write.add_batch``). Nothing here touches a store.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, BinaryIO

from storybrief.model import Document, ReadError

if TYPE_CHECKING:
    from storybrief.analyze.document_analysis import DocumentAnalysis

__all__ = [
    "DateMentionRow",
    "MentionRow",
    "PrepareResult",
    "PreparedDocument",
    "QuoteRow",
    "SentenceRow",
    "prepare_document",
    "prepare_documents",
    "prepare_source",
]


@dataclass(frozen=True)
class SentenceRow:
    start: int
    end: int
    #: Enough content words to be compared with other sources' sentences (``facts``).
    fact_candidate: bool


@dataclass(frozen=True)
class DateMentionRow:
    start: int
    end: int
    value: str  # ISO day: the start of the named period
    granularity: str
    relative: bool


@dataclass(frozen=True)
class MentionRow:
    start: int
    end: int
    name: str  # the entity's name as merged within the document
    type: str


@dataclass(frozen=True)
class QuoteRow:
    start: int
    end: int
    speaker: str | None
    cue: str | None
    kind: str


@dataclass
class PreparedDocument:
    """One cleaned, analysed document, ready to be written by ``write.add_batch``."""

    document: Document  # cleaned; ``duplicate_of`` is left to the write path
    #: ISO day the document is placed at (published, else inferred); ``None``: no date found.
    date: str | None
    date_inferred: bool
    sentences: list[SentenceRow] = field(default_factory=list)
    date_mentions: list[DateMentionRow] = field(default_factory=list)
    mentions: list[MentionRow] = field(default_factory=list)
    quotes: list[QuoteRow] = field(default_factory=list)
    #: Story-assignment terms: sublinear term frequency, names and figures weighted up
    #: (``@name``, ``#figure`` tokens). IDF is applied by the store, which keeps the counts.
    terms: dict[str, float] = field(default_factory=dict)
    #: SHA-1 of the normalised reporting words (exact copies), ``None`` without words.
    digest: str | None = None
    #: MinHash signature (``NUM_PERM`` little-endian uint32), ``None`` without words.
    minhash: bytes | None = None
    #: What the rows above were made from, kept whole for the story briefs: encoded where the
    #: page was prepared (``store.analysis.encode``; the writer, on a Dask client, only stores
    #: the bytes: unpickling the objects cost it more than its inserts) ...
    analysis: bytes | None = None
    #: ... and the analysis code that made it (``store.analysis.format_tag``).
    analysis_format: str | None = None

    @property
    def id(self) -> str:
        return self.document.id


@dataclass
class PrepareResult:
    documents: list[PreparedDocument] = field(default_factory=list)
    errors: list[ReadError] = field(default_factory=list)


def prepare_source(source: str, stdin: BinaryIO | None = None) -> PrepareResult:
    """Read one discovered source (a path or ``-``) and prepare each of its documents."""
    from storybrief.read import read_source

    docs, errors = read_source(source, stdin=stdin)
    return PrepareResult(prepare_documents(docs), list(errors))


def prepare_documents(docs: Sequence[Document]) -> list[PreparedDocument]:
    """``prepare_document`` for each of ``docs`` (read but not yet cleaned), in order."""
    return [prepare_document(doc) for doc in docs]


def prepare_document(doc: Document) -> PreparedDocument:
    """Clean and analyse one freshly read document (see the module docstring)."""
    from storybrief.analyze.document_analysis import analyse_document
    from storybrief.brief import masked_reporting_text
    from storybrief.clean import clean_document
    from storybrief.store.analysis import encode, format_tag

    clean_document(doc)
    masked = masked_reporting_text(doc)
    date, inferred = _date(doc, masked)
    reference = datetime.date.fromisoformat(date) if date else None
    digest, minhash = _sketch(doc)
    analysis = analyse_document(doc, masked)
    return PreparedDocument(
        document=doc,
        date=date,
        date_inferred=inferred,
        sentences=_sentences(analysis),
        date_mentions=_date_mentions(masked, reference),
        mentions=_mentions(doc.id, masked, analysis),
        quotes=[QuoteRow(q.start, q.end, q.speaker, q.cue, q.kind) for q in analysis.quotes],
        terms=story_terms(masked),
        digest=digest,
        minhash=minhash,
        analysis=encode(analysis),
        analysis_format=format_tag(),
    )


def _date(doc: Document, masked: str) -> tuple[str | None, bool]:
    from storybrief.analyze.dates import infer_document_date

    published = None
    if doc.published:
        try:
            published = datetime.date.fromisoformat(doc.published[:10])
        except ValueError:
            published = None
    day, inferred = infer_document_date(masked, published)
    return (day.isoformat() if day else None), bool(inferred and day is not None)


def _sentences(analysis: DocumentAnalysis) -> list[SentenceRow]:
    from storybrief.analyze.facts import MIN_SHARED_TERMS, content_count, sentence_terms

    return [
        SentenceRow(s.start, s.end, content_count(sentence_terms(s.text)) >= MIN_SHARED_TERMS)
        for s in analysis.sentences
    ]


def _date_mentions(masked: str, reference: datetime.date | None) -> list[DateMentionRow]:
    from storybrief.analyze.dates import find_dates

    return [
        DateMentionRow(m.start, m.end, m.value.isoformat(), m.granularity, m.relative)
        for m in find_dates(masked, reference)
    ]


def _mentions(doc_id: str, masked: str, analysis: DocumentAnalysis) -> list[MentionRow]:
    from storybrief.analyze.entities import extract_entities

    if not masked.strip():
        return []
    rows = [
        MentionRow(m.start, m.end, entity.name, entity.type)
        for entity in extract_entities([(doc_id, masked)], {doc_id: analysis.mentions})
        for m in entity.mentions
    ]
    return sorted(rows, key=lambda r: (r.start, r.end))


def story_terms(text: str) -> dict[str, float]:
    """Sublinear term frequencies of the story bag (``analyze.stories``), names boosted."""
    from storybrief.analyze.stories import weighted_terms

    return weighted_terms(text, names=True)


def _sketch(doc: Document) -> tuple[str | None, bytes | None]:
    from storybrief.clean.duplicates import (
        comparison_text,
        minhash_signature,
        normalised_words,
        shingles,
    )

    words = normalised_words(comparison_text(doc))
    if not words:
        return None, None
    digest = hashlib.sha1(" ".join(words).encode("utf-8", "surrogatepass")).hexdigest()
    return digest, minhash_signature(shingles(words))
