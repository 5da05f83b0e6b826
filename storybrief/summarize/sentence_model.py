"""Learned sentence prior: how much of a candidate sentence a human summary would say.

Each candidate sentence of a pile gets a few features the summarizer already has (position in
its document, length, the document-count weight of its concepts, TF-IDF centrality, title and
focus overlap, anaphor / quote / number flags, share of its concepts in earlier reporting) and
a log-linear score ``coef · standardised features``. Trained by
``scripts/train_sentence_prior.py`` (Poisson regression of the reference bigrams a sentence
contains, per bigram, on DUC 2007 dev clusters, cross-validated grouped by topic); evaluated
here in plain Python from ``sentence_prior.json``.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from storybrief.summarize import scoring
from storybrief.summarize.concept_model import capitalised_terms
from storybrief.summarize.standalone import context_opening

__all__ = ["FEATURES", "Model", "load", "sentence_features", "use"]

DEFAULT_PATH = Path(__file__).with_name("sentence_prior.json")

#: Concepts of at least this many documents are "shared" (feature ``shared``); the
#: summarizer's ``MIN_CONCEPT_DOCS``.
SHARED_DOCS = 3

FEATURES = (
    "inv_pos",  # 1 / (1 + position in document)
    "first",  # the document's first sentence
    "rel_pos",  # position / sentences of the document
    "log_words",
    "cover",  # concept weight (/ the pile's largest) per sqrt(word): the greedy's first score
    "density",  # concept weight per word
    "df_mean",  # mean share of documents using its concepts
    "shared",  # share of its concepts used by >= SHARED_DOCS documents
    "central",  # TF-IDF cosine with the centroid of all candidates
    "doc_central",  # the same for its document's centroid
    "title_all",  # mean share of titles using its content terms
    "title_own",  # share of its content terms in its own document's title
    "focus",  # share of the focus's specificity it carries
    "anaphor",  # opens on what came before (standalone.context_opening)
    "quote",  # holds a quotation mark
    "said",  # an attribution verb: said, says, told
    "digit",
    "capital",  # share of its words capitalised inside the sentence
    "background",  # share of its concepts in the earlier reporting (update brief)
)

_QUOTES = ('"', "``", "''", "“", "”")
_SAID = frozenset({"said", "says", "told", "say"})


class CandidateLike(Protocol):
    doc_index: int
    position: int
    text: str
    words: int
    terms: list[str]
    concepts: set[str]
    vector: dict[str, float]


def _centroid(vectors: Sequence[Mapping[str, float]]) -> dict[str, float]:
    total: dict[str, float] = defaultdict(float)
    for vector in vectors:
        for term, value in vector.items():
            total[term] += value
    norm = math.sqrt(math.fsum(v * v for v in total.values()))
    return {t: v / norm for t, v in total.items()} if norm else {}


def sentence_features(
    candidates: Sequence[CandidateLike],
    weights: Mapping[str, float],
    titles: Sequence[Collection[str]] = (),
    specificity: Mapping[str, float] | None = None,
    background: Sequence[Collection[str]] = (),
) -> list[list[float]]:
    """Feature vector (``FEATURES`` order) of every candidate, in order. ``titles``: content
    terms of each document's title (by ``doc_index``); ``specificity``: of the focus terms."""
    users: dict[str, set[int]] = defaultdict(set)
    doc_length: dict[int, int] = defaultdict(int)
    for cand in candidates:
        doc_length[cand.doc_index] = max(doc_length[cand.doc_index], cand.position + 1)
        for concept in cand.concepts:
            users[concept].add(cand.doc_index)
    base = max(doc_length, default=0) + 1
    earlier: set[str] = set()
    for number, concepts in enumerate(background, start=base):
        for concept in users.keys() & concepts:
            users[concept].add(number)
        earlier.update(concepts)
    units = len(doc_length) + len(background) or 1
    top = max(weights.values(), default=0.0) or 1.0
    centroid = _centroid([c.vector for c in candidates])
    by_doc: dict[int, list[dict[str, float]]] = defaultdict(list)
    for cand in candidates:
        by_doc[cand.doc_index].append(cand.vector)
    doc_central = {
        doc: scoring.cosine(_centroid(vectors), centroid) for doc, vectors in by_doc.items()
    }
    title_sets = [set(t) for t in titles]
    title_share: dict[str, float] = defaultdict(float)
    for terms in title_sets:
        for term in terms:
            title_share[term] += 1 / len(title_sets)
    spec = specificity or {}
    spec_total = math.fsum(spec.values())
    out: list[list[float]] = []
    for cand in candidates:
        concepts = cand.concepts
        n_concepts = len(concepts) or 1
        weight = math.fsum(weights.get(c, 0.0) for c in concepts) / top
        dfs = [len(users[c]) for c in concepts]
        terms = set(cand.terms)
        n_terms = len(terms) or 1
        own = title_sets[cand.doc_index] if cand.doc_index < len(title_sets) else set()
        raw = cand.text.split()
        out.append(
            [
                1 / (1 + cand.position),
                float(cand.position == 0),
                cand.position / doc_length[cand.doc_index],
                math.log(cand.words),
                weight / math.sqrt(cand.words),
                weight / cand.words,
                sum(dfs) / n_concepts / units,
                sum(d >= SHARED_DOCS for d in dfs) / n_concepts,
                scoring.cosine(cand.vector, centroid),
                doc_central[cand.doc_index],
                math.fsum(title_share.get(t, 0.0) for t in terms) / n_terms,
                len(terms & own) / n_terms,
                math.fsum(spec.get(t, 0.0) for t in terms) / spec_total if spec_total else 0.0,
                float(context_opening(cand.text)),
                float(any(q in cand.text for q in _QUOTES)),
                float(any(w.strip(",.") in _SAID for w in raw)),
                float(any(ch.isdigit() for ch in cand.text)),
                len(capitalised_terms(cand.text)) / len(raw),
                len(concepts & earlier) / n_concepts if earlier else 0.0,
            ]
        )
    return out


@dataclass(frozen=True)
class Model:
    """Log-linear score: ``coef · (features - mean) / scale``; a sentence's prior is multiplied
    by ``exp(strength * score)``."""

    coef: tuple[float, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]

    def score(self, features: Sequence[float]) -> float:
        return math.fsum(
            c * (x - m) / s
            for x, c, m, s in zip(features, self.coef, self.mean, self.scale, strict=True)
        )

    def to_json(self, **extra: Any) -> str:
        data = {
            "features": list(FEATURES),
            "coef": [round(c, 6) for c in self.coef],
            "mean": [round(m, 6) for m in self.mean],
            "scale": [round(s, 6) for s in self.scale],
            **extra,
        }
        return json.dumps(data, indent=1) + "\n"


_path: Path | None = DEFAULT_PATH


def use(path: str | Path | None) -> None:
    """Use the model in ``path`` from now on (``None``: the committed one)."""
    global _path
    _path = Path(path) if path else DEFAULT_PATH
    load.cache_clear()


@lru_cache(maxsize=1)
def load() -> Model | None:
    """The model in use, or None when its file is missing."""
    if _path is None or not _path.exists():
        return None
    data = json.loads(_path.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ValueError(f"{_path}: features {data['features']} are not {list(FEATURES)}")
    return Model(tuple(data["coef"]), tuple(data["mean"]), tuple(data["scale"]))
