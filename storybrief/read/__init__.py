"""Readers: every input format to ``Document`` objects, bad input to ``ReadError``s.

Reading one source goes:

1. open it (a path, or ``-`` for stdin, spooled to a temporary file so it can be sniffed);
2. decide the format: the caller's ``fmt``, else the file name, else the first bytes;
3. streams holding many documents (JSONL, WARC) are read record by record, so a bad record
   costs only itself and a damaged archive keeps what was read before the damage;
   ``iter_source`` hands them on one at a time (a 2 GB JSONL file is never held in memory),
   ``read_source`` collects them; ``read_part`` reads one part of a large JSONL or WARC
   file (``parts.py``), as a Dask worker does;
4. single documents (text, HTML) are size-checked before reading, read with a bound,
   decompressed if gzipped, decoded (``decode.py``) and built (``document.py``, ``html.py``).

Nothing here raises for bad content or unreadable files: a reader raises ``ReadFailure``
with a one-line reason and this module turns it into ``ReadError(source, reason)``.
"""

from __future__ import annotations

import gzip
import io
import logging
import os
import shutil
import stat
import sys
import tempfile
import zlib
from collections.abc import Iterator, Sequence
from typing import IO, BinaryIO, cast

from storybrief.model import Document, ReadError
from storybrief.read.decode import decode_bytes
from storybrief.read.document import text_document
from storybrief.read.html import html_document
from storybrief.read.jsonl import iter_jsonl
from storybrief.read.limits import (
    MAX_DOCUMENT_CHARS,
    MAX_INPUT_BYTES,
    SNIFF_BYTES,
    ReadFailure,
    too_large,
)
from storybrief.read.parts import Part, PartStream
from storybrief.read.sniff import FORMATS, GZIP_MAGIC, Format, format_from_name, sniff_content

__all__ = [
    "FORMATS",
    "MAX_DOCUMENT_CHARS",
    "MAX_INPUT_BYTES",
    "discover",
    "display_path",
    "iter_source",
    "read_bytes",
    "read_part",
    "read_source",
]

LOGGER = logging.getLogger(__name__)

#: The source name meaning standard input (also the ``path`` of documents read from it).
STDIN = "-"

Result = tuple[list[Document], list[ReadError]]
#: What reading yields, one at a time: a document, or the reason a record or file was not read.
Item = Document | ReadError


def discover(paths: Sequence[str]) -> tuple[list[str], list[ReadError]]:
    """Expand directories recursively (sorted, skip hidden files/dirs), keep files and '-'
    (stdin) as given; a missing path is a ReadError ('no such file or directory').

    Inside directories only regular files are taken (a FIFO or device found while walking
    would block or never end). A path named twice is read once.
    """
    found: list[str] = []
    errors: list[ReadError] = []
    for path in paths:
        if path == STDIN:
            found.append(path)
        elif os.path.isdir(path):
            found.extend(_walk(path, errors))
        elif os.path.lexists(path):
            found.append(path)  # a broken symlink is reported when it is read
        else:
            errors.append(ReadError(display_path(path), "no such file or directory"))
    seen: set[str] = set()
    unique = []
    for path in found:
        key = path if path == STDIN else os.path.normpath(path)
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique, errors


def _walk(root: str, errors: list[ReadError]) -> list[str]:
    """Regular files under ``root``, following symlinked directories once each (a link back
    to a directory already walked, a loop, is pruned). A directory that yields no file is
    an error saying why (empty, or only hidden/other entries), so nothing is skipped silently.
    """

    def report(exc: OSError) -> None:
        errors.append(ReadError(display_path(exc.filename or root), _os_reason(exc)))

    files = []
    seen: set[tuple[int, int]] = set()
    hidden = others = 0
    for folder, dirs, names in os.walk(root, onerror=report, followlinks=True):
        try:
            info = os.stat(folder)
        except OSError:
            continue
        if (info.st_dev, info.st_ino) in seen:
            dirs[:] = []  # a symlink loop or a second link to the same directory
            continue
        seen.add((info.st_dev, info.st_ino))
        hidden += sum(1 for d in dirs if d.startswith("."))
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            full = os.path.join(folder, name)
            if name.startswith("."):
                hidden += 1
            elif os.path.isfile(full):
                files.append(full)
            else:
                others += 1
    if not files:
        errors.append(ReadError(display_path(root), _empty_reason(hidden, others)))
    return sorted(files)


