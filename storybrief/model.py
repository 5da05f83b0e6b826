"""The data model shared by every stage: plain typed dataclasses.

Data flows one way: readers build ``Document`` objects (text plus metadata), the cleaner
adds labelled ``Block``s, language and duplicate marks; later stages read those and add
their own results. Offsets (``start``/``end``) are always character offsets into
``Document.text`` so that any span can be cited and highlighted exactly.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

BlockLabel = Literal["title", "heading", "body", "comment", "boilerplate"]
BLOCK_LABELS: tuple[BlockLabel, ...] = ("title", "heading", "body", "comment", "boilerplate")
#: Labels whose text is the reporting itself (what summaries, facts and quotes may use).
REPORTING_LABELS: frozenset[str] = frozenset({"title", "heading", "body"})


@dataclass
class Block:
    """One labelled line or paragraph of a document.

    ``start``/``end`` are character offsets into ``Document.text`` and
    ``Document.text[start:end] == text`` always holds.
    """

    start: int
    end: int
    text: str
    label: BlockLabel
    #: For comment blocks that paste article text: the span of the article text it copies
    #: (offsets into ``Document.text``), else ``None``.
    quotes_span: tuple[int, int] | None = None
    #: How sure the cleaner is of ``label`` (0..1); 1.0 for labels given by the source.
    confidence: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["quotes_span"] = list(self.quotes_span) if self.quotes_span else None
        return data


@dataclass
class Document:
    """One input page: its text, what is known about it, and what the cleaner decided."""

    id: str
    text: str
    path: str | None = None
    url: str | None = None
    title: str | None = None
    #: ISO date (YYYY-MM-DD) when the source gives one; never guessed here.
    published: str | None = None
    author: str | None = None
    site: str | None = None
    #: ISO 639-1 code found by the language detector (``None`` if undetermined).
    language: str | None = None
    #: Input format the document came from: text, html, jsonl, warc.
    format: str = "text"
    blocks: list[Block] = field(default_factory=list)
    #: Id of the earlier document this one is an exact or near copy of.
    duplicate_of: str | None = None
    #: Estimated Jaccard similarity to ``duplicate_of``.
    duplicate_similarity: float | None = None
    #: What its reader could not make sense of but read past (a date it cannot read).
    warnings: list[ReadWarning] = field(default_factory=list)

    def blocks_labelled(self, *labels: str) -> list[Block]:
        return [b for b in self.blocks if b.label in labels]

    @property
    def reporting_text(self) -> str:
        """The article's own text (title, headings, body), one block per line."""
        return "\n".join(b.text for b in self.blocks if b.label in REPORTING_LABELS)

    def to_dict(self, include_text: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "path": self.path,
            "url": self.url,
            "title": self.title,
            "published": self.published,
            "author": self.author,
            "site": self.site,
            "language": self.language,
            "format": self.format,
            "duplicate_of": self.duplicate_of,
            "duplicate_similarity": self.duplicate_similarity,
            "blocks": [b.to_dict() for b in self.blocks],
        }
        if include_text:
            data["text"] = self.text
        return data


@dataclass
class _SourceMessage:
    """A one-line message about an input (``source``: its path, with a record's place)."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"

    def to_dict(self) -> dict[str, str]:
        return {"source": self.source, "reason": self.reason}


@dataclass
class ReadError(_SourceMessage):
    """A file (or a record inside one) that could not be read; the run goes on without it."""


@dataclass
class ReadWarning(_SourceMessage):
    """Something in an input that was read past: the document is kept without it (a record's
    ``published`` that is not a date storybrief reads leaves the record undated). Not a
    ``ReadError``: nothing is lost and the exit code is unchanged."""


def document_id(text: str, source: str | None = None) -> str:
    """A short content-addressed id: the same text from the same source gets the same id."""
    digest = hashlib.sha1()
    digest.update((source or "").encode("utf-8", "surrogatepass"))
    digest.update(b"\0")
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Sentence:
    """A sentence of a document: ``text == document.text[start:end]``."""

    doc_id: str
    start: int
    end: int
    text: str
