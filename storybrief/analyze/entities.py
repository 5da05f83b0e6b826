"""People, organisations and places, with the many spellings of one name merged.

Coverage of one story by several outlets names the same actor many ways: "Antony Blinken",
"Mr Blinken", "Blinken's", "Secretary of State (Blingen)", "Anthony J. Blingen" from a machine
translation. A reader wants one entry per actor, and wants to know which spellings are likely
wrong. Stages, in order:

1. ``find_mentions`` (``entities_mentions.py``): capitalised runs in every document, split into
   title + name, each with evidence for its type (person / organization / place).
2. Group identical names; merge full person names whose given names and surnames are close
   (string similarity, transliteration folding, a shared role as tie-breaker).
3. Attach bare surnames ("Lavrov", "Mr Kim") to the full name they belong to, preferring a
   full name from the same document.
4. Merge organisation and place spellings (aliases "US"/"United States", "X of Y" = "Y X",
   acronyms = initials of a long name).
5. Decide each entity's type from the summed evidence, its consensus name (the full form most
   mentions agree with) and which variants are likely misspellings of it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process

from storybrief.analyze.entities_lexicon import ORG_CUES, is_demonym, place_key, place_names
from storybrief.analyze.entities_mentions import (
    STRONG,
    DocumentMentions,
    RawMention,
    Vocabulary,
    find_mentions,
)

__all__ = ["Entity", "Mention", "extract_entities"]

ENTITY_TYPES = ("person", "organization", "place")
#: Similarity (difflib ratio) above which two surnames may be one name. 0.8 accepts
#: "Blingen"/"Blinken" (0.86) and rejects "Biden"/"Blinken" (0.67); checked on the examples
#: and on NewsWCL50 development chains.
SURNAME_SIMILARITY = 0.8
#: Looser surname bar when the given names agree ("Anthony Bling" / "Antony Blinken", 0.67):
#: two names sharing a first name and a surname stem in one story are one person.
SURNAME_SIMILARITY_SAME_GIVEN = 0.6
#: Given names this similar are variants ("Sergei"/"Sergey" 0.83, "Antony"/"Anthony" 0.92).
GIVEN_SIMILARITY = 0.75
#: A bare surname merges with a differently spelled lone surname only when this close.
LONE_SURNAME_SIMILARITY = 0.85
#: A family name written alone ("Mr Kim") goes to the full name starting with it only when
#: that person has this many times the mentions of any other full name starting with it.
DOMINANCE = 3
#: Tokens closer than this to the consensus token but not identical are misspellings ("Nate"/
#: "Ned" 0.57, "Blingen"/"Blinken" 0.86);
#: further apart they are different name parts (a middle name), not a misspelling.
MISSPELLING_FLOOR = 0.5
#: Entries kept by the spelling caches (``translit``, ``similarity``). They live as long as
#: the process, so an ingest of many documents would fill a large cache slowly and its memory
#: would grow for thousands of documents (at 65,536 entries they were still filling after
#: 2,000 documents of ``bench/bench_store.py scale``: 37k and 23k entries). 16,384 entries
#: (a few MiB) hold the names of several hundred news pages, so they are full early and
#: memory is then flat; one pile's names rarely reach that many.
SPELLING_CACHE_SIZE = 16384


@dataclass
class Mention:
    """One occurrence: ``text == document_text[start:end]``."""

    doc_id: str
    start: int
    end: int
    text: str


@dataclass
class Entity:
    """One person, organisation or place with every way the input names it."""

    name: str
    type: str
    variants: dict[str, int] = field(default_factory=dict)
    misspellings: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)

    @property
    def documents(self) -> list[str]:
        return sorted({m.doc_id for m in self.mentions})


def extract_entities(
    texts: Sequence[tuple[str, str]], found: Mapping[str, DocumentMentions] | None = None
) -> list[Entity]:
    """texts: (doc_id, text) pairs (reporting text only). Entities sorted by mention count desc.

    ``found``: documents' own mentions by id (``document_mentions`` of the same text, e.g.
    kept in the store), reused where the pile's vocabulary gives them again; the result is
    the same as without."""
    found = found or {}
    own = [found[d].vocab if d in found else Vocabulary.build([text]) for d, text in texts]
    vocab = Vocabulary.union(own)
    raws = [
        m
        for doc_id, text in texts
        for m in (
            found[doc_id].under(doc_id, text, vocab)
            if doc_id in found
            else find_mentions(doc_id, text, vocab)
        )
    ]
    raws = [m for m in raws if m.name and "drop" not in m.evidence]
    groups = _merge(raws)
    entities = [e for e in (_build_entity(g) for g in groups) if e is not None]
    entities.sort(key=lambda e: (-len(e.mentions), e.name))
    return entities


# --- merging ---------------------------------------------------------------------------


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            self.parent[max(ri, rj)] = min(ri, rj)


def _lean(evidence: dict[str, float]) -> str | None:
    best = max(ENTITY_TYPES, key=lambda t: evidence.get(t, 0.0))
    return best if evidence.get(best, 0.0) > 0 else None


def _key(m: RawMention) -> str:
    """Exact-identity key: case-folded name, place aliases folded, "X of Y" read as "Y X"."""
    if m.evidence.get("place", 0.0) >= STRONG:
        return "place:" + place_key(" ".join(m.name)).casefold()
    name = list(m.name)
    if len(name) >= 3 and name[0] in ORG_CUES and name[1] == "of":
        name = [*name[2:], name[0]]
    return " ".join(name).casefold()


def _merge(raws: list[RawMention]) -> list[list[RawMention]]:
    by_key: dict[str, list[RawMention]] = defaultdict(list)
    for m in raws:
        by_key[_key(m)].append(m)
    keys = list(by_key)
    index = {k: i for i, k in enumerate(keys)}
    uf = _UnionFind(len(keys))
    evidence = {k: _sum_evidence(by_key[k]) for k in keys}
    lean = {k: _lean(evidence[k]) for k in keys}
    names = {k: by_key[k][0].name for k in keys}

    persons = [k for k in keys if lean[k] in ("person", None) and not k.startswith("place:")]
    full = [k for k in persons if len(names[k]) >= 2]
    for a, b in _person_candidates(full, names):
        if _same_person(names[a], names[b], by_key[a], by_key[b]):
            uf.union(index[a], index[b])
    _attach_surnames(by_key, persons, full, names, evidence, index, uf)
    _merge_organisations(keys, names, lean, index, uf, by_key)

    clusters: dict[int, list[RawMention]] = defaultdict(list)
    for k in keys:
        clusters[uf.find(index[k])].extend(by_key[k])
    return list(clusters.values())


class _CloseWords:
    """The words of a list that are at least ``cutoff`` similar to a query (``similarity``):
    found by rapidfuzz's C++ scan, with spelling-folded equals from a dict, so merging names
    never compares every pair of names in Python."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = sorted({w.casefold() for w in words})
        self.folded: dict[str, list[str]] = defaultdict(list)
        for word in self.words:
            self.folded[translit(word)].append(word)

    def find(self, word: str, cutoff: float) -> set[str]:
        query = word.casefold()
        found = set(self.folded.get(translit(query), ()))
        # A hair under the cutoff, then the exact test: rapidfuzz scores in percent.
        scan = process.extract(query, self.words, scorer=fuzz.ratio, limit=None,
                               score_cutoff=cutoff * 100.0 - 1e-6)
        found.update(match for match, _, _ in scan)
        return {w for w in found if similarity(query, w) >= cutoff}


