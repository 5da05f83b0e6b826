"""The same quote carried by several documents: normalised text match or high overlap."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol, TypeVar

__all__ = ["MERGE_CONTAINMENT", "merge_quotes", "normalize_quote"]

#: Two quotes whose normalised word 3-grams overlap this much (share of the shorter quote's
#: 3-grams) are the same quote in ``merge_quotes``; 0.8 lets outlets trim a clause or two.
MERGE_CONTAINMENT = 0.8


class _HasText(Protocol):
    @property
    def text(self) -> str: ...


Q = TypeVar("Q", bound=_HasText)


def normalize_quote(text: str) -> str:
    """Lowercase words only: what stays the same when outlets restyle a quote."""
    return " ".join(re.findall(r"\w+", text.lower().replace("’", "'")))


def merge_quotes(quotes: Sequence[Q]) -> list[list[Q]]:
    """Groups of the same quote carried by several documents (normalised text match or high
    overlap), in order of first appearance; every quote is in exactly one group.

    Overlap is the share of the shorter quote's word 3-grams found in the longer one, so an
    outlet that trims a quote still joins the group (``MERGE_CONTAINMENT``).
    """
    norms = [normalize_quote(q.text) for q in quotes]
    grams = [_trigrams(n) for n in norms]
    parent = list(range(len(quotes)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_norm: dict[str, int] = {}
    for i, n in enumerate(norms):
        if n in by_norm:
            parent[find(i)] = find(by_norm[n])
        else:
            by_norm[n] = i
    # Only quotes sharing a 3-gram can overlap: candidates come from an index of 3-grams.
    holders: dict[tuple[str, ...], list[int]] = {}
    for i, gram_set in enumerate(grams):
        for gram in gram_set:
            holders.setdefault(gram, []).append(i)
    for i in range(len(quotes)):
        later = {j for gram in grams[i] for j in holders[gram] if j > i}
        for j in sorted(later):
            if find(i) == find(j):
                continue
            small = min(len(grams[i]), len(grams[j]))
            if len(grams[i] & grams[j]) / small >= MERGE_CONTAINMENT:
                parent[find(j)] = find(i)
    groups: dict[int, list[Q]] = {}
    for i, q in enumerate(quotes):
        groups.setdefault(find(i), []).append(q)
    return list(groups.values())


def _trigrams(norm: str) -> set[tuple[str, ...]]:
    words = norm.split()
    if len(words) < 3:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}
