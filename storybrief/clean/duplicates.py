"""Exact and near-duplicate documents: the same article syndicated or crawled twice.

A pile of news pages about one story often holds the same wire report several times: on
different sites, re-wrapped, with a different headline line, a changed word or two, and
different reader comments underneath. Counting those copies as independent sources would
inflate corroboration and repeat sentences in the brief, so later copies are marked with
``Document.duplicate_of`` (the earliest copy, in input order) and the estimated Jaccard
similarity of their word shingles.

The comparison uses the reporting text (title, headings, body) when the cleaner has labelled
blocks, so the comments under two copies of an article do not make them look different.

Stages:
1. normalise each document's reporting text to lower-case words (punctuation, quote styles
   and line wrapping do not matter);
2. exact copies: the same normalised word sequence (SHA-1) as an earlier document;
3. near copies: MinHash of k-word shingles, candidates from MinHash LSH, each candidate
   verified against the threshold with its estimated Jaccard similarity.

Grouping is leader-based: a document is compared with earlier *originals* (documents that
are not themselves duplicates) and attached to the earliest one it is similar enough to, so
``duplicate_similarity`` is always the similarity to ``duplicate_of`` itself and never a
chain of copies of copies. Results depend only on the documents and their input order.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

from storybrief.model import Document
from storybrief.options import DEFAULT_DUPLICATE_THRESHOLD

if TYPE_CHECKING:
    from datasketch import MinHash, MinHashLSH

__all__ = [
    "DEFAULT_THRESHOLD",
    "NUM_PERM",
    "SHINGLE_WORDS",
    "comparison_text",
    "mark_duplicates",
    "minhash_signature",
    "normalised_words",
    "shingles",
]

#: Words per shingle. Five-word shingles are the usual choice for near-duplicate news
#: detection (Broder's resemblance uses w-shingles of this order): long enough that two
#: different articles on the same story share few of them even when they use the same
#: names and stock phrases, short enough that one changed word only removes five shingles.
SHINGLE_WORDS = 5

#: Estimated Jaccard similarity from which a document is a copy (calibrated: ``options``).
DEFAULT_THRESHOLD = DEFAULT_DUPLICATE_THRESHOLD

#: MinHash permutations. With 128 the standard error of the Jaccard estimate is at most
#: sqrt(0.25 / 128) ~ 0.044, small against the gap around ``DEFAULT_THRESHOLD``, and hashing
#: stays fast (a 1,000-word article costs about a millisecond).
NUM_PERM = 128

#: Fixed MinHash seed: the same input always gives the same marks.
SEED = 1

#: LSH weights (false positive, false negative). Candidates are verified afterwards, so a
#: false positive only costs one comparison while a false negative loses a duplicate: the
#: band layout is tuned towards recall.
LSH_WEIGHTS = (0.2, 0.8)

#: Below this many documents, shingle sets are compared exactly (every pair: 300 set
#: intersections for a 25-article brief, a few milliseconds) instead of through MinHash LSH,
#: whose import alone (datasketch pulls in scipy) costs about a second of start-up. Exact
#: Jaccard is also the quantity MinHash estimates, so small runs lose nothing.
LSH_MIN_DOCUMENTS = 200

_WORD_RE = re.compile(r"\w+")


def normalised_words(text: str) -> list[str]:
    """Lower-cased words of ``text``: NFKC-folded, punctuation and whitespace ignored.

    Quote styles, dashes, line wrapping and case differ between copies of the same article
    and carry no information about whether they are the same text.
    """
    return _WORD_RE.findall(unicodedata.normalize("NFKC", text).casefold())


def shingles(words: list[str], k: int = SHINGLE_WORDS) -> set[str]:
    """The set of ``k``-word shingles of ``words``; a shorter text is one shingle."""
    if not words:
        return set()
    if len(words) <= k:
        return {" ".join(words)}
    return {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)}


def comparison_text(doc: Document) -> str:
    """The text two documents are compared on: the reporting text when blocks exist.

    Falls back to the whole text when the document has no blocks yet or none of its blocks
    are reporting (a mislabelled page is still worth comparing).
    """
    if doc.blocks:
        reporting = doc.reporting_text
        if reporting.strip():
            return reporting
    return doc.text


def _minhash(items: Iterable[str]) -> MinHash:
    from datasketch import MinHash

    # The scheme named: datasketch 2.0 changed its default ("legacy" before), and a store
    # keeps signatures across versions.
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32")
    minhash.update_batch([item.encode("utf-8", "surrogatepass") for item in items])
    return minhash


def minhash_signature(items: Iterable[str]) -> bytes:
    """The MinHash of ``items`` as ``NUM_PERM`` little-endian uint32 (what a store keeps)."""
    import numpy as np

    return np.asarray(_minhash(items).hashvalues, dtype="<u4").tobytes()


def mark_duplicates(docs: list[Document], threshold: float = DEFAULT_THRESHOLD) -> None:
    """Set ``duplicate_of``/``duplicate_similarity`` on every later copy in ``docs``.

    ``duplicate_of`` is the id of the earliest document (in input order) that the copy is
    an exact or near duplicate of; originals and documents without words get ``None``.
    Exact copies get similarity 1.0. Marks from an earlier call are replaced.
    """
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    for doc in docs:
        doc.duplicate_of = None
        doc.duplicate_similarity = None

    index_: _ExactIndex | _MinHashIndex = (
        _ExactIndex() if len(docs) < LSH_MIN_DOCUMENTS else _MinHashIndex(threshold)
    )
    # Normalised-text digest -> (index of the original, similarity to it). An exact copy
    # of a near copy is attached to the same original with the same similarity.
    seen: dict[str, tuple[int, float]] = {}
    for index, doc in enumerate(docs):
        words = normalised_words(comparison_text(doc))
        if not words:
            continue
        digest = hashlib.sha1(" ".join(words).encode("utf-8", "surrogatepass")).hexdigest()
        if digest in seen:
            original, similarity = seen[digest]
            doc.duplicate_of = docs[original].id
            doc.duplicate_similarity = similarity
            continue

        sketch = index_.sketch(shingles(words))
        match = index_.earliest_similar(sketch, threshold)
        if match is None:
            seen[digest] = (index, 1.0)
            index_.add(index, sketch)
        else:
            seen[digest] = match
            doc.duplicate_of = docs[match[0]].id
            doc.duplicate_similarity = match[1]


class _ExactIndex:
    """Originals' shingle sets, compared one by one (small runs)."""

    def __init__(self) -> None:
        self.originals: dict[int, set[str]] = {}

    def sketch(self, items: set[str]) -> set[str]:
        return items

    def add(self, index: int, sketch: set[str]) -> None:
        self.originals[index] = sketch

    def earliest_similar(self, sketch: set[str], threshold: float) -> tuple[int, float] | None:
        for candidate, other in self.originals.items():  # insertion order = input order
            similarity = len(sketch & other) / len(sketch | other)
            if similarity >= threshold:
                return candidate, round(similarity, 4)
        return None


class _MinHashIndex:
    """Originals in a MinHash LSH index (datasketch); candidates verified by estimate."""

    def __init__(self, threshold: float) -> None:
        from datasketch import MinHashLSH

        self.lsh: MinHashLSH = MinHashLSH(
            threshold=threshold, num_perm=NUM_PERM, weights=LSH_WEIGHTS
        )
        self.originals: dict[int, MinHash] = {}

    def sketch(self, items: set[str]) -> MinHash:
        return _minhash(items)

    def add(self, index: int, sketch: MinHash) -> None:
        self.originals[index] = sketch
        self.lsh.insert(index, sketch)

    def earliest_similar(self, sketch: MinHash, threshold: float) -> tuple[int, float] | None:
        """The earliest original whose estimated similarity reaches ``threshold``, if any.

        LSH only proposes candidates; each is verified with its Jaccard estimate.
        """
        for candidate in sorted(self.lsh.query(sketch)):
            similarity = float(sketch.jaccard(self.originals[candidate]))
            if similarity >= threshold:
                return candidate, round(similarity, 4)
        return None