def _person_candidates(full: list[str], names: dict[str, tuple[str, ...]]) -> list[tuple[str, str]]:
    """Pairs of full names that :func:`_same_person` may accept, in the order of ``full``:
    every way it accepts needs surnames at least ``SURNAME_SIMILARITY_SAME_GIVEN`` similar,
    or the same squashed name."""
    position = {k: i for i, k in enumerate(full)}
    by_surname: dict[str, list[str]] = defaultdict(list)
    by_squash: dict[str, list[str]] = defaultdict(list)
    for k in full:
        by_surname[names[k][-1].casefold()].append(k)
        by_squash[_squash(names[k])].append(k)
    close = _CloseWords(by_surname)
    pairs: set[tuple[str, str]] = set()
    for surname, keys in by_surname.items():
        others = [o for s in close.find(surname, SURNAME_SIMILARITY_SAME_GIVEN) for o in by_surname[s]]
        pairs.update((a, b) for a in keys for b in others if position[a] < position[b])
    for keys in by_squash.values():
        pairs.update((a, b) for a in keys for b in keys if position[a] < position[b])
    return sorted(pairs, key=lambda pair: (position[pair[0]], position[pair[1]]))


def _sum_evidence(mentions: list[RawMention]) -> dict[str, float]:
    total: dict[str, float] = defaultdict(float)
    for m in mentions:
        for kind, weight in m.evidence.items():
            total[kind] += weight
    return dict(total)


