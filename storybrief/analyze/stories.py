"""Group documents into stories: one real-world happening (and its coverage) per group.

A crawl about "the news" mixes stories, and worse, stories *of the same kind*: two different
arrests, two earthquakes, two ship seizures share most of their vocabulary. What tells them
apart is the specific: names, places, numbers. So, in order:

1. Each document becomes a TF-IDF vector of its content words (lower-cased, plural-stemmed,
   sublinear term frequency, smoothed IDF over the input itself) plus *name tokens*: every
   capitalised run ("Indian Navy", "Gulf of Aden") and every number is added again as one
   extra token weighted ``NAME_WEIGHT`` times, so a shared specific name or figure weighs
   more than a shared common word.
2. Average-link agglomerative clustering on cosine distance (``scipy.cluster.hierarchy``
   for large runs, an equivalent numpy loop for small ones),
   cut at ``STORY_DISTANCE``: two groups merge while their documents are, on average, at
   least ``1 - STORY_DISTANCE`` similar.
3. Large runs (``SCIPY_MIN_DOCUMENTS`` or more) are not compared all pairs with all pairs.
   Two groups can only merge if some pair of their documents is at least ``1 -
   STORY_DISTANCE`` similar (an average reaches the bar only if one member does), so the
   connected components of the graph of such pairs block the clustering: step 2 runs inside
   each component and gives the partition it would give over the whole run. The pairs are
   found through an inverted index: each document is a candidate neighbour of the documents
   that hold one of its ``INDEX_TERMS`` heaviest terms, and only candidates are compared.

Why not scikit-learn's ``TfidfVectorizer``: importing it costs about 1 s, half the budget of a
25-article brief. The vectors are built in plain Python; scipy (~0.3 s to import) is only
loaded for runs of ``SCIPY_MIN_DOCUMENTS`` or more.
IDF is computed over the input, so it needs no bundled corpus; smoothing keeps a term that
every document shares worth something, so a small pile about one story stays one story.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from storybrief.terms import STOP_WORDS, content_terms, tokens

__all__ = [
    "STORY_DISTANCE",
    "cluster_stories",
    "cluster_vectors",
    "cluster_weighted",
    "story_vectors",
    "weighted_terms",
]

#: Cosine distance at which average-link clustering stops merging (similarity 0.15). A round
#: value checked on ECB+ validation (``bench/bench_stories.py --sweep``), B-cubed F1 with
#: name weight 2: 0.875 at 0.8 (stories split, precision 1.0), 0.939 at 0.85, 0.887 at 0.9
#: (same-kind stories, e.g. two different arrests, start to merge: 5 of 13 pairs).
STORY_DISTANCE = 0.85
#: From this many documents the clustering is blocked (step 3) and scipy's (O(k^2)
#: nearest-neighbour chain inside a block of k documents); below it a small numpy loop over
#: all pairs does the same in microseconds without scipy's ~0.3 s import.
SCIPY_MIN_DOCUMENTS = 60
#: How many of a document's heaviest terms index it (step 3). Two documents at the story bar
#: nearly always share one of them: of the pairs at cosine >= 0.15, the 20 heaviest terms of
#: one document met the other document's terms in all of them on ECB+ validation (1,775
#: pairs) and on a 1,000-article mixed pile of the eval data (2,646 pairs; bench_scaling),
#: 10 missed 23 and 8, 5 missed 151 and 61. The candidates are then about a quarter of all
#: pairs at 1,000 documents, and fewer as the pile grows (heavy terms are rare ones).
INDEX_TERMS = 20
#: Pairs this little under the similarity bar are kept as candidates, so that a pair exactly
#: at the bar is not lost to floating-point rounding of the sparse products.
PAIR_SLACK = 1e-9

#: Extra weight of name and number tokens over common words. Names and figures are what
#: tells two stories of one kind apart; on ECB+ validation at distance 0.85, weights 1 / 1.5 /
#: 2 / 3 gave B-cubed F1 0.891 / 0.915 / 0.939 / 0.905 and merged 4 / 3 / 2 / 2 of 13
#: same-kind story pairs. 2 is the round middle.
NAME_WEIGHT = 2.0

#: A capitalised run of words ("Gulf of Aden", "INS Mysore"), linking lower-case "of"/"de".
_NAME_RUN = re.compile(r"\b[A-Z][\w'’.-]*(?:\s+(?:(?:of|de|al|the|and)\s+)?[A-Z][\w'’.-]*)*")
#: A figure that identifies a happening: casualty counts, magnitudes, years ("23", "6.1").
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)?(?![\w.])")
#: Sentence openers: a capitalised word after one of these may be an ordinary word.
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”]\s*|\n)\s*$")


def cluster_stories(
    docs: Sequence[tuple[str, str]], distance: float = STORY_DISTANCE, names: bool = True
) -> list[list[str]]:
    """Group ``(doc_id, reporting_text)`` pairs into stories.

    Returns groups of doc ids, each group in input order and the groups ordered by their first
    document. Deterministic: the result depends only on the texts and their order. ``names``
    switches the extra name/number tokens off (for the benchmark's plain TF-IDF baseline).
    """
    return cluster_weighted(
        [(doc_id, weighted_terms(text, names)) for doc_id, text in docs], distance
    )


def cluster_weighted(
    docs: Sequence[tuple[str, Mapping[str, float]]], distance: float = STORY_DISTANCE
) -> list[list[str]]:
    """:func:`cluster_stories` of documents given as their :func:`weighted_terms` (computed
    once where the page was prepared: the store's writer does not tokenise pages again)."""
    ids = [doc_id for doc_id, _ in docs]
    if len(ids) <= 1:
        return [ids] if ids else []
    rows, cols, values, shape = _tfidf([terms for _, terms in docs])
    if len(ids) < SCIPY_MIN_DOCUMENTS:
        vectors = _unit_rows(rows, cols, values, shape)
        labels = _average_link(1.0 - np.clip(vectors @ vectors.T, 0.0, 1.0), distance)
    else:
        labels = _blocked_average_link(_sparse_unit_rows(rows, cols, values, shape), distance)
    groups: dict[int, list[str]] = {}
    for doc_id, label in zip(ids, labels, strict=True):
        groups.setdefault(int(label), []).append(doc_id)
    return list(groups.values())  # dict order = order of each group's first document


def cluster_vectors(vectors: Any, distance: float = STORY_DISTANCE) -> list[int]:
    """Cluster labels of unit rows (a scipy CSR matrix) by the clustering ``cluster_stories``
    runs (steps 2-3), for callers that weight terms themselves (the store's IDF)."""
    if vectors.shape[0] < SCIPY_MIN_DOCUMENTS:
        dense = vectors.toarray()
        return _average_link(1.0 - np.clip(dense @ dense.T, 0.0, 1.0), distance)
    return _blocked_average_link(vectors, distance)


def _average_link(distances: np.ndarray, threshold: float) -> list[int]:
    """Flat average-link clusters: merge the closest pair while its distance <= threshold.

    Lance-Williams update for average linkage; O(n^3) but only used below
    ``SCIPY_MIN_DOCUMENTS``. Average linkage never inverts, so this gives the same partition
    as scipy's ``fcluster(linkage(..., "average"), t, "distance")``.
    """
    d = distances.astype(float).copy()
    np.fill_diagonal(d, np.inf)
    size = np.ones(len(d))
    label = list(range(len(d)))
    alive = np.ones(len(d), dtype=bool)
    while alive.sum() > 1:
        masked = np.where(alive[:, None] & alive[None, :], d, np.inf)
        a, b = divmod(int(np.argmin(masked)), len(d))
        if masked[a, b] > threshold:
            break
        merged = (size[a] * d[a] + size[b] * d[b]) / (size[a] + size[b])
        d[a], d[:, a] = merged, merged
        d[a, a] = np.inf
        size[a] += size[b]
        alive[b] = False
        label = [a if x == b else x for x in label]
    return label


def story_vectors(texts: Sequence[str], names: bool = True) -> np.ndarray:
    """L2-normalised TF-IDF rows (one per text) over content words and, optionally, names."""
    return _unit_rows(*_tfidf([weighted_terms(text, names) for text in texts]))


def weighted_terms(text: str, names: bool = True) -> dict[str, float]:
    """A page's story terms before IDF: sublinear term frequency (1 + log count), names and
    figures (``@name``, ``#figure`` tokens) weighted up by ``NAME_WEIGHT``."""
    return {
        term: (1.0 + math.log(count)) * (NAME_WEIGHT if term[0] in "@#" else 1.0)
        for term, count in _bag(text, names).items()
    }


_Triples = tuple[list[int], list[int], list[float], tuple[int, int]]


def _tfidf(bags: Sequence[Mapping[str, float]]) -> _Triples:
    """The TF-IDF weights of :func:`story_vectors` as (row, column, value) triples."""
    df: Counter[str] = Counter()
    for bag in bags:
        df.update(bag.keys())
    vocab = {term: i for i, term in enumerate(sorted(df))}
    n = len(bags)
    idf = {term: math.log((1 + n) / (1 + count)) + 1.0 for term, count in df.items()}
    rows: list[int] = []
    cols: list[int] = []
    values: list[float] = []
    for row, bag in enumerate(bags):
        rows.extend([row] * len(bag))
        cols.extend([vocab[term] for term in bag])
        values.extend([weight * idf[term] for term, weight in bag.items()])
    return rows, cols, values, (n, len(vocab))


def _unit_rows(
    rows: list[int], cols: list[int], values: list[float], shape: tuple[int, int]
) -> np.ndarray:
    matrix = np.zeros(shape)
    matrix[rows, cols] = values
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0.0] = 1.0
    return matrix / norms


def _sparse_unit_rows(
    rows: list[int], cols: list[int], values: list[float], shape: tuple[int, int]
) -> Any:
    """:func:`_unit_rows` as a scipy CSR matrix (a dense one would take n x vocabulary)."""
    from scipy.sparse import csr_matrix, diags

    matrix = csr_matrix((values, (rows, cols)), shape=shape)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0.0] = 1.0
    return csr_matrix(diags(1.0 / norms) @ matrix)


