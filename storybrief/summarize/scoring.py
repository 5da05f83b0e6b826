"""Text features for extractive summarization: terms, bigram concepts, sparse cosine.

Everything here is plain Python on purpose. scikit-learn's ``TfidfVectorizer`` would do the
vector part, but importing it costs about 1.5 s on the target machine, more than the whole
budget of a 25-article brief (<= 2 s including interpreter start-up); the vectors needed here
are a few hundred short sparse dicts, which plain dicts handle in milliseconds.

Terms are lower-cased words reduced by a light "S-stemmer" (Harman 1991: plural endings
only), so that "talks"/"talk" and "agencies"/"agency" meet without a stemming library.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from storybrief.stopwords import FUNCTION_WORDS

#: A word: letters/digits with inner apostrophes, hyphens or dots ("U.S.", "co-founder", "don't").
_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")

#: English function words. Kept short and local so the runtime needs no NLTK/sumy data.
STOP_WORDS: frozenset[str] = FUNCTION_WORDS | {
    # calendar and counting words that every article of a story shares
    *"first last new three two year years".split()
}


def stem(word: str) -> str:
    """Harman's S-stemmer: strip plural endings only (conservative, no false merges of roots)."""
    if len(word) > 3 and word.endswith("ies") and not word.endswith(("eies", "aies")):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("es") and not word.endswith(("aes", "ees", "oes")):
        return word[:-1]
    if len(word) > 2 and word.endswith("s") and not word.endswith(("us", "ss")):
        return word[:-1]
    return word


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


def tokens(text: str) -> list[str]:
    """All words of ``text``, lower-cased, possessives dropped, content words stemmed."""
    return list(_tokens(text))


@lru_cache(maxsize=16384)
def _tokens(text: str) -> tuple[str, ...]:
    # Cached: the summarizer and the event stage see the same sentences several times.
    out = []
    for match in _WORD.finditer(text.lower()):
        word = match.group().replace("’", "'")
        if word.endswith("'s"):
            word = word[:-2]
        word = word.replace(".", "")
        out.append(word if word in STOP_WORDS else stem(word))  # "was" is not a plural
    return tuple(out)


def content_terms(words: Iterable[str]) -> list[str]:
    """The words (from :func:`tokens`) that carry content: no stop words, no lone characters."""
    return [w for w in words if w not in STOP_WORDS and len(w) > 1]


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
