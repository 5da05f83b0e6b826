"""Terms of news text shared by the analysis and summary stages.

Terms are lower-cased words reduced by a light "S-stemmer" (Harman 1991: plural endings
only), so that "talks"/"talk" and "agencies"/"agency" meet without a stemming library or any
downloaded data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from storybrief.stopwords import FUNCTION_WORDS

#: A word: letters/digits with inner apostrophes, hyphens or dots ("U.S.", "co-founder", "don't").
_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")

#: Words that carry no content in news text: function words plus calendar and counting words.
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


#: Longest text whose tokens are cached: a long sentence or paragraph. Whole pages are
#: tokenised afresh, so the cache holds sentences and never a copy of every page an ingest
#: reads (keyed by whole texts, it grew an ingest's memory by ~45 KB per document).
CACHED_CHARS = 2_000


def tokens(text: str) -> list[str]:
    """All words of ``text``, lower-cased, possessives dropped, content words stemmed."""
    return list(_cached_tokens(text) if len(text) <= CACHED_CHARS else _tokens(text))


@lru_cache(maxsize=16384)
def _cached_tokens(text: str) -> tuple[str, ...]:
    # Cached: the summarizer and the event stage see the same sentences several times.
    return _tokens(text)


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(map(_term, _WORD.findall(text.lower())))


#: Distinct words whose term is cached: news vocabulary repeats, so a few thousand words
#: cover most tokens; bounded so a long ingest's memory does not grow with it.
TERM_CACHE_SIZE = 16384


@lru_cache(maxsize=TERM_CACHE_SIZE)
def _term(word: str) -> str:
    """One lower-cased word as a term: possessive dropped, dots removed, S-stemmed."""
    word = word.replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    word = word.replace(".", "")
    return word if word in STOP_WORDS else stem(word)  # "was" is not a plural


def content_terms(words: Iterable[str]) -> list[str]:
    """The words (from :func:`tokens`) that carry content: no stop words, no lone characters."""
    return [w for w in words if w not in STOP_WORDS and len(w) > 1]


#: Words that make a dateline, not a headline ("Tuesday, Sept. 19, 2000").
_DATE_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "may june july august september october november december jan feb mar apr jun jul aug "
    "sep sept oct nov dec".split()
)
_WORD_RE = re.compile(r"[^\W\d_][^\W\d_'’-]*", re.UNICODE)


def readable_headline(title: str | None) -> bool:
    """Whether a title reads as a headline: at least two words that are neither date words
    nor short upper-case codes (wire furniture such as "&HT;" or "&UR; Tuesday, Sept. 19,
    2000 &LR;" is a title field in some archives, never a label)."""
    if not title:
        return False
    words = [
        w
        for w in _WORD_RE.findall(title)
        if w.casefold() not in _DATE_WORDS and not (w.isupper() and len(w) <= 3) and len(w) > 1
    ]
    return len(words) >= 2
