"""Building ``Document`` objects: plain text as is, extracted pages as labelled lines."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from email.utils import parsedate_to_datetime

from storybrief.model import Block, BlockLabel, Document, document_id
from storybrief.read.decode import normalise_newlines
from storybrief.read.limits import MAX_DOCUMENT_CHARS, ReadFailure, too_large

_ISO_DAY = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:$|[T\s])")
_SPACES = re.compile(r"\s+")


def check_length(text: str) -> None:
    """Refuse text over :data:`MAX_DOCUMENT_CHARS`, and text with nothing in it."""
    if len(text) > MAX_DOCUMENT_CHARS:
        raise too_large(len(text), MAX_DOCUMENT_CHARS, "characters")
    if not text.strip():
        raise ReadFailure("empty file")


#: What a source may know about a document: keys among ``META_FIELDS``.
Meta = Mapping[str, str | None]
META_FIELDS = ("url", "title", "published", "author", "site")


def text_document(
    text: str, path: str | None, fmt: str = "text", meta: Meta | None = None
) -> Document:
    """A plain-text document: text kept verbatim (newlines normalised), no blocks.

    Blocks are left empty on purpose: the cleaner labels plain text line by line later.
    """
    text = normalise_newlines(text)
    if text.startswith("\ufeff"):
        text = text[1:]
    check_length(text)
    return _document(text, path, fmt, [], meta or {})


def _document(text: str, path: str | None, fmt: str, blocks: list[Block], meta: Meta) -> Document:
    """Ids come from the url when known (stable across copies of the crawl), else the path."""
    url = meta.get("url")
    return Document(
        id=document_id(text, url or path),
        text=text,
        path=path,
        url=url,
        title=meta.get("title"),
        published=meta.get("published"),
        author=meta.get("author"),
        site=meta.get("site"),
        format=fmt,
        blocks=blocks,
    )


def one_line(text: str | None) -> str | None:
    """Collapse whitespace (titles and names from metadata may span lines)."""
    if text is None:
        return None
    collapsed = _SPACES.sub(" ", text).strip()
    return collapsed or None


def lines_document(
    lines: Iterable[tuple[str, BlockLabel]], path: str | None, fmt: str, meta: Meta
) -> Document:
    """A document whose text is ``lines`` joined by "\\n", with one labelled Block per line.

    Lines are whitespace-collapsed and empty ones dropped, so offsets are exact by construction.
    """
    parts: list[str] = []
    blocks: list[Block] = []
    offset = 0
    for raw, label in lines:
        line = one_line(raw)
        if not line:
            continue
        if parts:
            offset += 1  # the "\n" joining this line to the previous one
        blocks.append(Block(start=offset, end=offset + len(line), text=line, label=label))
        parts.append(line)
        offset += len(line)
    text = "\n".join(parts)
    check_length(text)
    return _document(text, path, fmt, blocks, meta)


def iso_date(value: object) -> str | None:
    """``YYYY-MM-DD`` from an ISO 8601 or RFC 2822 date, else None.

    Deliberately strict: free-form dates ("yesterday", "3 days ago") would need a reference
    time and make runs depend on the clock, so they are not guessed here.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    match = _ISO_DAY.match(value)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
        except ValueError:
            return None
    try:
        parsed: datetime = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed.date().isoformat()
