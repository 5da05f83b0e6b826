"""Training the reporting-vs-comment line model (``line_model.json``).

Only the training script and the benchmark import this module (it needs scikit-learn);
labelling pages never does.

Training data:
- pages with ``lines: [{text, label}]`` labelled ``body``/``comment`` (Dragnet format). Their
  pages are mostly 2011-2012 blogs, so their bodies teach little about news reporting;
- optionally news articles (JSON Lines with ``text``, paragraphs separated by blank lines; we
  use quotes/polnear-train, never a split a benchmark reports on). Each article becomes a
  synthetic page: its paragraphs as body, followed (on three pages out of four) by the
  comment prose of one training page, in which a reader sometimes pastes an article sentence.
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import random
from collections import Counter
from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from storybrief.clean.line_features import Features, page_features, shape_features
from storybrief.clean.lines import (
    COMMENTS,
    REPORTING,
    LineModel,
    SwitchCosts,
    structure_of,
    switch_point,
)

Page = tuple[list[str], list[int]]

# Inverse L2 strength: a moderate value, not searched; the features are mostly binary and
# many (tens of thousands), so some shrinkage keeps one site's words from dominating.
REGULARISATION_C = 0.3
# Words seen in fewer pages than this are dropped: they only memorise one site's template.
MIN_FEATURE_PAGES = 3
# Smaller weights are dropped from the shipped model: they change no decision that was
# checked (seed accuracy identical, Dragnet in-sample comment F1 0.9912 -> 0.9909) and
# keeping them more than doubles the file and its 0.2 s load time.
MIN_WEIGHT = 0.05
# Pages shorter than this count as this long when lines are weighted per page.
PAGE_WEIGHT_MIN_LINES = 10


def load_pages(path: str) -> list[Page]:
    pages = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for raw in handle:
            row = json.loads(raw)
            lines = [item["text"] for item in row["lines"] if item["text"].strip()]
            zones = [
                COMMENTS if item["label"] == "comment" else REPORTING
                for item in row["lines"]
                if item["text"].strip()
            ]
            if lines:
                pages.append((lines, zones))
    return pages


# Synthetic news pages: how many, how many paragraphs each, and how often without comments.
NEWS_PAGES = 900
NEWS_MAX_PARAGRAPHS = 30
NEWS_WITHOUT_COMMENTS = 0.25
# Share of synthetic comment threads in which a reader pastes an article sentence.
PASTE_RATE = 0.3
# Comment lines shorter than this are mostly user names and "Reply" links in Dragnet pages.
COMMENT_PROSE_MIN_WORDS = 4


def load_news(path: str, limit: int = NEWS_PAGES) -> list[list[str]]:
    articles = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for raw in handle:
            text = json.loads(raw).get("text") or ""
            paragraphs = [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]
            if len(paragraphs) >= 3:
                articles.append(paragraphs[:NEWS_MAX_PARAGRAPHS])
            if len(articles) >= limit:
                break
    return articles


def _is_prose(line: str) -> bool:
    """Comment text without the user names and time stamps that many crawls strip."""
    feats = shape_features(line)
    return len(line.split()) >= COMMENT_PROSE_MIN_WORDS and not (
        "has_time" in feats or "has_date" in feats or "only_url" in feats
    )


def synthetic_pages(news: list[list[str]], pages: Sequence[Page], seed: int = 13) -> list[Page]:
    """News articles as body, each followed by the comment run of a real training page."""
    rng = random.Random(seed)
    threads = [
        [line for line, z in zip(*page, strict=True) if z == COMMENTS and _is_prose(line)]
        for page in pages
    ]
    threads = [t for t in threads if t]
    out = []
    for paragraphs in news:
        comments = (
            [] if rng.random() < NEWS_WITHOUT_COMMENTS or not threads else list(rng.choice(threads))
        )
        if comments and rng.random() < PASTE_RATE:
            # Readers paste an article sentence to answer it, sometimes in quotation marks.
            pasted = rng.choice(paragraphs).split(". ")[0]
            if rng.random() < 0.5:
                pasted = f"“{pasted}”"
            comments.insert(rng.randrange(len(comments) + 1), pasted)
        out.append(
            (paragraphs + comments, [REPORTING] * len(paragraphs) + [COMMENTS] * len(comments))
        )
    return out


def fit(
    pages: list[tuple[list[str], list[int]]],
    c: float = REGULARISATION_C,
    feats: list[list[Features]] | None = None,
) -> LineModel:
    """Fit the line scores (page-balanced); ``feats`` may hold the
    pages' precomputed ``page_features`` (cross-validation computes them once)."""
    feats = feats if feats is not None else [page_features(lines) for lines, _ in pages]
    page_count: Counter[str] = Counter()
    for page in feats:
        page_count.update({name for line in page for name in line})
    keep = {name for name, count in page_count.items() if count >= MIN_FEATURE_PAGES}
    rows = [{k: v for k, v in line.items() if k in keep} for page in feats for line in page]
    labels = np.array([z for _, zones in pages for z in zones])
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform(rows)
    # Page-balanced: every page weighs the same in total (capped from below so that a
    # one-line page is not worth a hundred lines), so a few long pages do not dominate.
    sizes = [len(zones) for _, zones in pages]
    mean_size = float(np.mean(sizes))
    weights_per_line = np.array(
        [mean_size / max(size, PAGE_WEIGHT_MIN_LINES) for size in sizes for _ in range(size)]
    )
    classifier = LogisticRegression(C=c, max_iter=2000, fit_intercept=False)
    classifier.fit(matrix, labels, sample_weight=weights_per_line)
    weights = {
        name: round(float(w), 4)
        for name, w in zip(vectorizer.get_feature_names_out(), classifier.coef_[0], strict=True)
        if abs(w) >= MIN_WEIGHT
    }
    return LineModel(
        weights=weights,
        meta={
            "pages": len(pages),
            "lines": int(labels.size),
            "C": c,
            "min_feature_pages": MIN_FEATURE_PAGES,
        },
    )


