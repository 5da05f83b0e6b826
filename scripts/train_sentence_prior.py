"""Train the summarizer's learned sentence prior (``storybrief/summarize/sentence_prior.json``).

Usage::

    python bench/bench_summary_inputs.py capture PATH/duc2007-main.jsonl.gz \\
        PATH/duc2007-update.jsonl.gz --out INPUTS.pkl
    python scripts/train_sentence_prior.py INPUTS.pkl \\
        [--out storybrief/summarize/sentence_prior.json] [--folds 5 --fold-dir DIR] [--cv]

INPUTS.pkl holds the arguments of the brief's final ``summarize`` call on every DUC 2007 main
cluster (250 words) and update set B and C (100 words, the earlier sets as ``background``),
with and without the topic as focus, and their reference summaries
(``bench/bench_summary_inputs.py``). Every candidate sentence of every call is one example:
its features (``extractive.candidate_features``, the ``sentence_model.FEATURES``) and, as
target, the share of its word bigrams (ROUGE-2's tokens: ``rouge_score``, stemming) that a
reference contains, averaged over the references. A Poisson regression (log link,
scikit-learn, standardised features, each sentence weighted by its bigram count, so the
coefficients are log-multipliers of the expected share) is fitted on all of them and written
to ``--out``.

``--folds K --fold-dir DIR``: also K models each trained without one fold of topics (a DUC
topic's main cluster and its update sets share articles: the first six characters of the id,
``D0703A`` and ``D0703A-B``, are one topic, always in one fold): ``DIR/fold-N.json`` and
``DIR/folds.json`` (cluster id -> N), for ``bench_summary_inputs.py score --sentence-folds``,
``bench_brief_summary.py --sentence-folds`` and ``bench_update.py --sentence-folds``.

``--cv``: with ``--folds``, the held-out ROUGE-2 recall (each call summarized with the model
of the fold that did not see its topic) per split, beside the summarizer without the prior.
"""

from __future__ import annotations

import argparse
import pickle
import statistics
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from rouge_score import rouge_scorer
from sklearn.linear_model import PoissonRegressor

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from folds import write_fold_models  # noqa: E402  (scripts/folds.py)

from storybrief.summarize import extractive, sentence_model  # noqa: E402

#: L2 penalty of the Poisson regression (on standardised features). 0.01 and 0.001 give the
#: same coefficients to 2 decimals; 1 shrinks them to a third and loses the held-out gain.
ALPHA = 0.01

_SCORER = rouge_scorer.RougeScorer(["rouge2"], use_stemmer=True)


def bigrams(text: str) -> dict[tuple[str, str], int]:
    words = _SCORER._tokenizer.tokenize(text)
    out: dict[tuple[str, str], int] = defaultdict(int)
    for pair in zip(words, words[1:], strict=False):
        out[pair] += 1
    return out


def case_examples(case: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features, target share and bigram count of every candidate of one recorded call."""
    kwargs = case["kwargs"]
    rows = extractive.candidate_features(
        case["inputs"], kwargs.get("focus"), background=kwargs.get("background", ())
    )
    refs = [bigrams(r) for r in case["references"]]
    x, y, n = [], [], []
    for text, features in rows:
        own = bigrams(text)
        count = max(sum(own.values()), 1)
        found = statistics.fmean(
            sum(min(c, ref.get(pair, 0)) for pair, c in own.items()) for ref in refs
        )
        x.append(features)
        y.append(found / count)
        n.append(count)
    return np.array(x, dtype=float), np.array(y), np.array(n, dtype=float)


def fit(examples: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> sentence_model.Model:
    x = np.concatenate([e[0] for e in examples])
    y = np.concatenate([e[1] for e in examples])
    n = np.concatenate([e[2] for e in examples])
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    model = PoissonRegressor(alpha=ALPHA, max_iter=1000)
    model.fit((x - mean) / scale, y, sample_weight=n)
    return sentence_model.Model(
        tuple(float(c) for c in model.coef_),
        tuple(float(m) for m in mean),
        tuple(float(s) for s in scale),
    )


def recall(text: str, references: Sequence[str]) -> float:
    return statistics.fmean(_SCORER.score(ref, text)["rouge2"].recall for ref in references)


def held_out(cases: Sequence[dict[str, Any]], folds: dict[str, int], fold_dir: Path) -> None:
    """Held-out ROUGE-2 recall per split, without and with the prior."""
    scores: dict[str, dict[str, list[float]]] = {"without": {}, "held-out": {}}
    for name, scored in scores.items():
        extractive.SENTENCE_PRIOR = name == "held-out"
        for case in cases:
            sentence_model.use(fold_dir / f"fold-{folds[case['id']]}.json")
            chosen = extractive.summarize(case["inputs"], **case["kwargs"])
            value = recall(" ".join(s.text for s in chosen), case["references"])
            split = case["split"]
            for group in [split] + (["B + C" + split[1:]] if split[0] in "BC" else []):
                scored.setdefault(group, []).append(value)
    extractive.SENTENCE_PRIOR = True
    sentence_model.use(None)
    print(f"{'split':<16}{'without':>10}{'held-out':>10}")
    for group in scores["without"]:
        a, b = (statistics.fmean(scores[name][group]) for name in ("without", "held-out"))
        print(f"{group:<16}{a:>10.4f}{b:>10.4f}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("inputs", help="pickle of bench/bench_summary_inputs.py capture")
    parser.add_argument("--out", default=str(sentence_model.DEFAULT_PATH))
    parser.add_argument("--folds", type=int, default=0)
    parser.add_argument("--fold-dir")
    parser.add_argument("--cv", action="store_true", help="held-out ROUGE-2 (needs --folds)")
    args = parser.parse_args(argv)

    with open(args.inputs, "rb") as fh:
        cases: list[dict[str, Any]] = pickle.load(fh)
    examples = [case_examples(case) for case in cases]
    total = sum(len(e[1]) for e in examples)
    print(f"{len(cases)} summarize calls, {total} candidate sentences", file=sys.stderr)

    model = fit(examples)
    Path(args.out).write_text(
        model.to_json(trained_on=sorted({c["id"] for c in cases})), encoding="utf-8"
    )
    for name, coef in zip(sentence_model.FEATURES, model.coef, strict=True):
        print(f"{name:<12}{coef:+.3f}")

    if args.folds:
        folds = write_fold_models(
            [c["id"] for c in cases],
            examples,
            args.folds,
            args.fold_dir,
            lambda train, k: fit(train).to_json(trained_on=f"all but fold {k}"),
        )
        if args.cv:
            held_out(cases, folds, Path(args.fold_dir))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
