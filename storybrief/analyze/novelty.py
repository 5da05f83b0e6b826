"""What earlier reporting already said: the tests behind the update brief (``store/update.py``).

1. ``EarlierSentences``: the earlier documents' body sentences, indexed for
   ``facts.similarity`` joins by *prefix filtering* (Bayardo, Ma & Srikant 2007, "Scaling up
   all pairs similarity search"). Terms are ordered rarest first (by how many earlier
   sentences use them); a pair of term sets with cosine ``t`` shares at least ``t² · |x|``
   terms, so it must share one term among the first ``|x| - ⌈t² · |x|⌉ + 1`` of each side.
   Each earlier sentence is posted under that prefix only and a new sentence probes with its
   own; the commonest terms of each (the story's names, everyday words) are left out of both,
   so a query reads the short posting lists of rare terms and verifies only the sentences
   that share one, instead of every earlier sentence. Pairs that share a distinctive figure get ``SHARED_NUMBER_BONUS`` and are found
   through a second index of figures. The result equals checking every pair.
2. ``EarlierWords``: the word 3-grams of the earlier reporting, to tell a quote printed before
   from a new one.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from storybrief.analyze.facts import (
    DISTINCTIVE_NUMBER,
    MIN_SHARED_TERMS,
    SHARED_NUMBER_BONUS,
    content_count,
    sentence_terms,
)
from storybrief.analyze.facts_details import find_quantities
from storybrief.model import Sentence

__all__ = [
    "EarlierSentences",
    "EarlierWords",
    "Match",
    "novel_figures",
]

_ROUNDING = 1e-9


@dataclass(frozen=True)
class Match:
    """An earlier sentence (``index`` into ``EarlierSentences.sentences``) and its similarity."""

    index: int
    similarity: float


def _figures(text: str) -> frozenset[str]:
    """Distinctive figures of a sentence, as ``facts.similarity`` counts a shared one."""
    return frozenset(
        f"{q.value:g} {q.unit}" for q in find_quantities(text) if q.value >= DISTINCTIVE_NUMBER
    )


def novel_figures(text: str, earlier: str) -> bool:
    """Whether ``text`` states a counted figure ``earlier`` does not ("the toll rose to 12,000"
    against "10,000 died"): a sentence that updates a figure reports something new."""
    before = {(q.value, q.unit) for q in find_quantities(earlier)}
    return any((q.value, q.unit) not in before for q in find_quantities(text))


def _prefix_length(size: int, threshold: float) -> int:
    """How many of a set's rarest terms a pair at cosine ``threshold`` must share one of."""
    return size - math.ceil(threshold * threshold * size - _ROUNDING) + 1


class EarlierSentences:
    """The earlier documents' body sentences, for finding those a new sentence repeats.

    ``lowest`` is the lowest similarity that will be asked for (the prefixes are cut for it).
    """

    def __init__(self, sentences: Sequence[Sentence], lowest: float) -> None:
        self.sentences = list(sentences)
        self.lowest = lowest
        self._terms = [sentence_terms(s.text) for s in self.sentences]
        self._figures_of = [_figures(s.text) for s in self.sentences]
        self._df: Counter[str] = Counter(t for ts in self._terms for t in ts)
        self._postings: dict[str, list[int]] = defaultdict(list)
        self._figures: dict[str, list[int]] = defaultdict(list)
        for index, (terms, figures) in enumerate(zip(self._terms, self._figures_of, strict=True)):
            ordered = self._ordered(terms)
            for term in ordered[: _prefix_length(len(ordered), lowest)]:
                self._postings[term].append(index)
            for figure in figures:
                self._figures[figure].append(index)

    def _ordered(self, terms: Iterable[str]) -> list[str]:
        """Rarest first (terms no earlier sentence uses come first), ties by the term."""
        return sorted(terms, key=lambda t: (self._df.get(t, 0), t))

    def matches(self, text: str, threshold: float) -> list[Match]:
        """Earlier sentences whose ``facts.similarity`` with ``text`` is at least
        ``threshold`` (which must not be below ``lowest``), most similar first."""
        if threshold < self.lowest:
            raise ValueError(f"threshold {threshold} is below the index's {self.lowest}")
        terms, figures = sentence_terms(text), _figures(text)
        ordered = self._ordered(terms)
        candidates: set[int] = set()
        for term in ordered[: _prefix_length(len(ordered), threshold)]:
            candidates.update(self._postings.get(term, ()))
        # A shared figure adds SHARED_NUMBER_BONUS: such pairs are found by their figure.
        for figure in figures:
            candidates.update(self._figures.get(figure, ()))
        found = []
        for index in sorted(candidates):
            score = self._similarity(terms, figures, index)
            if score >= threshold:
                found.append(Match(index, score))
        found.sort(key=lambda m: (-m.similarity, m.index))
        return found

    def _similarity(self, terms: frozenset[str], figures: frozenset[str], index: int) -> float:
        """``facts.similarity`` (without idf) from the stored terms and figures of earlier
        sentence ``index`` (the tests check it equals that function)."""
        other = self._terms[index]
        shared = terms & other
        shared_number = bool(figures & self._figures_of[index])
        if not terms or not other or content_count(shared) + shared_number < MIN_SHARED_TERMS:
            return 0.0
        bonus = SHARED_NUMBER_BONUS if shared_number else 0.0
        return len(shared) / (math.sqrt(len(terms)) * math.sqrt(len(other))) + bonus


_WORDS = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return _WORDS.findall(text.lower().replace("’", "'"))


class EarlierWords:
    """Word 3-grams of the earlier reporting: was a quote printed before? (Kept as hashes:
    a story of hundreds of documents holds a few hundred thousand.)"""

    def __init__(self, texts: Iterable[str]) -> None:
        self._grams: set[int] = set()
        self._short: set[int] = set()
        for text in texts:
            words = _words(text)
            self._grams.update(map(hash, zip(words, words[1:], words[2:], strict=False)))
            self._short.update(hash((w,)) for w in words)
            self._short.update(map(hash, zip(words, words[1:], strict=False)))

    def share_printed(self, quote: str) -> float:
        """The share of the quote's word 3-grams (its words, for a quote under three words)
        found in the earlier reporting."""
        words = _words(quote)
        if len(words) < 3:
            return 1.0 if words and hash(tuple(words)) in self._short else 0.0
        grams = set(map(hash, zip(words, words[1:], words[2:], strict=False)))
        return sum(1 for g in grams if g in self._grams) / len(grams)