def _empty_reason(hidden: int, others: int) -> str:
    if not hidden and not others:
        return "empty directory, nothing to read"
    skipped = []
    if hidden:
        skipped.append(f"{hidden} hidden {'entry' if hidden == 1 else 'entries'}")
    if others:
        skipped.append(f"{others} not a regular file")
    return f"directory has no file to read (skipped: {', '.join(skipped)})"


def display_path(path: str) -> str:
    """``path`` fit for UTF-8 output: bytes of a file name that is not UTF-8 (which Python
    keeps as lone surrogates, e.g. ``caf\\udce9.txt``) are written as ``\\xe9``."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "backslashreplace")
    return path


def read_source(
    source: str, stdin: BinaryIO | None = None, location: str | None = None
) -> Result:
    """Read one discovered source (a file path or '-'); one file may hold many documents
    (JSONL, WARC). Never raises for bad content or unreadable files.

    Documents and errors name the source by ``display_path`` (always valid UTF-8). The file
    is opened at ``location`` when given (the same file seen from another directory, as a
    Dask worker sees it), still named ``source``."""
    return _collect(iter_source(source, stdin, location))


def iter_source(
    source: str, stdin: BinaryIO | None = None, location: str | None = None
) -> Iterator[Item]:
    """``read_source`` one document (or error) at a time, in the source's order: a JSONL or
    WARC file is streamed record by record, never held in memory as a whole."""
    return _shown(source, _iter_source(source, stdin, location))


def read_part(source: str, part: Part, location: str | None = None) -> Result:
    """Read one part of a large JSONL or WARC file (``read.parts``), named as in the whole
    file; never raises, like ``read_source``."""
    return _collect(_shown(source, _iter_part(source, part, location)))


def _iter_part(source: str, part: Part, location: str | None) -> Iterator[Item]:
    try:
        handle = open(location or source, "rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        yield ReadError(source, _os_reason(exc))
        return
    with handle:
        stream = io.BufferedReader(PartStream(handle, part.start, part.end))
        if part.format == "jsonl":
            items = iter_jsonl(stream, source, part.before, whole=False)
        else:
            from storybrief.read.warc import iter_warc_part  # warcio: only for archives

            items = iter_warc_part(stream, source, part.start, part.before)
        yield from _guarded_items(items, source)


def _shown(source: str, items: Iterator[Item]) -> Iterator[Item]:
    """``items`` naming their source by ``display_path``."""
    shown = display_path(source)
    for item in items:
        if shown != source:
            if isinstance(item, ReadError):
                item = ReadError(shown, item.reason)
            else:
                item.path = shown
        yield item


def _collect(items: Iterator[Item]) -> Result:
    docs: list[Document] = []
    errors: list[ReadError] = []
    for item in items:
        if isinstance(item, ReadError):
            errors.append(item)
        else:
            docs.append(item)
    return docs, errors


def _iter_source(source: str, stdin: BinaryIO | None, location: str | None) -> Iterator[Item]:
    if source == STDIN:
        stream = stdin if stdin is not None else sys.stdin.buffer
        yield from _spooled(stream, source)
        return
    try:
        handle = open(location or source, "rb")  # noqa: SIM115 - closed after the last record
    except OSError as exc:
        yield ReadError(source, _os_reason(exc))
        return
    with handle:
        try:
            mode = os.fstat(handle.fileno()).st_mode
        except OSError as exc:
            yield ReadError(source, _os_reason(exc))
            return
        if stat.S_ISREG(mode):
            yield from _guarded(handle, source, None, os.fstat(handle.fileno()).st_size)
        elif stat.S_ISFIFO(mode):
            yield from _spooled(handle, source)
        else:
            yield ReadError(source, "not a regular file")


def _spooled(stream: IO[bytes], source: str) -> Iterator[Item]:
    """A stream that cannot be sniffed and rewound (stdin, a FIFO), copied to a temporary
    file first (kept in memory up to ``MAX_INPUT_BYTES``, on disk beyond)."""
    with tempfile.SpooledTemporaryFile(max_size=MAX_INPUT_BYTES) as spool:
        try:
            shutil.copyfileobj(stream, spool)
        except OSError as exc:
            yield ReadError(source, _os_reason(exc))
            return
        size = spool.tell()
        spool.seek(0)
        yield from _guarded(cast(IO[bytes], spool), source, None, size)


def read_bytes(data: bytes, source: str, fmt: str | None = None) -> Result:
    """Same from bytes in memory (fmt: 'text'|'html'|'jsonl'|'warc'; None = sniff from
    name/content)."""
    if fmt is not None and fmt not in FORMATS:
        return [], [ReadError(source, f"unknown format {fmt!r} (expected one of {FORMATS})")]
    return _collect(_guarded(io.BytesIO(data), source, cast("Format | None", fmt), len(data)))


def _guarded(stream: IO[bytes], source: str, fmt: Format | None, size: int) -> Iterator[Item]:
    """The promise that reading never raises: anything unforeseen becomes a ReadError (what
    was read before it is kept)."""
    return _guarded_items(_read_stream(stream, source, fmt, size), source)


def _guarded_items(items: Iterator[Item], source: str) -> Iterator[Item]:
    try:
        yield from items
    except ReadFailure as failure:
        yield ReadError(source, failure.reason)
    except OSError as exc:
        yield ReadError(source, _os_reason(exc))
    except Exception as exc:  # noqa: BLE001 - last line of defence, logged for debugging
        LOGGER.debug("unexpected failure reading %s", source, exc_info=True)
        yield ReadError(source, f"unexpected {type(exc).__name__}: {exc}"[:200])


def _read_stream(stream: IO[bytes], source: str, fmt: Format | None, size: int) -> Iterator[Item]:
    """Read ``stream`` (seekable); documents get ``path=source`` ("-" for stdin)."""
    head = stream.read(SNIFF_BYTES)
    stream.seek(0)
    if not head:
        raise ReadFailure("empty file")
    compressed = head.startswith(GZIP_MAGIC)
    inner_head = _gunzip_head(head) if compressed else head
    fmt = fmt or format_from_name(source) or sniff_content(inner_head)
    if fmt == "warc":
        from storybrief.read.warc import iter_warc  # warcio (~0.06 s): only for archives

        yield from iter_warc(stream, source)  # warcio undoes per-record gzip itself
        return
    if fmt == "jsonl":
        lines = gzip.GzipFile(fileobj=stream, mode="rb") if compressed else stream
        yield from iter_jsonl(lines, source)
        return
    if compressed:
        data = _gunzip_bounded(stream)
    elif size > MAX_INPUT_BYTES:
        raise too_large(size, MAX_INPUT_BYTES)  # refused before reading a byte of it
    else:
        data = stream.read(MAX_INPUT_BYTES + 1)
    text = decode_bytes(data)
    yield html_document(text, source) if fmt == "html" else text_document(text, source)


def _gunzip_head(head: bytes) -> bytes:
    """The first decompressed bytes, for sniffing; damage is dealt with when reading."""
    try:
        return zlib.decompressobj(wbits=31).decompress(head, SNIFF_BYTES)
    except zlib.error:
        return b""


def _gunzip_bounded(stream: IO[bytes]) -> bytes:
    """Decompress one gzipped document, refusing more than MAX_INPUT_BYTES (gzip bombs).

    A truncated or corrupt archive gives an error and no document: a single page cut short
    would pass for the whole page (a missing ending, missing comments), which is worse than
    reporting it. (JSONL and WARC keep the complete records before the damage instead.)
    """
    try:
        with gzip.GzipFile(fileobj=stream, mode="rb") as unzipped:
            data = unzipped.read(MAX_INPUT_BYTES + 1)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise ReadFailure(f"truncated or corrupt gzip data ({exc})") from None
    if len(data) > MAX_INPUT_BYTES:
        raise ReadFailure(
            f"too large: over {MAX_INPUT_BYTES:,} bytes once decompressed "
            f"(limit {MAX_INPUT_BYTES:,} bytes)"
        )
    return data


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, IsADirectoryError):
        return "is a directory, expected a file"
    return f"cannot read: {exc.strerror or exc}"
