"""Learned weights of bigram concepts: how likely a human summary of the cluster uses each.

The summarizer's concepts (``scoring.concepts``) are weighted by a logistic model over a few
cluster-level features of each bigram (how many documents use it, how early, in headlines,
capitalised, ...), trained by ``scripts/train_concept_weights.py`` on DUC 2007 clusters with
the share of reference summaries containing the bigram as target (supervised concept weights
in the manner of Li, Qian & Liu 2013, "Using supervised bigram-based ILP for extractive
summarization"). The model is a short vector of coefficients in ``concept_weights.json``; it
is evaluated here in plain Python (no scikit-learn import at run time).

Features are computed from what a brief has for any pile: sentences with their position in
their document, and document titles when there are any.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from storybrief.terms import STOP_WORDS, tokens

__all__ = ["FEATURES", "ConceptStats", "Model", "concept_features", "load", "use"]

DEFAULT_PATH = Path(__file__).with_name("concept_weights.json")

#: Sentences of a document counted as its lead (feature ``lead``).
LEAD_SENTENCES = 2

FEATURES = (
    "df_share",  # documents using the bigram / documents
    "log_df",
    "df1",  # used by exactly one document
    "df2",
    "log_tf_per_df",  # sentences using it per document using it (repetition inside articles)
    "lead",  # share of all documents using it in their first LEAD_SENTENCES sentences
    "early",  # mean over using documents of 1 / (1 + position of first use)
    "first",  # 1 / (1 + earliest position anywhere)
    "title",  # share of documents whose title uses it
    "weak",  # one of its two words is a stop word or number
    "capital",  # share of its two words written capitalised inside sentences
    "digit",  # a word with a digit
    "word_df_min",  # the rarer word's document share
    "word_df_max",
    "length",  # mean length in characters of its two words, / 10
)

_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")


class CandidateLike(Protocol):
    doc_index: int
    position: int
    text: str
    concepts: set[str]


@dataclass
class ConceptStats:
    docs: set[int] = field(default_factory=set)
    sentences: int = 0
    first_in_doc: dict[int, int] = field(default_factory=dict)


def capitalised_terms(text: str) -> set[str]:
    """Terms (as ``tokens`` gives them) written with a capital inside the sentence."""
    out = set()
    for n, match in enumerate(_WORD.finditer(text)):
        word = match.group()
        if n and word[0].isupper():
            out.update(tokens(word))
    return out


def concept_features(
    candidates: Sequence[CandidateLike], n_docs: int, titles: Sequence[Iterable[str]] = ()
) -> dict[str, list[float]]:
    """Feature vector (``FEATURES`` order) of every concept of ``candidates``."""
    stats: dict[str, ConceptStats] = defaultdict(ConceptStats)
    word_docs: dict[str, set[int]] = defaultdict(set)
    capital: dict[str, int] = defaultdict(int)
    seen: dict[str, int] = defaultdict(int)
    for cand in candidates:
        caps = capitalised_terms(cand.text)
        for concept in cand.concepts:
            s = stats[concept]
            s.docs.add(cand.doc_index)
            s.sentences += 1
            if cand.position < s.first_in_doc.get(cand.doc_index, 1 << 30):
                s.first_in_doc[cand.doc_index] = cand.position
        for word in {w for c in cand.concepts for w in c.split(" ")}:
            word_docs[word].add(cand.doc_index)
            seen[word] += 1
            capital[word] += word in caps
    title_sets = [set(t) for t in titles]
    n = max(n_docs, 1)
    out: dict[str, list[float]] = {}
    for concept, s in stats.items():
        words = concept.split(" ")
        df = len(s.docs)
        firsts = s.first_in_doc.values()
        shares = [len(word_docs[w]) / n for w in words]
        out[concept] = [
            df / n,
            math.log(df),
            float(df == 1),
            float(df == 2),
            math.log(s.sentences / df),
            sum(p < LEAD_SENTENCES for p in firsts) / n,
            sum(1 / (1 + p) for p in firsts) / df,
            1 / (1 + min(firsts)),
            sum(concept in t for t in title_sets) / n,
            float(any(w in STOP_WORDS or w.isdigit() or len(w) < 2 for w in words)),
            sum(capital[w] / seen[w] for w in words) / len(words),
            float(any(ch.isdigit() for ch in concept)),
            min(shares),
            max(shares),
            sum(len(w) for w in words) / len(words) / 10,
        ]
    return out


@dataclass(frozen=True)
class Model:
    """Logistic model: weight = sigmoid(intercept + coef · standardised features)."""

    coef: tuple[float, ...]
    intercept: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]

    def weight(self, features: Sequence[float]) -> float:
        z = self.intercept
        for x, c, m, s in zip(features, self.coef, self.mean, self.scale, strict=True):
            z += c * (x - m) / s
        return 1.0 / (1.0 + math.exp(-z))

    def to_json(self, **extra: Any) -> str:
        data = {
            "features": list(FEATURES),
            "coef": [round(c, 6) for c in self.coef],
            "intercept": round(self.intercept, 6),
            "mean": [round(m, 6) for m in self.mean],
            "scale": [round(s, 6) for s in self.scale],
            **extra,
        }
        return json.dumps(data, indent=1) + "\n"


_path: Path | None = DEFAULT_PATH


def use(path: str | Path | None) -> None:
    """Use the weights in ``path`` from now on (``None``: the committed ones). For held-out
    evaluation of fold models (``bench/bench_brief_summary.py``)."""
    global _path
    _path = Path(path) if path else DEFAULT_PATH
    load.cache_clear()


@lru_cache(maxsize=1)
def load() -> Model | None:
    """The model in use, or None when its file is missing (the summarizer then counts
    documents, its untrained weighting)."""
    if _path is None or not _path.exists():
        return None
    data = json.loads(_path.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ValueError(f"{_path}: features {data['features']} are not {list(FEATURES)}")
    return Model(
        tuple(data["coef"]), float(data["intercept"]), tuple(data["mean"]), tuple(data["scale"])
    )