@lru_cache(maxsize=SPELLING_CACHE_SIZE)
def translit(word: str) -> str:
    """Fold spelling differences of transliteration: Sergei/Sergey, Antony/Anthony."""
    word = unicodedata.normalize("NFKD", word.casefold())
    word = "".join(c for c in word if c.isalnum())
    for a, b in (("ph", "f"), ("th", "t"), ("kh", "h"), ("ck", "k"), ("y", "i"), ("w", "v"),
                 ("j", "i"), ("ou", "u")):
        word = word.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", word)


@lru_cache(maxsize=SPELLING_CACHE_SIZE)
def similarity(a: str, b: str) -> float:
    a, b = a.casefold(), b.casefold()
    if a == b or translit(a) == translit(b):
        return 1.0
    # Normalised Indel similarity: the same quantity as difflib's ratio, computed in C++.
    return float(fuzz.ratio(a, b)) / 100.0


def _squash(name: tuple[str, ...]) -> str:
    return translit("".join(name))


def _roles(mentions: list[RawMention]) -> set[str]:
    return {_role_key(r) for m in mentions for r in m.roles}


def _role_key(role: str) -> str:
    words = [w for w in re.findall(r"[\w.]+", role) if not is_demonym(w) and w not in place_names()]
    return " ".join(w.casefold() for w in words if w.casefold() not in {"the", "a", "an", "of"})


def _same_person(
    a: tuple[str, ...], b: tuple[str, ...], ma: list[RawMention], mb: list[RawMention]
) -> bool:
    """Whether two full names (two or more words) name one person."""
    if _squash(a) == _squash(b):
        return True
    given = similarity(a[0], b[0])
    surname = similarity(a[-1], b[-1])
    if given >= GIVEN_SIMILARITY:
        if surname >= SURNAME_SIMILARITY:
            return True
        stem = min(len(a[-1]), len(b[-1]), 4)
        if surname >= SURNAME_SIMILARITY_SAME_GIVEN and a[-1][:stem] == b[-1][:stem]:
            return True
    if surname == 1.0 and a[0][:1].casefold() == b[0][:1].casefold():
        return True  # "Ned Price" / "Nate Price": same surname and initial
    return surname >= SURNAME_SIMILARITY and bool(_roles(ma) & _roles(mb))


def _attach_surnames(
    by_key: dict[str, list[RawMention]], persons: list[str], full: list[str],
    names: dict[str, tuple[str, ...]], evidence: dict[str, dict[str, float]],
    index: dict[str, int], uf: _UnionFind,
) -> None:
    """Join one-word names ("Lavrov", "Mr Kim") to the full name they shorten, per document."""
    singles = [k for k in persons if len(names[k]) == 1]
    full_docs = {k: Counter(m.doc_id for m in by_key[k]) for k in full}
    # Full names by (spelling-folded) surname and given name, in the order of ``full``.
    by_last: dict[str, list[str]] = defaultdict(list)
    by_first: dict[str, list[str]] = defaultdict(list)
    by_surname: dict[str, list[str]] = defaultdict(list)
    for f in full:
        by_last[translit(names[f][-1])].append(f)
        by_first[translit(names[f][0])].append(f)
        by_surname[names[f][-1].casefold()].append(f)
    close = _CloseWords(by_surname)
    position = {f: i for i, f in enumerate(full)}
    for k in singles:
        word = names[k][0]
        if word.isupper() and len(word) <= 6 and not evidence[k].get("person"):
            continue  # acronyms are organisations, not surnames
        exact = list(by_last.get(translit(word), ()))
        if not exact:  # family name first ("Kim Jong Un" / "Mr Kim"), if unambiguous
            exact = _dominant(list(by_first.get(translit(word), ())), by_key, index, uf)
        candidates = exact or sorted(
            (f for s in close.find(word, SURNAME_SIMILARITY) for f in by_surname[s]),
            key=position.__getitem__,
        )
        if not candidates:
            continue
        per_doc: dict[str, list[RawMention]] = defaultdict(list)
        for m in by_key[k]:
            per_doc[m.doc_id].append(m)
        totals = {f: sum(full_docs[f].values()) for f in candidates}
        # The candidate seen in the same document wins; else the most mentioned one.
        target_roots = set()
        for doc in per_doc:
            best = max(candidates, key=lambda f: (full_docs[f][doc], totals[f], -index[f]))
            target_roots.add(uf.find(index[best]))
        if len(target_roots) == 1:
            uf.union(index[k], target_roots.pop())
        else:
            best = max(candidates, key=lambda f: (totals[f], -index[f]))
            uf.union(index[k], index[best])
    lone = [k for k in singles if uf.find(index[k]) == index[k]]
    by_word: dict[str, list[str]] = defaultdict(list)
    for k in lone:
        by_word[names[k][0].casefold()].append(k)
    close_lone = _CloseWords(by_word)
    for word, keys in by_word.items():
        for other in close_lone.find(word, LONE_SURNAME_SIMILARITY):
            for a in keys:
                for b in by_word[other]:
                    uf.union(index[a], index[b])


