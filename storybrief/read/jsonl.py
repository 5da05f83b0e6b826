"""JSON Lines: one page per line, ``{"text" | "html", "url", "title", "published", "source"}``.

Records are independent, so a bad record costs only itself: it becomes a ReadError naming
the file and line number and the rest still load. Records are streamed one at a time (a
2 GB file is never held in memory), and lines are read with a length bound, so a runaway
line is skipped without being held in memory either.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from typing import Any, Protocol

from storybrief.model import Document, ReadError, ReadWarning
from storybrief.read.document import one_line, published_date, text_document
from storybrief.read.html import html_document
from storybrief.read.limits import MAX_INPUT_BYTES, SKIP_CHUNK_BYTES, ReadFailure, too_large

#: Record keys read as metadata, with the aliases other exporters use for them.
_META_KEYS: dict[str, tuple[str, ...]] = {
    "url": ("url", "link"),
    "title": ("title",),
    "published": ("published", "date", "published_at", "publish_date", "pubdate", "datePublished"),
    "author": ("author",),
    "site": ("source", "site", "sitename"),
}

#: A warning shows at most this much of the value it could not read.
_SHOWN_CHARS = 60

#: Errors a compressed stream raises when the archive is truncated or corrupt.
STREAM_ERRORS = (EOFError, zlib.error, OSError)


class LineStream(Protocol):
    """What is needed of a stream: bounded ``readline`` (files and ``gzip.GzipFile`` both)."""

    def readline(self, size: int, /) -> bytes: ...


def iter_jsonl(
    stream: LineStream, path: str, lines_before: int = 0, whole: bool = True
) -> Iterator[Document | ReadError]:
    """Each record of a JSON Lines stream (plain or gzip-decompressing), in order: its
    document, or a ReadError naming the line.

    A part of a file (``read.parts``) starts after ``lines_before`` lines, so its records keep
    the file's line numbers (in ids and errors); ``whole=False`` leaves the "nothing in it"
    check to whoever reads the whole file."""
    lineno = lines_before
    produced = 0
    try:
        while True:
            line = stream.readline(MAX_INPUT_BYTES + 1)
            if not line:
                break
            lineno += 1
            if len(line) > MAX_INPUT_BYTES:
                size = len(line) + _skip_rest_of_line(stream)
                produced += 1
                yield ReadError(path, f"line {lineno}: {too_large(size, MAX_INPUT_BYTES).reason}")
                continue
            if not line.strip():
                continue
            produced += 1
            try:
                item: Document | ReadError = _record_document(line, path, lineno)
            except ReadFailure as failure:
                item = ReadError(path, f"line {lineno}: {failure.reason}")
            yield item
    except STREAM_ERRORS as exc:
        # Records read before the damage are kept (each is complete); the partial last
        # line is not, since its JSON would not parse anyway.
        produced += 1
        yield ReadError(path, f"corrupt or truncated data after line {lineno}: {exc}")
    if whole and not produced:
        yield ReadError(path, "empty file" if lineno == 0 else "no records, only blank lines")


def _skip_rest_of_line(stream: LineStream) -> int:
    """Consume the rest of an over-long line in bounded chunks; return how many bytes."""
    skipped = 0
    while True:
        chunk = stream.readline(SKIP_CHUNK_BYTES)
        skipped += len(chunk)
        if not chunk or chunk.endswith(b"\n"):
            return skipped


def _record_document(line: bytes, path: str, lineno: int) -> Document:
    try:
        record: Any = json.loads(line.decode("utf-8-sig", "replace"))
    except json.JSONDecodeError as exc:
        message = exc.msg.removesuffix(" at")
        raise ReadFailure(f"not valid JSON ({message} at column {exc.colno})") from None
    if not isinstance(record, dict):
        raise ReadFailure(f"not a JSON object but {type(record).__name__}")
    meta = {key: _first_string(record, names) for key, names in _META_KEYS.items()}
    date_key, date_value = _first_date(record, _META_KEYS["published"])
    meta["published"], unread = published_date(date_value)
    meta["title"] = one_line(meta["title"])
    html, text = record.get("html"), record.get("text")
    for name, value in (("html", html), ("text", text)):
        if value is not None and not isinstance(value, str):
            raise ReadFailure(f"field '{name}' is {type(value).__name__}, not a string")
    if html is None and text is None:
        raise ReadFailure("record has neither a 'text' nor an 'html' field")
    if not (html or "").strip() and not (text or "").strip():
        given = " and ".join(f"'{name}'" for name, v in (("html", html), ("text", text)) if v is not None)
        raise ReadFailure(f"record's {given} {'is' if ' and ' not in given else 'are'} empty")
    doc = _document(html, text, path, lineno, meta)
    if unread:
        shown = repr(date_value)
        shown = shown if len(shown) <= _SHOWN_CHARS else shown[: _SHOWN_CHARS - 1] + "…"
        reason = f"line {lineno}: '{date_key}' {shown} {unread}; the record is undated"
        doc.warnings.append(ReadWarning(path, reason))
    return doc


def _document(
    html: str | None, text: str | None, path: str, lineno: int, meta: dict[str, str | None]
) -> Document:
    """Ids are made from ``path:line`` (unique per record); ``Document.path`` is the file."""
    id_path = f"{path}:{lineno}"
    doc: Document | None = None
    if html:
        # HTML first: it carries the structure (headings, comments) that plain text lost.
        try:
            doc = html_document(html, id_path, fmt="jsonl", meta=meta)
        except ReadFailure:
            if not text:
                raise
    if doc is None:
        assert text is not None
        doc = text_document(text, id_path, fmt="jsonl", meta=meta)
    doc.path = path
    return doc


def _first_date(record: dict[str, Any], names: tuple[str, ...]) -> tuple[str, object]:
    """The first date field given (a string, or a number for an epoch timestamp)."""
    for name in names:
        value = record.get(name)
        if value is not None and value != "" and not isinstance(value, bool):
            return name, value
    return names[0], None


def _first_string(record: dict[str, Any], names: tuple[str, ...]) -> str | None:
    for name in names:
        value = record.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None
