"""Reader comments that copy the article: find the article passage each one pastes.

Commenters often paste a sentence of the article they answer, in quotation marks or not,
with their own words around it. Downstream stages must not count such a paste as an
independent voice (it is the article's text, not the reader's reaction) and a summary of
reader reaction should show what was quoted. For every comment block this module records
``Block.quotes_span``: the exact offsets in ``Document.text`` of the article passage it
copies, or ``None``.

Matching works on words (case, Unicode forms and punctuation ignored) so that a paste that
changed quote styles or capitalisation still matches; the longest run of consecutive words
shared with one reporting block is the copied passage. ``difflib.SequenceMatcher`` finds that
run exactly, in time linear in practice for texts this size. The span is then widened over
punctuation the comment copied too (the opening quotation mark, a final "?”") so it covers
what was pasted, never a partial word.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from typing import NamedTuple

from storybrief.model import REPORTING_LABELS, Block, Document

__all__ = ["MIN_QUOTED_WORDS", "find_quoted_span", "mark_quoted_comments"]

#: Shortest run of consecutive article words that counts as a copy (a contraction such as
#: "don't" counts as two words). Calibrated on the bundled examples, where every real paste
#: is 24+ words and the longest accidental overlap of a comment with its article is 5 words,
#: and on the 24k comment lines of the Dragnet development pages: 5-word overlaps are mostly
#: stock phrases ("don't know how to"), 6-7 words a mix of phrases and short quotations,
#: and from 8 words on the sampled matches are pastes of the article (often in quotation
#: marks or after "Re:" / ">"). Eight favours precision: a missed short quotation only
#: leaves a comment unmarked, while a false mark would hide a reader's own words.
MIN_QUOTED_WORDS = 8

_WORD_RE = re.compile(r"\w+")
#: Links: the words of a URL slug ("/lavrov-and-putin-on-the-us-nato-replies/") are not
#: pasted prose, even when they repeat a headline on the page.
_URL_RE = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)

#: Quotation marks that copies of one text swap freely; compared as one character.
_QUOTE_CHARS = str.maketrans(
    {c: '"' for c in "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033"}
    | {c: "'" for c in "\u2018\u2019\u201a\u201b\u2032`"}
)


class _Word(NamedTuple):
    key: str
    start: int
    end: int


def _words(text: str, offset: int = 0) -> list[_Word]:
    """Words of ``text`` outside links, with offsets shifted by ``offset``; keys are case-
    and form-folded."""
    links = [m.span() for m in _URL_RE.finditer(text)]
    return [
        _Word(_key(m.group()), m.start() + offset, m.end() + offset)
        for m in _WORD_RE.finditer(text)
        if not links or not any(start <= m.start() < end for start, end in links)
    ]


def _key(word: str) -> str:
    return word.lower() if word.isascii() else unicodedata.normalize("NFKC", word).casefold()


def _same_mark(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` are the same punctuation mark (quote styles aside)."""
    if a.isalnum() or a.isspace() or b.isalnum() or b.isspace():
        return False
    return a.translate(_QUOTE_CHARS) == b.translate(_QUOTE_CHARS)


def _widen(
    text: str,
    start: int,
    end: int,
    lower: int,
    upper: int,
    comment: str,
    c_start: int,
    c_end: int,
) -> tuple[int, int]:
    """Extend ``text[start:end]`` over punctuation that the comment copied on either side.

    ``lower``/``upper`` bound the article block; ``c_start``/``c_end`` are the matching
    offsets in ``comment``.
    """
    while start > lower and c_start > 0 and _same_mark(text[start - 1], comment[c_start - 1]):
        start -= 1
        c_start -= 1
    while end < upper and c_end < len(comment) and _same_mark(text[end], comment[c_end]):
        end += 1
        c_end += 1
    return start, end


def _grams(keys: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(keys[i : i + n]) for i in range(len(keys) - n + 1)}


class _Reporting(NamedTuple):
    """The reporting blocks with their words, and which blocks hold each ``min_words``-gram
    (computed once per document, not per comment)."""

    blocks: list[tuple[Block, list[_Word]]]
    grams: dict[tuple[str, ...], list[int]]


def _reporting_words(doc: Document, min_words: int) -> _Reporting:
    blocks: list[tuple[Block, list[_Word]]] = []
    grams: dict[tuple[str, ...], list[int]] = {}
    for block in doc.blocks:
        if block.label in REPORTING_LABELS:
            words = _words(block.text, block.start)
            if len(words) >= min_words:
                for gram in _grams([w.key for w in words], min_words):
                    grams.setdefault(gram, []).append(len(blocks))
                blocks.append((block, words))
    return _Reporting(blocks, grams)


def find_quoted_span(
    comment: str,
    doc: Document,
    min_words: int = MIN_QUOTED_WORDS,
    reporting: _Reporting | None = None,
) -> tuple[int, int] | None:
    """Offsets in ``doc.text`` of the longest reporting passage that ``comment`` copies.

    Only title/heading/body blocks are searched, each on its own, so a span never straddles
    the comments between two paragraphs. Returns ``None`` when the longest shared run of
    words is shorter than ``min_words``; on a tie the earliest passage wins.
    """
    if reporting is None:
        reporting = _reporting_words(doc, min_words)
    if not _URL_RE.search(comment):  # most comments: a quick look for a shared gram first
        keys = [_key(w) for w in _WORD_RE.findall(comment)]
        if not any(gram in reporting.grams for gram in _grams(keys, min_words)):
            return None
    comment_words = _words(comment)
    if len(comment_words) < min_words:
        return None
    comment_keys = [w.key for w in comment_words]
    best: tuple[int, Block, list[_Word], int, int] | None = None  # size, block, words, a, b
    # A shared run of min_words words means a shared min_words-gram: only blocks holding one
    # of the comment's grams go to the (much slower) longest-match search.
    candidates = sorted(
        {i for gram in _grams(comment_keys, min_words) for i in reporting.grams.get(gram, ())}
    )
    if not candidates:
        return None
    matcher = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(comment_keys)
    for i in candidates:
        block, words = reporting.blocks[i]
        keys = [w.key for w in words]
        matcher.set_seq1(keys)
        match = matcher.find_longest_match(0, len(words), 0, len(comment_keys))
        if match.size >= min_words and (best is None or match.size > best[0]):
            best = (match.size, block, words, match.a, match.b)
    if best is None:
        return None
    size, block, words, a, b = best
    return _widen(
        doc.text,
        words[a].start,
        words[a + size - 1].end,
        block.start,
        block.end,
        comment,
        comment_words[b].start,
        comment_words[b + size - 1].end,
    )


def mark_quoted_comments(doc: Document, min_words: int = MIN_QUOTED_WORDS) -> None:
    """Set ``quotes_span`` on every comment block of ``doc`` (``None`` if it copies nothing).

    Other blocks are left alone; running it twice gives the same marks.
    """
    comments = [block for block in doc.blocks if block.label == "comment"]
    if not comments:
        return
    reporting = _reporting_words(doc, min_words)
    for block in comments:
        if block.label == "comment":
            block.quotes_span = find_quoted_span(block.text, doc, min_words, reporting)
