"""Facts reported by several sources, how many independent sources back each, and where
the sources disagree.

A *fact* here is a group of body sentences, from different documents, that report the same
thing. Its *support* is the number of independent sources: documents that are copies of one
another (the duplicate links the cleaner found) count once. Stages, in order:

1. Describe each sentence by its content terms (lower case, plurals folded, cut to
   ``TERM_PREFIX`` characters so "Ukraine"/"Ukrainian" and "deploy"/"deployment" meet) and the
   numbers it states.
2. Score every pair of sentences from different documents that share a term: the cosine of
   their idf-weighted term sets, plus ``SHARED_NUMBER_BONUS`` when they state the same
   distinctive number. The idf is computed over the sentences of this run, so words the whole
   story repeats ("Russia", "said") weigh little and the specific ones decide.
3. Group greedily, best pair first (average linkage with a floor): a group holds at most one
   sentence per document, so two different sentences of one article never fall into one fact
   through a third sentence elsewhere.
4. For each group, compare the details of sentences from different independent sources
   (``facts_details.py``): counted quantities, dates and swapped names/places. A conflict
   needs both sides to state the detail in the same slot and no value in common; a detail
   one source gives and another leaves out is extra detail, not a disagreement.

Why not scikit-learn's ``TfidfVectorizer``: importing it takes over a second on the target
machine, more than half of the whole brief's budget, and the vectors here are a few hundred
short sets that plain dicts handle in milliseconds.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from storybrief.analyze.entities_lexicon import HONORIFICS, TITLE_WORDS
from storybrief.analyze.facts_conflicts import Conflict as Conflict
from storybrief.analyze.facts_conflicts import SourceSpan, find_conflicts
from storybrief.analyze.facts_details import find_quantities, stem
from storybrief.model import Sentence
from storybrief.stopwords import FUNCTION_WORDS

__all__ = [
    "Conflict",
    "Fact",
    "SourceSpan",
    "find_facts",
    "sentence_terms",
    "similarity",
    "source_roots",
]

#: Content terms are cut to this many characters (truncation stemming): it joins derived
#: forms ("Ukrainian" -> "ukrain", "deployment" -> "deploy") while keeping short words whole.
#: Six is the shortest cut that keeps "state"/"statement" apart; it was chosen by reasoning on
#: such pairs, not by a sweep.
TERM_PREFIX = 6
#: Two sentences report the same fact at this similarity or above. Calibrated on the example
#: crawls (the 100,000-troops pair of 003/004 scores 0.345; the Geneva meeting vs the phone
#: call shares no content term and scores 0), then checked by reading the top groups of the
#: DUC 2007 cluster D0742J (JFK Jr. crash): at 0.3 they read as one event each. No sweep was
#: run; there is no gold standard for facts.
SAME_FACT_SIMILARITY = 0.3
#: A sentence joins a group only if its mean similarity to all members reaches this (average
#: linkage), so one strong pair cannot chain two different facts together.
GROUP_MEAN_SIMILARITY = 0.25
#: Details are compared only between two sentences at least this similar (stricter than
#: grouping). On the 23 DUC 2007 main clusters, read by hand: at 0.45, 48 conflicts, many
#: between related but different statements ("asked for $11 million" / "set $6 million";
#: "dropped 1,100 feet in 14 seconds" / "700 feet in 29 seconds"); at 0.55 those go and the
#: real ones stay ("Three days earlier" / "Two days earlier", "129" / "194 members of
#: parliament", "Nissan" / "Datsun" pickup, "31,200" / "19,000 sq. km").
CONFLICT_SIMILARITY = 0.55
#: Added to the cosine when two sentences state the same number with the same counted noun
#: ("100,000 troops"): a shared specific figure is strong evidence of one fact.
SHARED_NUMBER_BONUS = 0.15
#: Smaller figures ("two diplomats", "three weeks") are everyday wording, not evidence.
DISTINCTIVE_NUMBER = 10
#: Sentences must share at least this many content terms: one shared name is not one fact.
MIN_SHARED_TERMS = 2

_WORD = re.compile(r"[^\W\d_]+(?:['’.\-][^\W\d_]+)*")

#: English function words and reporting verbs that say nothing about the fact itself.
STOP_WORDS: frozenset[str] = FUNCTION_WORDS | {"added", "another", "asked", "dr"}


@dataclass
class Fact:
    """Sentences of different documents reporting one thing.

    ``text`` is one of them, verbatim (the one closest to all the others); ``sources`` has one
    span per document, in input order; ``support`` counts distinct documents after folding
    duplicates, so a copied article adds a source span but no support.
    """

    text: str
    sources: list[SourceSpan]
    support: int
    #: Indices into the ``sentences`` passed to :func:`find_facts`, parallel to ``sources``.
    members: list[int] = field(default_factory=list, repr=False)


def sentence_terms(text: str) -> frozenset[str]:
    """The terms of a sentence: content words (see ``TERM_PREFIX``) and one term per name.

    A run of capitalised words is one name and gives one term, its last word ("Russian
    Foreign Minister Sergey Lavrov" -> "=lavrov"), with titles left out: two sentences that
    merely name the same people share one term per person, not one per word of their titles.
    Name terms start with "="; see :func:`content_count`.
    """
    terms: set[str] = set()
    name = ""  # the last word of the capitalised run being read
    for position, raw in enumerate(_WORD.findall(text)):
        kind, term = _token(raw, position == 0)
        if kind == _NAME:
            name = term
            continue
        if name:
            terms.add(name)
            name = ""
        if kind == _CONTENT:
            terms.add(term)
    if name:
        terms.add(name)
    return frozenset(terms)


_NAME, _CONTENT, _SKIP = 0, 1, 2


@lru_cache(maxsize=65536)
def _token(raw: str, first: bool) -> tuple[int, str]:
    """What one word contributes: a name word, a content term, or nothing (cached: news
    repeats its vocabulary, and this is the inner loop of :func:`find_facts`)."""
    raw = raw.replace("’", "'").removesuffix("'s").replace(".", "")
    word = raw.lower()
    if raw[:1].isupper() and not (first and word in STOP_WORDS):
        if raw in TITLE_WORDS or raw in HONORIFICS:
            return _SKIP, ""
        return _NAME, "=" + (word if raw.isupper() else stem(word)[:TERM_PREFIX])
    if len(word) < 2 or word in STOP_WORDS:
        return _SKIP, ""
    return _CONTENT, stem(word)[:TERM_PREFIX]


def content_count(terms: frozenset[str]) -> int:
    """How many of ``terms`` are content words rather than names."""
    return sum(1 for t in terms if not t.startswith(("=", "#")))


def _number_keys(text: str) -> frozenset[str]:
    """Distinctive numbers of a sentence: value with counted noun ("100000 troop")."""
    return frozenset(
        f"{q.value:g} {q.unit}" for q in find_quantities(text) if q.value >= DISTINCTIVE_NUMBER
    )


def similarity(a: str, b: str, idf: Mapping[str, float] | None = None) -> float:
    """The pair score of step 2 for two sentences (idf defaults to 1 for every term)."""
    ta, tb = sentence_terms(a), sentence_terms(b)
    weights = idf or {}
    na = math.sqrt(sum(weights.get(t, 1.0) for t in ta))
    nb = math.sqrt(sum(weights.get(t, 1.0) for t in tb))
    shared_number = bool(_number_keys(a) & _number_keys(b))
    if not na or not nb or not _enough_shared(ta & tb, shared_number):
        return 0.0
    dot = sum(weights.get(t, 1.0) for t in ta & tb)
    return dot / (na * nb) + (SHARED_NUMBER_BONUS if shared_number else 0.0)


def _enough_shared(shared: frozenset[str], shared_number: bool) -> bool:
    """At least ``MIN_SHARED_TERMS`` shared content words (a shared figure counts as one):
    shared names alone never make one fact."""
    return content_count(shared) + shared_number >= MIN_SHARED_TERMS


def find_facts(
    sentences: Sequence[Sentence], duplicate_of: Mapping[str, str] | None = None
) -> tuple[list[Fact], list[Conflict]]:
    """Group ``sentences`` (body sentences of all documents) into facts and find conflicts.

    Every sentence ends up in exactly one fact (most in a fact of support 1: said by one
    source only); callers keep the support they need. Facts are sorted by support, then by
    first appearance. ``duplicate_of`` maps a document id to the id of the document it
    copies (chains are followed). Conflicts are only reported between independent sources.
    """
    conflict_similarity = CONFLICT_SIMILARITY
    root = source_roots(duplicate_of or {})
    terms = [sentence_terms(s.text) for s in sentences]
    idf = _idf(terms)
    sims = _pair_similarities(sentences, terms, idf)
    groups = _group(sentences, sims)
    facts: list[Fact] = []
    for members in groups:
        members.sort()
        rep = max(members, key=lambda i: (sum(sims.get(_pair(i, j), 0.0) for j in members), -i))
        docs = {root(sentences[i].doc_id) for i in members}
        spans = [_span(sentences[i]) for i in members]
        facts.append(Fact(sentences[rep].text, spans, len(docs), members))
    facts.sort(key=lambda f: (-f.support, f.members[0]))
    conflicts = []
    for fact in facts:
        if fact.support > 1:
            members = fact.members
            group = [sentences[i] for i in members]

            def related(a: int, b: int, members: list[int] = members) -> bool:
                return sims.get(_pair(members[a], members[b]), 0.0) >= conflict_similarity

            roots = [root(s.doc_id) for s in group]
            conflicts.extend(find_conflicts(group, roots, fact.text, related))
    return facts, conflicts


def _span(sentence: Sentence) -> SourceSpan:
    return SourceSpan(sentence.doc_id, sentence.start, sentence.end)


def _pair(i: int, j: int) -> tuple[int, int]:
    return (i, j) if i < j else (j, i)


def source_roots(duplicate_of: Mapping[str, str]) -> Callable[[str], str]:
    """The independent source of a document: follow duplicate links to the original."""

    def root(doc_id: str) -> str:
        seen = {doc_id}
        while doc_id in duplicate_of and duplicate_of[doc_id] not in seen:
            doc_id = duplicate_of[doc_id]
            seen.add(doc_id)
        return doc_id

    return root


def _idf(terms: Sequence[frozenset[str]]) -> dict[str, float]:
    df: dict[str, int] = defaultdict(int)
    for ts in terms:
        for t in ts:
            df[t] += 1
    n = len(terms)
    return {t: math.log((n + 1) / c) for t, c in df.items()}


def _pair_similarities(
    sentences: Sequence[Sentence], terms: Sequence[frozenset[str]], idf: Mapping[str, float]
) -> dict[tuple[int, int], float]:
    """Step 2 for every pair of sentences of different documents sharing a term."""
    postings: dict[str, list[int]] = defaultdict(list)
    for i, ts in enumerate(terms):
        for t in ts:
            postings[t].append(i)
    # Terms in sorted order: float sums must not depend on set order (the hash seed), or
    # near-ties would break differently from one process to the next.
    ordered = [sorted(ts) for ts in terms]
    norms = [math.sqrt(sum(idf[t] for t in ts)) for ts in ordered]
    numbers = [_number_keys(s.text) for s in sentences]
    sims: dict[tuple[int, int], float] = {}
    for i, sorted_terms in enumerate(ordered):
        if not norms[i]:
            continue
        dot: dict[int, float] = {}
        doc = sentences[i].doc_id
        for t in sorted_terms:
            w = idf[t]
            plist = postings[t]  # ascending, so the later sentences are a tail slice
            for j in plist[bisect_right(plist, i) :]:
                dot[j] = dot.get(j, 0.0) + w
        for j, d in dot.items():
            if sentences[j].doc_id == doc or not norms[j]:
                continue
            score = d / (norms[i] * norms[j])
            shared_number = bool(numbers[i] and numbers[i] & numbers[j])
            if shared_number:
                score += SHARED_NUMBER_BONUS
            if score >= GROUP_MEAN_SIMILARITY and _enough_shared(
                terms[i] & terms[j], shared_number
            ):
                sims[(i, j)] = score
    return sims


def _group(sentences: Sequence[Sentence], sims: Mapping[tuple[int, int], float]) -> list[list[int]]:
    """Step 3: greedy average-linkage grouping, at most one sentence per document."""
    group_of = list(range(len(sentences)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(sentences))}
    for (i, j), score in sorted(sims.items(), key=lambda kv: (-kv[1], kv[0])):
        if score < SAME_FACT_SIMILARITY:
            break
        gi, gj = group_of[i], group_of[j]
        if gi == gj:
            continue
        a, b = members[gi], members[gj]
        if {sentences[k].doc_id for k in a} & {sentences[k].doc_id for k in b}:
            continue
        mean = sum(sims.get(_pair(x, y), 0.0) for x in a for y in b) / (len(a) * len(b))
        if mean < GROUP_MEAN_SIMILARITY:
            continue
        a.extend(b)
        for k in b:
            group_of[k] = gi
        del members[gj]
    return list(members.values())
