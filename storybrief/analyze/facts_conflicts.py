"""Disagreements between independent sources about one fact (step 4 of ``facts.py``).

Conservative by design: a reader shown a "conflict" should find a real disagreement, so each
kind of detail is compared only where two sources clearly talk about the same slot:

- numbers: the same counted noun ("12 people" / "15 people"), and no value of one source
  within tolerance of any value of the other (approximate wording widens the tolerance);
- dates: the same kind of date phrase (weekday with weekday, day-month with day-month...) and
  no date in common;
- names and places: exactly one name in each sentence has no counterpart in the other (a
  counterpart is the same name or a spelling of it: "Blinken"/"Blingen", "Kiev"/"Kyiv"), both
  of the same kind and in the same frame (same word before, or after).

A detail only one source gives is extra detail, never a conflict.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import combinations

from storybrief.analyze.entities_lexicon import place_key
from storybrief.analyze.facts_details import NameDetail, find_dates, find_names, find_quantities
from storybrief.model import Sentence

__all__ = ["Conflict", "SourceSpan", "find_conflicts", "same_name", "values_agree"]

#: Exact figures agree within this relative difference (rounding: 1.52 million = 1.5 million).
EXACT_TOLERANCE = 0.02
#: Figures agree within this relative difference when either is approximate ("about",
#: "nearly", "more than"): "more than 100,000" and "110,000" do not contradict each other.
HEDGED_TOLERANCE = 0.25
#: Two name words at least this similar (after folding transliteration) are one name spelled
#: two ways ("Blinken"/"Blingen" 0.71 is below; "Sergei"/"Sergey" folds to equal). Set on the
#: machine-translated example 004, whose misspellings must not read as different people.
NAME_VARIANT_SIMILARITY = 0.7
#: Words around a name that do not make a frame of their own.
_WEAK_FRAME = frozenset({"", ",", ".", "and", "the", "'s", "’s", ";", ":", "-", "—"})


@dataclass(frozen=True)
class SourceSpan:
    """A sentence in a document: character offsets into that document's text."""

    doc_id: str
    start: int
    end: int


@dataclass
class Conflict:
    """Sources of one fact that give different values for the same detail.

    ``values`` maps each value (as first written) to the spans of the sentences saying it.
    """

    kind: str  # "number" | "date" | "name" | "place"
    values: dict[str, list[SourceSpan]]
    fact_text: str


def values_agree(a: float, b: float, hedged: bool = False) -> bool:
    """Whether two figures can both be right (see the tolerances above)."""
    if a == b:
        return True
    tolerance = HEDGED_TOLERANCE if hedged else EXACT_TOLERANCE
    return abs(a - b) <= tolerance * max(abs(a), abs(b))


@lru_cache(maxsize=65536)
def same_name(a: str, b: str) -> bool:
    """Whether two names can be one name: equal, aliased, sharing or misspelling a word."""
    if place_key(a) == place_key(b):
        return True
    return any(_similar_words(x, y) for x in _name_words(a) for y in _name_words(b))


def _similar_words(x: str, y: str) -> bool:
    if x == y:
        return True
    matcher = SequenceMatcher(None, x, y)
    # The quick upper bounds rule out most pairs without the full (slow) ratio.
    return (
        matcher.real_quick_ratio() >= NAME_VARIANT_SIMILARITY
        and matcher.quick_ratio() >= NAME_VARIANT_SIMILARITY
        and matcher.ratio() >= NAME_VARIANT_SIMILARITY
    )


def find_conflicts(
    group: Sequence[Sentence], roots: Sequence[str], fact_text: str
) -> list[Conflict]:
    """Conflicts among the sentences of one fact; ``roots[i]`` is the independent source of
    ``group[i]`` (its document, or the document it duplicates)."""
    conflicts = _number_conflicts(group, roots, fact_text)
    conflicts += _date_conflicts(group, roots, fact_text)
    conflicts += _name_conflicts(group, roots, fact_text)
    return conflicts


def _span(s: Sentence) -> SourceSpan:
    return SourceSpan(s.doc_id, s.start, s.end)