def _blocked_average_link(vectors: Any, threshold: float) -> list[int]:
    """Step 3: average link inside each connected component of the similar-pairs graph."""
    n = vectors.shape[0]
    first, second = _similar_pairs(vectors, 1.0 - threshold)
    labels = list(range(n))
    for members in _components(n, first.tolist(), second.tolist()):
        if len(members) < 2:
            continue
        block = vectors[members]
        distances = 1.0 - np.clip((block @ block.T).toarray(), 0.0, 1.0)
        np.fill_diagonal(distances, 0.0)
        if len(members) < SCIPY_MIN_DOCUMENTS:
            found = _average_link(distances, threshold)
        else:
            # Imported here: ~0.2 s that a batch without a large block never pays.
            from scipy.cluster.hierarchy import fcluster, linkage

            condensed = distances[np.triu_indices(len(members), k=1)]
            found = [int(x) for x in fcluster(linkage(condensed, "average"), t=threshold,
                                              criterion="distance")]
        for member, label in zip(members, found, strict=True):
            labels[member] = n + members[0] * n + label  # unique per component and cluster
    return labels


def _components(n: int, first: list[int], second: list[int]) -> list[list[int]]:
    """Connected components of the graph of ``n`` nodes and edges ``first[k]``-``second[k]``,
    each in node order, ordered by their first node (union-find: scipy's ``csgraph`` costs
    ~0.3 s to import for what a few microseconds do here)."""
    parent = list(range(n))

    def root(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in zip(first, second, strict=True):
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for node in range(n):
        groups.setdefault(root(node), []).append(node)
    return list(groups.values())


def _row_counts(keep: np.ndarray, vectors: Any) -> np.ndarray:
    """How many kept entries each CSR row has."""
    rows = np.repeat(np.arange(vectors.shape[0]), np.diff(vectors.indptr))
    return np.bincount(rows[keep], minlength=vectors.shape[0])


def _similar_pairs(vectors: Any, bar: float) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i < j) of unit rows with cosine >= ``bar``, through an inverted index (step 3).

    Candidates of a row are the rows that hold one of its ``INDEX_TERMS`` heaviest terms
    or whose heaviest terms it holds; their exact cosines decide.
    """
    from scipy.sparse import csr_matrix

    bar -= PAIR_SLACK
    keep = np.zeros(len(vectors.data), dtype=bool)
    for row in range(vectors.shape[0]):
        lo, hi = vectors.indptr[row], vectors.indptr[row + 1]
        heaviest = np.argsort(-vectors.data[lo:hi], kind="stable")[:INDEX_TERMS]
        keep[lo + heaviest] = True
    top = csr_matrix(
        (vectors.data[keep], vectors.indices[keep], np.r_[0, np.cumsum(_row_counts(keep, vectors))]),
        shape=vectors.shape,
    )
    product = top @ vectors.T
    candidates = (product + product.T).tocsr()  # either one's heavy terms in the other
    first: list[np.ndarray] = []
    second: list[np.ndarray] = []
    for row in range(vectors.shape[0]):
        others = candidates.indices[candidates.indptr[row] : candidates.indptr[row + 1]]
        others = others[others > row]
        if len(others):
            dots = np.asarray((vectors[others] @ vectors[row].T).toarray()).ravel()
            close = others[dots >= bar]
            first.append(np.full(len(close), row))
            second.append(close)
    if not first:
        return np.zeros(0, dtype=int), np.zeros(0, dtype=int)
    return np.concatenate(first), np.concatenate(second)


def _bag(text: str, names: bool) -> Counter[str]:
    return Counter(dict(_cached_bag(text, names)))


@lru_cache(maxsize=128)
def _cached_bag(text: str, names: bool) -> tuple[tuple[str, int], ...]:
    """The bag of a page, cached for the few pages in flight: an ingest builds each page's
    bag when it prepares it and again when it clusters its batch (``BATCH_SIZE`` pages)."""
    bag = Counter(term for term in content_terms(tokens(text)) if not term.isdigit())
    if names:
        bag.update(_names(text))
        bag.update("#" + m.group().replace(",", "") for m in _NUMBER.finditer(text))
    return tuple(bag.items())


def _names(text: str) -> list[str]:
    """Capitalised runs as ``@name`` tokens. A lone capitalised word opening a sentence is
    skipped ("Police", "The" there are ordinary words), as is a lone stop word."""
    found = []
    for match in _NAME_RUN.finditer(text):
        run = match.group().rstrip(".'’-")
        words = run.split()
        opening = _SENTENCE_START.search(text[max(0, match.start() - 4) : match.start()])
        if len(words) == 1 and opening:
            continue
        if len(words) == 1 and run.lower() in STOP_WORDS:
            continue
        found.append("@" + run.lower())
    return found
