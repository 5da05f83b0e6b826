"""WARC archives as Common Crawl's CC-NEWS ships them (gzip per record), via warcio.

Only HTTP ``response`` records with a 2xx status and an HTML content type become documents;
requests, metadata, redirects and images are skipped silently. The url comes from
``WARC-Target-URI``; the crawl date (``WARC-Date``) is used only when the page states none.

Damage: warcio stops with an exception on garbage, but a truncated archive just ends, handing
back a short last record. A record is therefore checked against its declared length, and a
short one is reported instead of being extracted as if it were the whole page. Records read
before the damage are kept. Records are streamed one at a time: an archive is never held in
memory.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from typing import IO, Any, cast

from warcio.archiveiterator import WARCIterator
from warcio.exceptions import ArchiveLoadFailed

from storybrief.model import Document, ReadError
from storybrief.read.decode import decode_bytes, known_codec
from storybrief.read.document import iso_date
from storybrief.read.html import html_document
from storybrief.read.jsonl import STREAM_ERRORS
from storybrief.read.limits import MAX_INPUT_BYTES, SKIP_CHUNK_BYTES, ReadFailure, too_large

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", re.IGNORECASE)
_UNPRINTABLE = re.compile(r"[^\x20-\x7e]+")
#: What warcio says when a gzip member holds more than one record (a whole-file gzip).
_NON_CHUNKED = "non-chunked gzip file detected"


class _QuietWARCIterator(WARCIterator):
    """warcio, minus its stderr warning for a bad Content-Length (we detect that ourselves),
    plus a note of whether the last gzip member ended properly (warcio does not tell)."""

    INC_RECORD = ""
    unfinished_gzip = False

    def close(self) -> None:
        decompressor = self.reader.decompressor if self.reader else None
        self.unfinished_gzip = decompressor is not None and not decompressor.eof
        super().close()


class _Truncated(ReadFailure):
    """A record shorter than its declared length: the archive was cut off."""


def iter_warc(stream: IO[bytes], path: str) -> Iterator[Document | ReadError]:
    """The HTML responses of a WARC (plain, gzipped per record, or gzipped as a whole), in
    order: each a document, or a ReadError naming the record.

    A whole-file gzip (``gzip -c crawl.warc > crawl.warc.gz``) is one gzip member holding
    every record; warcio refuses it when it reaches the second record, so what the first
    record gave is held back until the second one starts, and such a stream is read again
    from the start through a decompressing wrapper (records still read with their size bounds).
    """
    held: list[Document | ReadError] = []
    try:
        for seen, item in _records(stream, path):
            if seen <= 1:
                held.append(item)
                continue
            yield from held
            held = []
            yield item
    except _WholeFileGzip:
        stream.seek(0)
        unzipped = cast(IO[bytes], gzip.GzipFile(fileobj=stream, mode="rb"))
        yield from (item for _, item in _records(unzipped, path))
        return
    yield from held


class _WholeFileGzip(Exception):
    """The archive is one gzip member, not gzip per record."""


def iter_warc_part(
    stream: IO[bytes], path: str, base: int, records_before: int
) -> Iterator[Document | ReadError]:
    """``iter_warc`` of a part of a WARC gzipped per record (``read.parts``): ``stream`` starts
    at byte ``base`` of the file, after ``records_before`` records, so offsets and counts in
    errors are the file's; the "no HTML responses" check is left to whoever reads the whole
    file."""
    for _, item in _records(stream, path, base, records_before, whole=False):
        yield item


def _records(
    stream: IO[bytes], path: str, base: int = 0, records_before: int = 0, whole: bool = True
) -> Iterator[tuple[int, Document | ReadError]]:
    """``(records seen so far, document or error)`` for each HTML response or bad record."""
    produced = 0
    seen = records_before
    truncated = False
    try:
        iterator = _QuietWARCIterator(stream)
        for record in iterator:
            seen += 1
            # iterator.offset is where this record starts (get_record_offset() would skip
            # the record's content to find its end, so it must not be called before reading)
            where = f"record at byte {base + iterator.offset}"
            url = record.rec_headers.get_header("WARC-Target-URI")
            if url:
                where += f" ({url})"
            try:
                if not _is_html_response(record):
                    _drain(record)
                    _check_complete(record)
                    continue
                item: Document | ReadError = _record_document(record, path, url)
            except ReadFailure as failure:
                truncated = truncated or isinstance(failure, _Truncated)
                item = ReadError(path, f"{where}: {failure.reason}")
            produced += 1
            yield seen, item
        if iterator.unfinished_gzip and not truncated:
            produced += 1
            yield seen, ReadError(path, f"truncated gzip data after {_records_count(seen)}")
    except (ArchiveLoadFailed, *STREAM_ERRORS) as exc:
        if _NON_CHUNKED in str(exc) and whole and not isinstance(stream, gzip.GzipFile):
            raise _WholeFileGzip from None
        detail = _short(_UNPRINTABLE.sub(" ", str(exc)))
        where = "not a WARC archive" if seen == 0 else f"corrupt WARC data after {_records_count(seen)}"
        produced += 1
        yield seen, ReadError(path, f"{where}: {detail}")
    if whole and not produced:
        yield seen, ReadError(path, "no HTML response records in the WARC")


def _is_html_response(record: Any) -> bool:
    if record.rec_type != "response" or record.http_headers is None:
        return False
    if not str(record.http_headers.get_statuscode() or "").startswith("2"):
        return False
    content_type = (record.http_headers.get_header("Content-Type") or "").lower()
    return content_type.startswith(_HTML_TYPES)


def _record_document(record: Any, path: str, url: str | None) -> Document:
    payload = record.content_stream().read(MAX_INPUT_BYTES + 1)
    too_long = len(payload) > MAX_INPUT_BYTES
    size = len(payload) + _drain(record)
    _check_complete(record)
    if too_long:
        raise too_large(size, MAX_INPUT_BYTES)
    content_type = record.http_headers.get_header("Content-Type") or ""
    charset = _CHARSET.search(content_type)
    text = decode_bytes(payload, known_codec(charset.group(1)) if charset else None)
    crawl_date = iso_date(record.rec_headers.get_header("WARC-Date"))
    return html_document(text, path, url=url, fmt="warc", default_published=crawl_date)


def _check_complete(record: Any) -> None:
    """A fully read record has nothing left of its declared Content-Length."""
    missing = getattr(record.raw_stream, "limit", 0)
    if missing:
        raise _Truncated(f"truncated record: {missing:,} bytes missing at the end of the archive")


def _drain(record: Any) -> int:
    """Read what is left of the record (bounded chunks) so its true length can be checked."""
    drained = 0
    while True:
        chunk = record.raw_stream.read(SKIP_CHUNK_BYTES)
        if not chunk:
            return drained
        drained += len(chunk)


def _short(text: str, limit: int = 80) -> str:
    """``text`` on one line, cut at a word boundary (never mid-word) to about ``limit``."""
    words = " ".join(text.split())
    if len(words) <= limit:
        return words
    return words[:limit].rsplit(" ", 1)[0] + " …"


def _records_count(count: int) -> str:
    return f"{count} record" if count == 1 else f"{count} records"


def record_offsets(stream: IO[bytes]) -> list[int] | None:
    """Where each record of a WARC starts (up to any damage, which reading reports), for
    ``read.parts``; ``None`` for a WARC gzipped as one member (it cannot be entered mid-way)."""
    offsets: list[int] = []
    try:
        iterator = _QuietWARCIterator(stream)
        for _ in iterator:
            offsets.append(iterator.offset)
    except (ArchiveLoadFailed, *STREAM_ERRORS) as exc:
        if _NON_CHUNKED in str(exc):
            return None
    return offsets
