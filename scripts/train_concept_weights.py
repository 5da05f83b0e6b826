"""Train the summarizer's concept weights (``storybrief/summarize/concept_weights.json``).

Usage::

    python scripts/train_concept_weights.py ../shared/eval/summarization/duc2007-main.jsonl.gz \\
        ../shared/eval/summarization/duc2007-update.jsonl.gz \\
        [--out storybrief/summarize/concept_weights.json] [--folds K --fold-dir DIR]

Every bigram concept of a cluster's candidate sentences (the summarizer's own candidates and
concepts) is one example: its features (``concept_model.concept_features``) and, as target,
the share of the cluster's reference summaries that contain it. A logistic regression
(scikit-learn, standardised features, fractional targets as two weighted rows) is fitted on
all clusters and written to ``--out``.

``--folds K --fold-dir DIR``: also K cluster-grouped folds for held-out evaluation. Clusters
are grouped by DUC topic (the first six characters of the id: an update set ``D0703A-B``
and the main cluster ``D0703A`` are the same topic, with shared articles), so no fold's model
has seen any cluster of the topics it is evaluated on. Writes ``DIR/fold-N.json`` (trained
without fold N) and ``DIR/folds.json`` (cluster id -> N), which
``bench/bench_brief_summary.py --fold-models DIR`` uses.
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_summary import parse_date  # noqa: E402
from folds import write_fold_models  # noqa: E402  (scripts/folds.py)

from storybrief.summarize import concept_model, scoring  # noqa: E402
from storybrief.summarize.extractive import SummaryInput, _candidates  # noqa: E402

#: Inverse regularisation strength. With ~15 features and ~10^5 examples the fit is far from
#: over-fitted; C from 0.01 to 10 gave the same coefficients to 2 decimals.
C = 1.0


def cluster_examples(cluster: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    inputs = [
        SummaryInput(d["id"], d["text"], date=parse_date(d.get("date")), title=d.get("title"))
        for d in cluster["docs"]
    ]
    candidates = _candidates(inputs)
    titles = [scoring.concepts(scoring.tokens(inp.title or "")) for inp in inputs]
    features = concept_model.concept_features(candidates, len(inputs), titles)
    refs = [scoring.concepts(scoring.tokens(html.unescape(r))) for r in cluster["references"]]
    concepts = sorted(features)
    x = np.array([features[c] for c in concepts], dtype=float)
    y = np.array([sum(c in r for r in refs) / len(refs) for c in concepts], dtype=float)
    return x, y


def fit(xs: Sequence[np.ndarray], ys: Sequence[np.ndarray]) -> concept_model.Model:
    x = np.concatenate(xs)
    y = np.concatenate(ys)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    # A fractional target t is two rows: positive with weight t, negative with weight 1 - t.
    rows = np.concatenate([z, z])
    labels = np.concatenate([np.ones(len(y)), np.zeros(len(y))])
    weights = np.concatenate([y, 1 - y])
    keep = weights > 0
    model = LogisticRegression(C=C, max_iter=2000)
    model.fit(rows[keep], labels[keep], sample_weight=weights[keep])
    return concept_model.Model(
        tuple(float(c) for c in model.coef_[0]),
        float(model.intercept_[0]),
        tuple(float(m) for m in mean),
        tuple(float(s) for s in scale),
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="+", help="gzipped JSON Lines of summarization clusters")
    parser.add_argument("--out", default=str(concept_model.DEFAULT_PATH))
    parser.add_argument("--folds", type=int, default=0)
    parser.add_argument("--fold-dir")
    args = parser.parse_args(argv)

    clusters: list[dict[str, Any]] = []
    for path in args.paths:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            clusters.extend(json.loads(line) for line in fh if line.strip())
    examples = [cluster_examples(c) for c in clusters]
    print(f"{len(clusters)} clusters, {sum(len(y) for _, y in examples)} concepts", file=sys.stderr)

    names = ", ".join(Path(p).name for p in args.paths)
    model = fit([x for x, _ in examples], [y for _, y in examples])
    Path(args.out).write_text(model.to_json(trained_on=names), encoding="utf-8")
    for name, coef in zip(concept_model.FEATURES, model.coef, strict=True):
        print(f"{name:<16}{coef:+.3f}")

    if args.folds:
        write_fold_models(
            [c["id"] for c in clusters],
            examples,
            args.folds,
            args.fold_dir,
            lambda train, k: fit([x for x, _ in train], [y for _, y in train]).to_json(
                trained_on=f"{names} without fold {k}"
            ),
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