def _dominant(
    keys: list[str], by_key: dict[str, list[RawMention]], index: dict[str, int], uf: _UnionFind
) -> list[str]:
    """The keys of the one full-name entity that clearly dominates, else none."""
    sizes: Counter[int] = Counter()
    for k in keys:
        sizes[uf.find(index[k])] += len(by_key[k])
    ranked = sizes.most_common()
    if not ranked or (len(ranked) > 1 and ranked[0][1] < DOMINANCE * ranked[1][1]):
        return []
    return [k for k in keys if uf.find(index[k]) == ranked[0][0]]


def _merge_organisations(
    keys: list[str], names: dict[str, tuple[str, ...]], lean: dict[str, str | None],
    index: dict[str, int], uf: _UnionFind, by_key: dict[str, list[RawMention]],
) -> None:
    """Acronyms join the long name whose initials they spell ("FBI" = "Federal Bureau of ...")."""
    orgs = [k for k in keys if lean[k] == "organization"]
    acronyms = {k: names[k][0].replace(".", "").casefold() for k in orgs
                if len(names[k]) == 1 and names[k][0].replace(".", "").isupper()}
    spelled: dict[str, list[str]] = defaultdict(list)
    for a, letters in acronyms.items():
        spelled[letters].append(a)
    for k in orgs:
        if len(names[k]) < 2:
            continue
        qualifier = by_key[k][0].qualifier or ""
        initials = "".join(w[0] for w in names[k] if w not in {"of", "and", "the", "for"})
        for letters in {initials.casefold(), (qualifier[:1] + initials).casefold()}:
            for a in spelled.get(letters, ()):
                uf.union(index[a], index[k])


# --- building the result ----------------------------------------------------------------


def _build_entity(mentions: list[RawMention]) -> Entity | None:
    evidence = _sum_evidence(mentions)
    kind = _lean(evidence)
    if kind is None:
        return None
    mentions = sorted(mentions, key=lambda m: (m.doc_id, m.start))
    name_tokens = _consensus(mentions, kind)
    display = _display(mentions, name_tokens)
    variants = Counter(m.text for m in mentions)
    variant_names = {m.text: m.name for m in mentions}
    misspelt = sorted(
        v for v in variants
        if place_key(" ".join(variant_names[v])) != place_key(" ".join(name_tokens))
        and _is_misspelling(variant_names[v], name_tokens)
    )
    roles = Counter(r for m in mentions for r in m.roles)
    return Entity(
        name=display,
        type=kind,
        variants=dict(variants.most_common()),
        misspellings=misspelt,
        mentions=[Mention(m.doc_id, m.start, m.end, m.text) for m in mentions],
        roles=[r for r, _ in roles.most_common()],
    )


def _consensus(mentions: list[RawMention], kind: str) -> tuple[str, ...]:
    """The full form most mentions agree with, word by word (so one outlet's misspelling,
    however often repeated, loses to the spelling the other outlets use)."""
    forms = Counter(m.name for m in mentions)
    candidates = [f for f in forms if len(f) >= 2] if kind == "person" else list(forms)
    if not candidates:
        candidates = list(forms)
    words = Counter(w.casefold() for m in mentions for w in m.name)
    docs = Counter(w for _, w in {(m.doc_id, w.casefold()) for m in mentions for w in m.name})

    def score(form: tuple[str, ...]) -> tuple[float, int, int]:
        support = sum(words[w.casefold()] + docs[w.casefold()] for w in form) / len(form)
        return (support, forms[form], len(form))

    return max(candidates, key=score)


def _display(mentions: list[RawMention], tokens: tuple[str, ...]) -> str:
    texts = Counter(m.text for m in mentions if m.name == tokens and not m.honorific)
    if texts:
        return texts.most_common(1)[0][0]
    return " ".join(tokens)


def _is_misspelling(variant: tuple[str, ...], consensus: tuple[str, ...]) -> bool:
    """A variant word close to, but not a spelling variant of, a consensus word."""
    for word in variant:
        best = max((similarity(word, c) for c in consensus), default=0.0)
        if MISSPELLING_FLOOR <= best < 1.0:
            return True
    return False
