"""Text features for extractive summarization: terms, bigram concepts, sparse cosine.

Everything here is plain Python on purpose. scikit-learn's ``TfidfVectorizer`` would do the
vector part, but importing it costs about 1.5 s on the target machine, more than the whole
budget of a 25-article brief (<= 2 s including interpreter start-up); the vectors needed here
are a few hundred short sparse dicts, which plain dicts handle in milliseconds.

Terms (``tokens``, ``stem``, ``content_terms``) come from ``storybrief.terms``, which the
analysis stages share.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from storybrief.terms import STOP_WORDS, content_terms, stem, tokens

__all__ = [
    "FOCUS_STOP_WORDS",
    "STOP_WORDS",
    "concepts",
    "content_terms",
    "cosine",
    "idf",
    "stem",
    "tfidf_vector",
    "tokens",
]

#: Words of question/instruction phrasing in a focus text ("Describe the activities of ...",
#: DUC narratives) that say how to answer, not what about; they must not bias selection.
FOCUS_STOP_WORDS: frozenset[str] = frozenset(
    stem(word)
    for word in re.findall(
        r"\S+",
        """
    describe description discuss discussion identify include including includes give example
    examples explain report reported reports information detail details specific specifically
    regard regarding relate related respect aspect aspects kind kinds type types provide
    activity activities happen happened happening occur occurred issue issues involve involved
    what how why where when who which known way ways main important efforts effort
    """,
    )
)


def concepts(words: Sequence[str]) -> set[str]:
    """Bigram concepts of a sentence (Gillick & Favre 2009): adjacent word pairs, stop words
    included as context, dropping pairs made only of stop words or numbers."""
    found: set[str] = set()
    for first, second in zip(words, words[1:], strict=False):
        if _weak(first) and _weak(second):
            continue
        found.add(f"{first} {second}")
    return found


def _weak(word: str) -> bool:
    return word in STOP_WORDS or len(word) < 2 or word.isdigit()


def idf(documents: Sequence[Iterable[str]]) -> dict[str, float]:
    """Smoothed inverse document frequency of each term over ``documents``."""
    df: Counter[str] = Counter()
    for doc in documents:
        df.update(set(doc))
    n = len(documents)
    return {term: math.log((1 + n) / (1 + count)) + 1.0 for term, count in df.items()}


def tfidf_vector(terms: Iterable[str], weights: Mapping[str, float]) -> dict[str, float]:
    """L2-normalised TF-IDF vector of ``terms`` as a sparse dict (unknown terms get idf 1)."""
    counts = Counter(terms)
    vector = {t: c * weights.get(t, 1.0) for t, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in vector.values()))
    if norm == 0.0:
        return {}
    return {t: v / norm for t, v in vector.items()}


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Cosine of two L2-normalised sparse vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())
