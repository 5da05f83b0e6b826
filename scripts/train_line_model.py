"""Train the reporting-vs-comment line model shipped in storybrief/clean/line_model.json.

Usage:
    python scripts/train_line_model.py DRAGNET_JSONL_GZ [--news NEWS_JSONL_GZ] [--out PATH]

The data and the method are described in ``storybrief/clean/line_training.py``. The script
prints a page-grouped cross-validation estimate on the Dragnet-format pages (what to expect
on unseen pages), then fits on everything and writes the model. Deterministic.

The shipped model was trained with:
    python scripts/train_line_model.py ../shared/eval/comments/dragnet-train.jsonl.gz \
        --news ../shared/eval/quotes/polnear-train.jsonl.gz
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from storybrief.clean.line_training import (
    REGULARISATION_C,
    choose_switch_costs,
    cross_validation_models,
    fit,
    load_news,
    load_pages,
    out_of_fold,
    score,
    synthetic_pages,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("data")
    parser.add_argument(
        "--out", default=str(Path(__file__).parents[1] / "storybrief/clean/line_model.json")
    )
    parser.add_argument("--news", help="JSON Lines (gz) of news articles to add as body pages")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--c", type=float, default=REGULARISATION_C)
    args = parser.parse_args()
    pages = load_pages(args.data)
    news = load_news(args.news) if args.news else []
    if args.folds > 1:
        models = cross_validation_models(pages, news, args.folds, args.c)
        results = [score(model, [pages[i] for i in held_out]) for model, held_out in models]
        for key in results[0]:
            values = [r[key] for r in results]
            print(f"cv {key}: {np.mean(values):.4f} (+/- {np.std(values):.4f})")
        # lines.SWITCH_COSTS: the structure costs chosen on every page's held-out probabilities
        # (bench/bench_lines.py --cv scores each fold with costs chosen without it).
        print(f"switch costs chosen out of fold: {choose_switch_costs(out_of_fold(pages, models))}")
    model = fit(pages + synthetic_pages(news, pages), args.c)
    model.meta["trained_on"] = [Path(args.data).name] + (
        [Path(args.news).name] if args.news else []
    )
    Path(args.out).write_text(json.dumps(model.to_json(), indent=0, sort_keys=True) + "\n")
    print(f"wrote {args.out}: {len(model.weights)} weights from {len(pages)} pages")


if __name__ == "__main__":
    main()
