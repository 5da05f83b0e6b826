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
from collections.abc import Sequence

import numpy as np

from storybrief.terms import STOP_WORDS, content_terms, tokens

__all__ = ["STORY_DISTANCE", "cluster_stories", "story_vectors"]

#: Cosine distance at which average-link clustering stops merging (similarity 0.15). A round
#: value checked on ECB+ validation (``bench/bench_stories.py --sweep``), B-cubed F1 with
#: name weight 2: 0.875 at 0.8 (stories split, precision 1.0), 0.939 at 0.85, 0.887 at 0.9
#: (same-kind stories, e.g. two different arrests, start to merge: 5 of 13 pairs).
STORY_DISTANCE = 0.85
#: From this many documents the clustering is scipy's (O(n^2) nearest-neighbour chain);
#: below it a small numpy loop does the same in microseconds without scipy's ~0.3 s import.
SCIPY_MIN_DOCUMENTS = 60

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
    ids = [doc_id for doc_id, _ in docs]
    if len(ids) <= 1:
        return [ids] if ids else []
    vectors = story_vectors([text for _, text in docs], names=names)
    distances = 1.0 - np.clip(vectors @ vectors.T, 0.0, 1.0)
    if len(ids) < SCIPY_MIN_DOCUMENTS:
        labels = _average_link(distances, distance)
    else:
        from scipy.cluster.hierarchy import fcluster, linkage

        condensed = distances[np.triu_indices(len(ids), k=1)]
        labels = fcluster(linkage(condensed, method="average"), t=distance, criterion="distance")
    groups: dict[int, list[str]] = {}
    for doc_id, label in zip(ids, labels, strict=True):
        groups.setdefault(int(label), []).append(doc_id)
    return list(groups.values())  # dict order = order of each group's first document


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
    bags = [_bag(text, names) for text in texts]
    df: Counter[str] = Counter()
    for bag in bags:
        df.update(bag.keys())
    vocab = {term: i for i, term in enumerate(sorted(df))}
    n = len(texts)
    matrix = np.zeros((n, len(vocab)))
    for row, bag in enumerate(bags):
        for term, count in bag.items():
            idf = math.log((1 + n) / (1 + df[term])) + 1.0
            boost = NAME_WEIGHT if term[0] in "@#" else 1.0
            matrix[row, vocab[term]] = (1.0 + math.log(count)) * idf * boost
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0.0] = 1.0
    return matrix / norms


def _bag(text: str, names: bool) -> Counter[str]:
    bag = Counter(term for term in content_terms(tokens(text)) if not term.isdigit())
    if names:
        bag.update(_names(text))
        bag.update("#" + m.group().replace(",", "") for m in _NUMBER.finditer(text))
    return bag


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
