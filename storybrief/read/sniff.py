"""Which reader a source needs: from its name first, from its first bytes otherwise."""

from __future__ import annotations

import json
import re
from typing import Literal

Format = Literal["text", "html", "jsonl", "warc"]
FORMATS: tuple[Format, ...] = ("text", "html", "jsonl", "warc")

GZIP_MAGIC = b"\x1f\x8b"

_EXTENSIONS: dict[str, Format] = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".shtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".jsonlines": "jsonl",
    ".warc": "warc",
    ".arc": "warc",
}

_HTML_START = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b",
    re.IGNORECASE | re.DOTALL,
)
_HTML_ANYWHERE = re.compile(rb"<(?:html|body|article|div|p)\b[^>]*>", re.IGNORECASE)


def is_gzip_name(name: str) -> bool:
    return name.lower().endswith((".gz", ".gzip"))


def format_from_name(name: str) -> Format | None:
    """The format a file name promises (``page.html.gz`` -> html), or None if it says nothing."""
    lower = name.lower()
    for suffix in (".gz", ".gzip"):
        if lower.endswith(suffix):
            lower = lower[: -len(suffix)]
    dot = lower.rfind(".")
    if dot < 0 or "/" in lower[dot:] or "\\" in lower[dot:]:
        return None
    return _EXTENSIONS.get(lower[dot:])


def sniff_content(head: bytes) -> Format:
    """Guess the format of (decompressed) content from its first bytes."""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith((b"WARC/", b"filedesc://")):
        return "warc"
    if _HTML_START.match(stripped) or (
        stripped.startswith(b"<") and _HTML_ANYWHERE.search(stripped[:4096])
    ):
        return "html"
    if stripped.startswith(b"{") and _looks_like_jsonl(stripped):
        return "jsonl"
    return "text"


def _looks_like_jsonl(head: bytes) -> bool:
    """The first line is a JSON object with a ``text`` or ``html`` field."""
    first, newline, _ = head.partition(b"\n")
    if not newline:  # first line longer than the sniffed head: judge by its keys
        return re.search(rb'"(?:text|html)"\s*:', first) is not None
    try:
        record = json.loads(first)
    except ValueError:
        return False
    return isinstance(record, dict) and ("text" in record or "html" in record)
