"""Building ``Document`` objects: plain text as is, extracted pages as labelled lines."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any

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


#: Month-first for all-numeric dates: "06/10/1998" is 10 June 1998, as US exporters and wire
#: archives write it (the DUC/AP "06/10/1998 11:09:00" form this was written for). A first
#: number above 12 can only be a day ("25/12/1998" is read as 25 December either way), and a
#: dotted date ("10.06.1998") is the European day-first form (``_DOTTED_DAY``).
NUMERIC_DATE_ORDER = "MDY"
#: Month names of these languages are read ("10 juin 1998"), tried in this order, English first.
DATE_LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl")
#: Epoch timestamps: seconds from 1973-03-03 (9 digits) to 2286; the same in milliseconds
#: (12-13 digits, as JavaScript exporters write them). Smaller numbers ("1998") are not dates.
_EPOCH_SECONDS = (10**8, 10**10)
_EPOCH_MILLISECONDS = (10**11, 10**13)

_ISO_BASIC_DAY = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})(?:$|T\d)")
_DOTTED_DAY = re.compile(r"^\s*(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})\b")
_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)?\s*$")


def iso_date(value: object) -> str | None:
    """``YYYY-MM-DD`` of a date as sources write it, else None (``published_date``)."""
    return published_date(value)[0]


def published_date(value: object) -> tuple[str | None, str | None]:
    """``(YYYY-MM-DD, None)`` for a date a source gives, ``(None, why)`` for one that cannot
    be read, ``(None, None)`` for none at all.

    Read: ISO 8601 (also ``19980610``), RFC 2822, epoch seconds or milliseconds (a number or
    its digits, UTC), and the common written forms through dateparser with fixed settings:
    ``06/10/1998 11:09:00`` (month first, ``NUMERIC_DATE_ORDER``), ``June 10, 1998``,
    ``10 June 1998``, ``Tuesday, June 10, 1998 11:09 AM EDT``, month names of
    ``DATE_LANGUAGES``. The day is the one written (no time-zone conversion). Never read:
    relative dates ("yesterday", "3 days ago": they would make a run depend on the clock) and
    partial ones ("June 1998", "1998": a day would have to be guessed).
    """
    if value is None or isinstance(value, bool):
        return None, None
    if isinstance(value, int | float):
        return _epoch(value)
    if not isinstance(value, str):
        return None, f"is {type(value).__name__}, not a date"
    if not value.strip():
        return None, None
    for pattern, order in ((_ISO_DAY, (1, 2, 3)), (_ISO_BASIC_DAY, (1, 2, 3)), (_DOTTED_DAY, (3, 2, 1))):
        match = pattern.match(value)
        if match:
            year, month, day = (int(match[i]) for i in order)
            try:
                return date(year, month, day).isoformat(), None
            except ValueError:
                return None, "is not a real day"
    if _NUMBER.match(value):
        return _epoch(float(value))
    try:
        return parsedate_to_datetime(value).date().isoformat(), None
    except (TypeError, ValueError, IndexError):
        pass
    parsed = _written_date(value.strip())
    if parsed is None:
        return None, "is not a date with a day, month and year (relative dates are not read)"
    return parsed.isoformat(), None


def _epoch(value: float) -> tuple[str | None, str | None]:
    if _EPOCH_MILLISECONDS[0] <= value < _EPOCH_MILLISECONDS[1]:
        value /= 1000
    if not _EPOCH_SECONDS[0] <= value < _EPOCH_SECONDS[1]:
        return None, "is a number, not an epoch timestamp in seconds or milliseconds"
    moment = datetime.fromtimestamp(value, tz=UTC)
    return moment.date().isoformat(), None


#: Longer "dates" are text, not a date field (dateparser would search them slowly).
_MAX_DATE_CHARS = 80


@lru_cache(maxsize=4096)
def _written_date(value: str) -> date | None:
    if len(value) > _MAX_DATE_CHARS:
        return None
    data = _date_parser().get_date_data(value)
    return data.date_obj.date() if data.date_obj is not None else None


@lru_cache(maxsize=1)
def _date_parser() -> Any:
    # Imported on first use: plain ISO dates (nearly all feeds) never pay for dateparser.
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=list(DATE_LANGUAGES),
        try_previous_locales=False,
        settings={
            "DATE_ORDER": NUMERIC_DATE_ORDER,
            "PARSERS": ["absolute-time"],  # no "relative-time", no bare "timestamp"
            "REQUIRE_PARTS": ["day", "month", "year"],
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