def score(model: LineModel, pages: Sequence[Page]) -> dict[str, float]:
    tp = fp = fn = correct = total = 0
    for lines, gold in pages:
        predicted, _ = model.zones(page_features(lines))
        for p, g in zip(predicted, gold, strict=True):
            correct += p == g
            total += 1
            tp += p == g == COMMENTS
            fp += p == COMMENTS != g
            fn += g == COMMENTS != p
    precision = tp / max(tp + fp, 1)
    recall = tp / max(tp + fn, 1)
    return {
        "accuracy": correct / max(total, 1),
        "comment_f1": 2 * precision * recall / max(precision + recall, 1e-9),
    }


def cross_validation_models(
    pages: Sequence[Page],
    news: Sequence[list[str]] = (),
    folds: int = 5,
    c: float = REGULARISATION_C,
) -> list[tuple[LineModel, list[int]]]:
    """One model per fold, trained without that fold's pages, with the held-out page indexes."""
    groups = np.arange(len(pages))
    cached = [page_features(lines) for lines, _ in pages]
    out = []
    for train_idx, test_idx in GroupKFold(n_splits=folds).split(groups, groups=groups):
        train = [pages[i] for i in train_idx]
        synthetic = synthetic_pages(list(news), train)
        feats = [cached[i] for i in train_idx] + [page_features(lines) for lines, _ in synthetic]
        out.append((fit(train + synthetic, c, feats), [int(i) for i in test_idx]))
    return out


# --- the switch costs: chosen on held-out line probabilities --------------------------------

# One page as the switch point sees it: its lines' comment probabilities, structure marks and
# gold zones.
ScoredPage = tuple[list[float], list[int], list[int]]

# The candidates: each structure term from "off" (or the smallest bonus) to the point where
# one structure line outweighs the style of a paragraph of lines (MAX_LINE_LOG_ODDS = 4 each).
SWITCH_COST_GRID = [
    SwitchCosts(opener=opener, meta=meta, body_meta=body_meta, before_mark=before)
    for opener in (2.0, 4.0, 6.0, 8.0)
    for meta in (0.0, 2.0, 4.0, 6.0)
    for body_meta in (2.0, 3.0, 4.0)
    for before in (0.0, 1.0, 2.0, 3.0, 4.0)
]


def scored_page(model: LineModel, lines: Sequence[str], zones: list[int]) -> ScoredPage:
    feats = page_features(lines)
    return [model.comment_probability(f) for f in feats], structure_of(feats), zones


def zone_f1(pages: Sequence[ScoredPage], costs: SwitchCosts) -> tuple[float, float]:
    """Per-line (comment F1, body F1) of the switch points under ``costs`` (zones only: no
    furniture, so that choosing costs is quick)."""
    c_tp = c_fp = c_fn = 0
    for probs, marks, gold in pages:
        k = switch_point(probs, marks, costs)
        for i, g in enumerate(gold):
            predicted = COMMENTS if i >= k else REPORTING
            c_tp += predicted == g == COMMENTS
            c_fp += predicted == COMMENTS != g
            c_fn += g == COMMENTS != predicted
    b_tp = sum(len(gold) for _, _, gold in pages) - c_tp - c_fp - c_fn
    return _f1(c_tp, c_fp, c_fn), _f1(b_tp, c_fn, c_fp)


def _f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / max(2 * tp + fp + fn, 1)


def choose_switch_costs(
    pages: Sequence[ScoredPage], grid: Sequence[SwitchCosts] = SWITCH_COST_GRID
) -> SwitchCosts:
    """The candidate with the best mean of comment and body F1 on ``pages`` (the first on ties).

    Pass held-out probabilities (``out_of_fold``): on the training pages' own probabilities
    the line model is overconfident and structure looks less needed than it is."""
    best, best_value = grid[0], -1.0
    for costs in grid:
        value = sum(zone_f1(pages, costs)) / 2
        if value > best_value + 1e-12:
            best, best_value = costs, value
    return best


def out_of_fold(
    pages: Sequence[Page], models: Sequence[tuple[LineModel, list[int]]]
) -> list[ScoredPage]:
    """Every page scored by the fold model that was trained without it."""
    out: list[ScoredPage | None] = [None] * len(pages)
    for model, held_out in models:
        for i in held_out:
            out[i] = scored_page(model, *pages[i])
    return [page for page in out if page is not None]


def fold_costs(
    scored: Sequence[ScoredPage], models: Sequence[tuple[LineModel, list[int]]]
) -> list[tuple[LineModel, list[int]]]:
    """Each fold model with the switch costs chosen on the other folds' pages only."""
    out = []
    for model, held_out in models:
        excluded = set(held_out)
        training = [page for i, page in enumerate(scored) if i not in excluded]
        chosen = choose_switch_costs(training)
        out.append((dataclasses.replace(model, costs=chosen), held_out))
    return out