def _number_conflicts(
    group: Sequence[Sentence], roots: Sequence[str], fact_text: str
) -> list[Conflict]:
    # unit -> root -> [(value, hedged, surface, sentence)]
    by_unit: dict[str, dict[str, list[tuple[float, bool, str, Sentence]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for sentence, root in zip(group, roots, strict=True):
        for q in find_quantities(sentence.text):
            by_unit[q.unit][root].append((q.value, q.hedged, q.text, sentence))
    conflicts = []
    for per_root in by_unit.values():
        disagree = any(
            not any(values_agree(x[0], y[0], x[1] or y[1]) for x in per_root[r1] for y in per_root[r2])
            for r1, r2 in combinations(per_root, 2)
        )
        if not disagree:
            continue
        values: dict[str, list[SourceSpan]] = {}
        classes: list[tuple[float, bool, str]] = []
        for items in per_root.values():
            for value, hedged, surface, sentence in items:
                label = next(
                    (lab for v, h, lab in classes if values_agree(v, value, h or hedged)), None
                )
                if label is None:
                    label = surface
                    classes.append((value, hedged, surface))
                spans = values.setdefault(label, [])
                if _span(sentence) not in spans:
                    spans.append(_span(sentence))
        conflicts.append(Conflict("number", values, fact_text))
    return conflicts


def _date_conflicts(
    group: Sequence[Sentence], roots: Sequence[str], fact_text: str
) -> list[Conflict]:
    # kind -> root -> {key: (surface, sentence)}
    by_kind: dict[str, dict[str, dict[str, tuple[str, Sentence]]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for sentence, root in zip(group, roots, strict=True):
        for d in find_dates(sentence.text):
            by_kind[d.kind][root].setdefault(d.key, (d.text, sentence))
    conflicts = []
    for per_root in by_kind.values():
        if not any(not (per_root[a].keys() & per_root[b].keys()) for a, b in combinations(per_root, 2)):
            continue
        values: dict[str, list[SourceSpan]] = {}
        labels: dict[str, str] = {}
        for keyed in per_root.values():
            for key, (surface, sentence) in keyed.items():
                spans = values.setdefault(labels.setdefault(key, surface), [])
                if _span(sentence) not in spans:
                    spans.append(_span(sentence))
        conflicts.append(Conflict("date", values, fact_text))
    return conflicts


def _name_conflicts(
    group: Sequence[Sentence], roots: Sequence[str], fact_text: str
) -> list[Conflict]:
    names = [find_names(s.text) for s in group]
    found: dict[tuple[str, frozenset[str]], Conflict] = {}
    for i, j in combinations(range(len(group)), 2):
        if roots[i] == roots[j]:
            continue
        swap = _swapped(names[i], names[j])
        if swap is None:
            continue
        a, b = swap
        key = (a.kind, frozenset({place_key(a.text), place_key(b.text)}))
        conflict = found.setdefault(key, Conflict(a.kind, {}, fact_text))
        for name, sentence in ((a, group[i]), (b, group[j])):
            spans = conflict.values.setdefault(name.text, [])
            if _span(sentence) not in spans:
                spans.append(_span(sentence))
    return list(found.values())


def _swapped(
    left: Sequence[NameDetail], right: Sequence[NameDetail]
) -> tuple[NameDetail, NameDetail] | None:
    """The one name of ``left`` replaced by another of ``right`` in the same frame, if any."""
    only_left = [n for n in left if not any(same_name(n.text, m.text) for m in right)]
    only_right = [m for m in right if not any(same_name(m.text, n.text) for n in left)]
    if len(only_left) != 1 or len(only_right) != 1:
        return None
    a, b = only_left[0], only_right[0]
    if a.kind != b.kind:
        return None
    same_before = a.before == b.before and a.before not in _WEAK_FRAME
    same_after = a.after == b.after and a.after not in _WEAK_FRAME
    return (a, b) if same_before or same_after else None


@lru_cache(maxsize=16384)
def _name_words(name: str) -> tuple[str, ...]:
    folded = unicodedata.normalize("NFKD", name.casefold())
    words = []
    for word in folded.replace("'s", " ").replace("’s", " ").split():
        word = "".join(c for c in word if c.isalnum())
        for a, b in (("ph", "f"), ("th", "t"), ("kh", "h"), ("y", "i"), ("w", "v"), ("j", "i")):
            word = word.replace(a, b)
        if len(word) > 1:
            words.append(word)
    return tuple(words)
