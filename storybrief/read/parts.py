"""Splitting a large JSONL or WARC file into parts of records that can be read apart.

``plan_parts(source, records)`` looks at one discovered file and, when it is a plain JSON
Lines file or a WARC gzipped per record (CC-NEWS style) holding more than ``records``
records, returns the ``Part``s that cover it: each starts at a record boundary (a line start,
a gzip member), knows its byte range, and how many lines or records come before it, so
reading a part (``read.read_part``) names documents and errors exactly as reading the whole
file does (``path:lineno`` ids, "line N", "record at byte N", "after N records"). The checks
that need the whole file ("no records, only blank lines", "no HTML response records") are
left to the caller, who sees every part's result (``nothing_read``).

Anything else (small files, gzipped JSONL, a WARC gzipped as a whole, text, HTML, stdin, a
file that cannot be opened) gets ``None``: it is read whole, as ``read_source`` does.
"""

from __future__ import annotations

import io
import os
import stat
from dataclasses import dataclass
from typing import IO, Literal

from storybrief.model import ReadError
from storybrief.read.limits import SNIFF_BYTES
from storybrief.read.sniff import GZIP_MAGIC, format_from_name, sniff_content

__all__ = ["Part", "PartStream", "plan_parts", "nothing_read"]

#: Bytes read at a time while counting lines.
_BLOCK = 1 << 20


@dataclass(frozen=True)
class Part:
    """Records ``[start, end)`` (bytes; ``end=None``: to the end of the file) of a file."""

    format: Literal["jsonl", "warc"]
    start: int
    end: int | None
    #: Lines (JSONL) or records (WARC) of the file before this part.
    before: int


def plan_parts(source: str, records: int) -> list[Part] | None:
    """The parts of ``source`` of about ``records`` records each, or ``None`` to read it whole."""
    try:
        with open(source, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return None
            head = handle.read(SNIFF_BYTES)
            if not head:
                return None
            handle.seek(0)
            compressed = head.startswith(GZIP_MAGIC)
            fmt = format_from_name(source) or (None if compressed else sniff_content(head))
            parts: list[Part] | None
            if fmt == "jsonl" and not compressed:
                parts = _jsonl_parts(handle, records)
            elif fmt == "warc":
                parts = _warc_parts(handle, records)
            else:
                return None
    except OSError:
        return None  # reading it whole reports the error once
    return parts if parts and len(parts) > 1 else None


def _jsonl_parts(handle: IO[bytes], every: int) -> list[Part]:
    """Parts starting every ``every`` lines (a line is what ``readline`` gives: up to b"\\n")."""
    starts = [(0, 0)]
    lines = position = 0
    while block := handle.read(_BLOCK):
        count = block.count(b"\n")
        if (lines % every) + count < every:
            lines += count
        else:
            index = -1
            for _ in range(count):
                index = block.index(b"\n", index + 1)
                lines += 1
                if lines % every == 0:
                    starts.append((position + index + 1, lines))
        position += len(block)
    starts = [(offset, before) for offset, before in starts if offset < position]
    return _parts("jsonl", starts)


def _warc_parts(handle: IO[bytes], every: int) -> list[Part] | None:
    from storybrief.read.warc import record_offsets

    offsets = record_offsets(handle)
    if offsets is None:
        return None  # one gzip member for the whole archive: it cannot be entered mid-way
    return _parts("warc", [(offsets[i], i) for i in range(0, len(offsets), every)])


def _parts(fmt: Literal["jsonl", "warc"], starts: list[tuple[int, int]]) -> list[Part]:
    if not starts:
        return []
    ends: list[int | None] = [offset for offset, _ in starts[1:]]
    ends.append(None)
    return [
        Part(fmt, start, end, before) for (start, before), end in zip(starts, ends, strict=True)
    ]


class PartStream(io.RawIOBase):
    """The bytes ``[start, end)`` of an open file, as a stream of their own."""

    def __init__(self, handle: IO[bytes], start: int, end: int | None) -> None:
        super().__init__()
        handle.seek(start)
        self._handle = handle
        self._left = None if end is None else end - start

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        size = len(buffer) if self._left is None else min(len(buffer), self._left)
        data = self._handle.read(size)
        buffer[: len(data)] = data
        if self._left is not None:
            self._left -= len(data)
        return len(data)


def nothing_read(source: str, part: Part) -> ReadError:
    """The error reading the whole file gives when none of its parts held a document or an
    error (the caller, who sees every part's result, decides that)."""
    from storybrief.read import display_path

    if part.format == "jsonl":
        return ReadError(display_path(source), "no records, only blank lines")
    return ReadError(display_path(source), "no HTML response records in the WARC")
