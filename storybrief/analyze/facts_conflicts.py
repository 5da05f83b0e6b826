"""Disagreements between independent sources about one fact (step 4 of ``facts.py``).

Conservative by design: a reader shown a "conflict" should find a real disagreement, so each
kind of detail is compared only where two sources clearly talk about the same slot:

- numbers: the same counted noun ("12 people" / "15 people"; for money, the same thing when
  both say it: "revenue of $4.2 billion" is not compared with "$281 million in fees"), one
  figure on each side, less than ``SAME_FIGURE_MAX_RATIO`` apart, and no value of one source
  within tolerance of the other (approximate wording widens the tolerance);
- dates: the same kind of date phrase (weekday with weekday, day-month with day-month...),
  one date of that kind on each side, and no date in common;
- names and places: exactly one name in each sentence has no counterpart in the other (a
  counterpart is the same name or a spelling of it: "Blinken"/"Blingen", "Kiev"/"Kyiv"), both
  of the same kind and in the same frame (same word before, or after); places of the same
  size only (a city and its country, "Khartoum"/"Sudan", can both be right); never an acronym
  against a name ("Sane"/"the AI": a man and his organisation) nor the source of a statement
  (the name before "said", "accused", "warned"...);
- sentences of fewer than ``MIN_STATEMENT_WORDS`` words (labels, page furniture) are never
  compared.

A detail only one source gives is extra detail, never a conflict.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import combinations

from storybrief.analyze.entities_lexicon import country_names, place_key
from storybrief.analyze.facts_details import (
    DateDetail,
    NameDetail,
    Quantity,
    find_dates,
    find_names,
    find_quantities,
)
from storybrief.analyze.quotes_lexicon import CUE_RE
from storybrief.model import Sentence

__all__ = ["Conflict", "SourceSpan", "find_conflicts", "same_name", "values_agree"]

#: Exact figures agree within this relative difference: rounding (19.5 million tons written
#: "20 million" in DUC 2007 D0716D is 2.5% off).
EXACT_TOLERANCE = 0.03
#: Figures agree within this relative difference when either is approximate ("about",
#: "nearly", "more than"): "more than 100,000" and "110,000" do not contradict each other.
HEDGED_TOLERANCE = 0.25
#: Two figures this many times apart are different quantities, not one figure reported two
#: ways: on the 23 DUC 2007 main clusters, read by hand with details compared from similarity
#: 0.45, every real disagreement is within a factor of 2 (129 / 194 members, 19,000 / 31,200
#: sq. km) and the pairs an order of magnitude apart are different facts ("injured 111
#: people" in one bombing / "nine people" in others); a new user's "$4.2 billion" / "$281
#: million" likewise.
SAME_FIGURE_MAX_RATIO = 10.0
#: Two name words at least this similar (difflib ratio after folding transliteration) are one
#: name spelled two ways: "Blinken"/"Blingen" 0.86, "Kiev"/"Kiiv" 0.75, while "Geneva"/"Vienna"
#: is 0.5. Set on the machine-translated example 004, whose misspellings must not read as
#: different people.
NAME_VARIANT_SIMILARITY = 0.7
#: A sentence of fewer words is a label or a fragment ("Tempo de leitura: 1 minuto", a page's
#: reading time), not a statement of the fact: its details are never compared. The shortest
#: real conflict read on DUC 2007 main has 13 words.
MIN_STATEMENT_WORDS = 6
#: Words around a name that do not make a frame of their own.
_WEAK_FRAME = frozenset({"", ",", ".", "and", "the", "'s", "’s", ";", ":", "-", "—"})


#: First-level divisions news names as places of their own: a state is neither a country nor
#: a city, so "Texas" and "Houston" are not two answers to one question.
REGIONS = frozenset(
    """Alabama Alaska Arizona Arkansas California Colorado Connecticut Delaware Florida Georgia
    Hawaii Idaho Illinois Indiana Iowa Kansas Kentucky Louisiana Maine Maryland Massachusetts
    Michigan Minnesota Mississippi Missouri Montana Nebraska Nevada Ohio Oklahoma Oregon
    Pennsylvania Tennessee Texas Utah Vermont Virginia Wisconsin Wyoming Ontario
    Quebec Alberta Bavaria Scotland Wales England Siberia Chechnya Crimea Donbas Donbass Tibet
    Xinjiang Kashmir Punjab Darfur Kurdistan Catalonia Flanders Sicily Sardinia Corsica""".split()
) | {"New Hampshire", "New Jersey", "New Mexico", "New York State", "North Carolina",
     "North Dakota", "Rhode Island", "South Carolina", "South Dakota", "West Virginia",
     "British Columbia", "Northern Ireland"}

_SPEECH_FRAME = frozenset(
    "said says told added announced stated according spokesman spokeswoman quoted quoting "
    "reported cited".split()
)


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


def values_agree(a: float, b: float, bound_a: str = "", bound_b: str = "") -> bool:
    """Whether two figures can both be right.

    ``bound_*`` is how the figure was worded (``facts_details.Quantity.bound``): "" exact,
    "about" approximate, "over" a lower bound ("more than 100"), "under" an upper bound.
    """
    if a == b:
        return True
    low, high = min(a, b), max(a, b)
    if "about" in (bound_a, bound_b) and high - low <= HEDGED_TOLERANCE * high:
        return True
    if high - low <= EXACT_TOLERANCE * high:
        return True
    # "more than 100" agrees with 130; "fewer than 10" agrees with 7.
    for bound, value, other in ((bound_a, a, b), (bound_b, b, a)):
        if (bound == "over" and other >= value) or (bound == "under" and other <= value):
            return True
    return False


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
    group: Sequence[Sentence],
    roots: Sequence[str],
    fact_text: str,
    related: Callable[[int, int], bool] | None = None,
) -> list[Conflict]:
    """Conflicts among the sentences of one fact.

    ``roots[i]`` is the independent source of ``group[i]`` (its document, or the document it
    duplicates); only sentences of different roots are compared, and only pairs for which
    ``related(i, j)`` holds (the caller's stricter same-fact test). Details inside quotation
    marks are left out: a quoted remark ("three investigations in four hours") is not the
    reporter's statement of the fact.
    """
    details = [
        _Details.of(s.text) if len(s.text.split()) >= MIN_STATEMENT_WORDS else _Details([], [], [])
        for s in group
    ]
    found: dict[tuple[str, str], _Builder] = {}
    for i, j in combinations(range(len(group)), 2):
        if roots[i] == roots[j] or (related is not None and not related(i, j)):
            continue
        for kind, slot, left, right in _disagreements(details[i], details[j]):
            builder = found.setdefault((kind, slot), _Builder(kind))
            builder.add(left, group[i])
            builder.add(right, group[j])
    return [Conflict(b.kind, b.values, fact_text) for b in found.values()]


#: One side of a disagreement: (canonical key, surface text) of each value said.
_Said = list[tuple[str, str]]


@dataclass
class _Builder:
    """Collects the values of one conflict, folding spellings of one value under one label."""

    kind: str
    values: dict[str, list[SourceSpan]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)

    def add(self, said: _Said, sentence: Sentence) -> None:
        span = SourceSpan(sentence.doc_id, sentence.start, sentence.end)
        for key, surface in said:
            spans = self.values.setdefault(self.labels.setdefault(key, surface), [])
            if span not in spans:
                spans.append(span)


@dataclass
class _Details:
    quantities: list[Quantity]
    dates: list[DateDetail]
    names: list[NameDetail]

    @classmethod
    def of(cls, text: str) -> _Details:
        quoted = [m.span() for m in _QUOTED.finditer(text)]

        def outside(start: int) -> bool:
            return not any(s <= start < e for s, e in quoted)

        return cls(
            [q for q in find_quantities(text) if outside(q.start)],
            [d for d in find_dates(text) if outside(d.start)],
            [n for n in find_names(text) if outside(n.start)],
        )


_QUOTED = re.compile(r"“[^”]*”|``.*?''|\"[^\"]*\"|‘[^’]*’(?!\w)")


def _disagreements(a: _Details, b: _Details) -> list[tuple[str, str, _Said, _Said]]:
    """(kind, slot, values of a, values of b) for every slot where a and b disagree."""
    out: list[tuple[str, str, _Said, _Said]] = []
    # Sorted: the order of conflicts must not depend on set order (the hash seed).
    for unit in sorted({q.unit for q in a.quantities} & {q.unit for q in b.quantities}):
        qa = [q for q in a.quantities if q.unit == unit]
        qb = [q for q in b.quantities if q.unit == unit]
        if len(qa) > 1 or len(qb) > 1 or any(q.bound == "range" for q in qa + qb):
            continue  # "from 2,500 to 1,800 feet", "two hours; 90 minutes": which is which?
        if qa[0].what and qb[0].what and qa[0].what != qb[0].what:
            continue  # "revenue of $4.2 billion" / "$281 million in fees": two amounts
        low, high = sorted((qa[0].value, qb[0].value))
        if low <= 0 or high / low >= SAME_FIGURE_MAX_RATIO:
            continue  # "$4.2 billion" / "$281 million": not one figure reported two ways
        if not any(values_agree(x.value, y.value, x.bound, y.bound) for x in qa for y in qb):
            out.append(("number", unit, _said_numbers(qa), _said_numbers(qb)))
    for kind in sorted({d.kind for d in a.dates} & {d.kind for d in b.dates}):
        da = [d for d in a.dates if d.kind == kind]
        db = [d for d in b.dates if d.kind == kind]
        if len({d.key for d in da}) > 1 or len({d.key for d in db}) > 1:
            continue  # "for Thursday and Sunday" / "for Wednesday": which is which?
        frames = {d.before for d in da} & {d.before for d in db}
        if frames and not {d.key for d in da} & {d.key for d in db}:
            # Same frame ("on July 9" / "on July 11"), not "the Jan. 29 bombing" / "since Jan. 30".
            out.append(("date", kind, [(d.key, d.text) for d in da], [(d.key, d.text) for d in db]))
    swap = _swapped(a.names, b.names)
    if swap is not None:
        x, y = swap
        slot = "|".join(sorted((place_key(x.text), place_key(y.text))))
        out.append((x.kind, slot, [(place_key(x.text), x.text)], [(place_key(y.text), y.text)]))
    return out


def _said_numbers(quantities: list[Quantity]) -> _Said:
    return [(f"{q.value:g} {q.unit}", q.text) for q in quantities]


def _swapped(
    left: Sequence[NameDetail], right: Sequence[NameDetail]
) -> tuple[NameDetail, NameDetail] | None:
    """The one name of ``left`` replaced by another of ``right`` in the same frame, if any."""
    only_left = [n for n in left if not any(same_name(n.text, m.text) for m in right)]
    only_right = [m for m in right if not any(same_name(m.text, n.text) for n in left)]
    if len(only_left) != 1 or len(only_right) != 1:
        return None
    a, b = only_left[0], only_right[0]
    if a.kind != b.kind or (a.kind == "place" and _level(a.text) != _level(b.text)):
        return None  # "in Khartoum" / "in Sudan": a city and its country can both be right
    if _acronym(a.text) != _acronym(b.text):
        return None  # "Sane" / "the AI": a person and his organisation, not two answers
    if {a.before, a.after, b.before, b.after} & _SPEECH_FRAME or _speech_verb(a.after):
        return None  # who said it (a spokesman or the principal) is not a fact's detail
    same_before = a.before == b.before and a.before not in _WEAK_FRAME
    same_after = a.after == b.after and a.after not in _WEAK_FRAME
    return (a, b) if same_before or same_after else None


def _acronym(name: str) -> bool:
    return name.replace(".", "").isupper()


def _speech_verb(word: str) -> bool:
    """A verb of saying ("accused", "warned", "urged"): the name before it is the source."""
    return bool(CUE_RE.fullmatch(word))


def _level(place: str) -> str:
    """How large a place is: "country", "region" (``REGIONS``) or "city" (anything else)."""
    if place_key(place) in country_names() or place in country_names():
        return "country"
    return "region" if place in REGIONS else "city"


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
