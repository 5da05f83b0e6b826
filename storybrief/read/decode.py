"""Bytes to text: encoding detection, binary detection and newline normalisation.

Why not just ``charset_normalizer.from_bytes(...).best()``: it is slow on large inputs, it
calls UTF-8 with one stray byte "cp1250" (turning every accent into mojibake), and it has no
notion of a charset the page itself declares. So the order is: byte-order mark, strict UTF-8,
"almost UTF-8", the declared charset, and only then charset-normalizer's statistical guess.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

from storybrief.read.limits import SNIFF_BYTES, ReadFailure

BINARY_REASON = "binary content, not text"

#: Byte-order marks, longest first (the UTF-32-LE mark starts with the UTF-16-LE one).
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: Signatures of common non-text files that may end up in a crawl directory.
_MAGIC: tuple[bytes, ...] = (
    b"\x89PNG\r\n\x1a\n",  # PNG
    b"\x7fELF",  # executables
    b"GIF87a",
    b"GIF89a",
    b"\xff\xd8\xff",  # JPEG
    b"%PDF-",
    b"PK\x03\x04",  # zip, docx, epub
    b"\x00\x00\x01\x00",  # .ico
    b"\xfd7zXZ\x00",  # xz
    b"\x28\xb5\x2f\xfd",  # zstd
    b"SQLite format 3\x00",
)

#: Share of NUL bytes in the sniffed head above which content without a BOM is binary unless
#: it decodes as UTF-16/32 (where every other byte of Latin text is NUL). Text files contain
#: no NULs at all; 1% tolerates a few stray ones from broken exports.
MAX_NUL_SHARE = 0.01

#: "Almost UTF-8": invalid bytes are at most this share of the well-formed non-ASCII
#: characters. Real UTF-8 with a few stray bytes passes (even a short text with 3 accented
#: letters and 2 bad bytes); in cp1251 and latin-1 text almost every non-ASCII byte is invalid
#: UTF-8 and well-formed multi-byte sequences occur only by accident ("Ã©"), so it stays far
#: above 1. Checked on cp1251/koi8-r/cp1252 news sentences and on UTF-8 ones with injected
#: bytes (tests/test_read.py).
MAX_INVALID_UTF8_SHARE = 1.0

#: Share of unprintable characters tolerated when trying a wide encoding on NUL-rich bytes.
#: Real text has almost none (form feeds, a stray control byte); binary data decoded as
#: UTF-16 is full of NULs and control characters.
MAX_UNPRINTABLE_SHARE = 0.02
#: Share of ASCII letters among all letters from which a text counts as Latin script for
#: ``_prefer_cp1252``: English, French or German text has 90-99%; Russian or Greek ~0%.
#: Polish is ~93%, which is why that test also compares letter counts.
MIN_LATIN_SHARE = 0.8
_WIDE_ENCODINGS = ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")

_DECLARED = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)""",
    re.IGNORECASE,
)
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029]")


def normalise_newlines(text: str) -> str:
    """CRLF, CR and Unicode line/paragraph separators become "\\n"; NULs are dropped.

    As ``_NEWLINES.sub("\\n", text)`` (a CRLF pair is one newline, any other CR one), by
    string replacement: the expression's scan of a whole page cost more than decoding it."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    for separator in "\u2028\u2029":
        if separator in text:
            text = text.replace(separator, "\n")
    return text.replace("\x00", "") if "\x00" in text else text


def declared_charset(head: bytes) -> str | None:
    """The charset an HTML/XML head declares (``<meta charset>``, ``<?xml encoding>``)."""
    match = _DECLARED.search(head[:SNIFF_BYTES])
    if not match:
        return None
    name = (match.group(1) or match.group(2)).decode("ascii", "replace")
    return known_codec(name)


def known_codec(name: str | None) -> str | None:
    """Python's name for an encoding label, or ``None`` for an unknown label."""
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode ``data`` to text with newlines normalised; raise ReadFailure for non-text.

    ``declared`` is a charset stated outside the bytes (an HTTP header); a charset declared
    inside an HTML head is found here. Invalid sequences never raise: they become U+FFFD.
    """
    if not data.strip():
        raise ReadFailure("empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return normalise_newlines(data[len(bom) :].decode(encoding, "replace"))
    head = data[:SNIFF_BYTES]
    if head.startswith(_MAGIC):
        raise ReadFailure(BINARY_REASON)
    if head.count(0) > MAX_NUL_SHARE * len(head):
        return normalise_newlines(_decode_wide_or_fail(data))
    try:
        return normalise_newlines(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    lenient = data.decode("utf-8", "replace")
    invalid = lenient.count("\ufffd")
    wellformed = len(lenient) - len(lenient.encode("ascii", "ignore")) - invalid
    if wellformed and invalid <= MAX_INVALID_UTF8_SHARE * wellformed:
        return normalise_newlines(lenient)
    for stated in (known_codec(declared), declared_charset(head)):
        if stated and not stated.startswith("utf"):
            try:
                return normalise_newlines(data.decode(stated))
            except UnicodeDecodeError:
                continue
    return normalise_newlines(_guess(data))


def _decode_wide_or_fail(data: bytes) -> str:
    """NUL-rich content: UTF-16/32 without a byte-order mark, or binary.

    charset-normalizer calls BOM-less UTF-16 English text binary, so the four wide encodings
    are tried directly: one that decodes the head strictly into printable text wins.
    """
    head = data[:SNIFF_BYTES]
    for encoding in _WIDE_ENCODINGS:
        try:
            sample = head[: len(head) - len(head) % 4].decode(encoding)
        except UnicodeDecodeError:
            continue
        unprintable = sum(1 for ch in sample if not ch.isprintable() and ch not in "\n\r\t")
        if sample and unprintable <= MAX_UNPRINTABLE_SHARE * len(sample):
            return data.decode(encoding, "replace")
    raise ReadFailure(BINARY_REASON)


def _guess(data: bytes) -> str:
    """charset-normalizer's best guess; binary if it finds no plausible decoding.

    For Latin-script text the guess is checked against cp1252 (see ``_prefer_cp1252``)."""
    match = charset_normalizer.from_bytes(data).best()
    if match is not None:
        guessed = data.decode(match.encoding, "replace")
        return _prefer_cp1252(data, guessed)
    if charset_normalizer.is_binary(data[:SNIFF_BYTES]):
        raise ReadFailure(BINARY_REASON)
    return data.decode("utf-8", "replace")


def _letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())


def _prefer_cp1252(data: bytes, guessed: str) -> str:
    """cp1252 instead of the statistical guess when the text is Latin script and cp1252 reads
    it with at least as many letters.

    charset-normalizer picks cp1250 (or cp1257) for short English cp1252 text, so curly
    quotes survive but "¢" becomes "˘" and accents turn into other letters. cp1252 is the
    commonest legacy encoding of Latin text on the web; a text that really is cp1250
    (Polish "ł", "ą", "ż") decodes to symbols ("³", "¹", "¿") in cp1252, has fewer letters
    and keeps its guess; Cyrillic or Greek text fails the Latin-share test.
    """
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        return guessed
    letters = _letters(guessed)
    ascii_letters = sum(1 for ch in guessed if ch.isascii() and ch.isalpha())
    if letters and ascii_letters >= MIN_LATIN_SHARE * letters and _letters(western) >= letters:
        return western
    return guessed
