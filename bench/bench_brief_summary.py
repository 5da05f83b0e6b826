"""The brief's summary as a user gets it, through the CLI, beside the summarizer alone and LexRank.

Usage::

    python bench/bench_brief_summary.py PATH/duc2007-main.jsonl.gz [--words 250] [--limit N]
        [--fold-models DIR] [--sentence-folds DIR] [--lexrank-cache FILE]

PATH is a gzipped JSON Lines file of clusters (format: ``bench/bench_summary.py``). Every
cluster is written as one JSON Lines file (``title``, ``text``, ``published`` as an ISO date)
and given to ``storybrief brief --format json --words N`` in a fresh interpreter, once without
and once with the cluster's topic statement (title + narrative) as ``--focus``. The brief's
``summary`` texts, joined in order, cut at ``--words`` whitespace words, are scored with
``rouge_score`` (ROUGE-1/2/L, stemming; recall and F1 averaged over the references). In the
same run: the summarizer alone (``summarize(..., allow_cut=True)``, as ``bench_summary.py``
runs it) and sumy's LexRank.

``--fold-models DIR``: held-out evaluation of trained concept weights. DIR is what
``scripts/train_concept_weights.py --folds K --out DIR`` writes (``folds.json``: cluster id ->
fold, ``fold-K.json``: weights trained without that fold's clusters); every cluster is
summarized, by the CLI and by the summarizer alone, with the weights of the fold that did
not see it. Without it, the committed weights are used (in-sample on the training splits).

``--sentence-folds DIR``: the same for the learned sentence prior (``sentence_model``): DIR is
what ``scripts/train_sentence_prior.py --folds K --fold-dir DIR`` writes. Without it, the
committed ``sentence_prior.json`` is used, which was trained on DUC 2007 main and update.
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

from rouge_score import rouge_scorer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_summary import METRICS, parse_date, run_lexrank, score, truncate  # noqa: E402

from storybrief.analyze.sentences import split_sentences  # noqa: E402
from storybrief.summarize import concept_model, sentence_model  # noqa: E402
from storybrief.summarize.extractive import SummaryInput, summarize  # noqa: E402
from storybrief.summarize.standalone import lowercase_words, needs_context  # noqa: E402

#: Runs the CLI with given concept-weights and sentence-prior files (held-out folds), else as
#: installed.
_CLI = (
    "import sys\n"
    "from storybrief.summarize import concept_model, sentence_model\n"
    "if sys.argv[1]: concept_model.use(sys.argv[1])\n"
    "if sys.argv[2]: sentence_model.use(sys.argv[2])\n"
    "from storybrief.cli import main\n"
    "sys.exit(main(sys.argv[3:]))\n"
)


def write_cluster(cluster: dict[str, Any], path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for doc in cluster["docs"]:
            day = parse_date(doc.get("date"))
            record = {
                "title": doc.get("title") or "",
                "text": doc["text"],
                "published": day.isoformat() if day else None,
            }
            fh.write(json.dumps(record) + "\n")


def run_cli(path: Path, words: int, focus: str | None, model: str, sentences: str = "") -> str:
    args = ["brief", str(path), "--format", "json", "-q", "--words", str(words)]
    if focus:
        args += ["--focus", focus]
    done = subprocess.run(
        [sys.executable, "-c", _CLI, model, sentences, *args],
        check=False,
        capture_output=True,
        text=True,
    )
    if done.returncode not in (0, 1):
        raise RuntimeError(f"storybrief brief failed on {path}: {done.stderr.strip()}")
    brief = json.loads(done.stdout)
    return " ".join(item["text"] for item in brief["summary"])


def run_alone(cluster: dict[str, Any], words: int, focus: str | None) -> str:
    inputs = [
        SummaryInput(
            doc_id=d["id"], text=d["text"], date=parse_date(d.get("date")), title=d.get("title")
        )
        for d in cluster["docs"]
    ]
    return " ".join(s.text for s in summarize(inputs, words=words, focus=focus, allow_cut=True))


def lexrank_summaries(
    clusters: Sequence[dict[str, Any]], words: int, cache: str | None
) -> dict[str, str]:
    """LexRank per cluster id, read from / added to ``cache`` (a JSON file) when given."""
    stored: dict[str, str] = {}
    if cache and os.path.exists(cache):
        stored = json.loads(Path(cache).read_text(encoding="utf-8"))
    out = {}
    for cluster in clusters:
        key = f"{cluster['id']}:{words}"
        if key not in stored:
            stored[key] = run_lexrank(cluster, words)
        out[cluster["id"]] = stored[key]
    if cache:
        Path(cache).write_text(json.dumps(stored), encoding="utf-8")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", help="gzipped JSON Lines of summarization clusters")
    parser.add_argument("--words", type=int, default=250, help="summary length in words")
    parser.add_argument("--limit", type=int, default=0, help="only the first N clusters")
    parser.add_argument("--fold-models", help="directory of held-out fold weights")
    parser.add_argument("--sentence-folds", help="directory of held-out sentence-prior folds")
    parser.add_argument("--lexrank-cache", help="JSON file to keep LexRank summaries in")
    parser.add_argument("--no-cli", action="store_true", help="the summarizer alone only")
    args = parser.parse_args(argv)

    with gzip.open(args.path, "rt", encoding="utf-8") as fh:
        clusters = [json.loads(line) for line in fh if line.strip()]
    if args.limit:
        clusters = clusters[: args.limit]
    folds: dict[str, int] = {}
    if args.fold_models:
        folds = json.loads((Path(args.fold_models) / "folds.json").read_text(encoding="utf-8"))
    sentence_folds: dict[str, int] = {}
    if args.sentence_folds:
        sentence_folds = json.loads(
            (Path(args.sentence_folds) / "folds.json").read_text(encoding="utf-8")
        )

    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    names = ["brief (CLI)", "brief (CLI) +focus", "summarizer", "summarizer +focus", "lexrank"]
    if args.no_cli:
        names = names[2:]
    results: dict[str, list[dict[str, tuple[float, float]]]] = {n: [] for n in names}
    seconds: dict[str, list[float]] = {n: [] for n in names}
    # Sentences of each summary (as scored) that need their context, and all its sentences.
    context: dict[str, list[int]] = {n: [0, 0] for n in names}
    start = time.perf_counter()
    lexrank = lexrank_summaries(clusters, args.words, args.lexrank_cache)
    seconds["lexrank"].append((time.perf_counter() - start) / len(clusters))

    with tempfile.TemporaryDirectory() as tmp:
        for cluster in clusters:
            model = ""
            if args.fold_models:
                model = str(Path(args.fold_models) / f"fold-{folds[cluster['id']]}.json")
            concept_model.use(model or None)
            prior = ""
            if args.sentence_folds:
                prior = str(
                    Path(args.sentence_folds) / f"fold-{sentence_folds[cluster['id']]}.json"
                )
            sentence_model.use(prior or None)
            focus = cluster["title"] + ". " + cluster["narrative"]
            path = Path(tmp) / f"{cluster['id']}.jsonl"
            write_cluster(cluster, path)
            runs = {
                "summarizer": partial(run_alone, cluster, args.words, None),
                "summarizer +focus": partial(run_alone, cluster, args.words, focus),
                "brief (CLI)": partial(run_cli, path, args.words, None, model, prior),
                "brief (CLI) +focus": partial(run_cli, path, args.words, focus, model, prior),
            }
            references = [html.unescape(r) for r in cluster["references"]]
            common = lowercase_words([d["text"] for d in cluster["docs"]])
            for name in names:
                if name == "lexrank":
                    summary = lexrank[cluster["id"]]
                else:
                    begin = time.perf_counter()
                    summary = runs[name]()
                    seconds[name].append(time.perf_counter() - begin)
                results[name].append(score(scorer, truncate(summary, args.words), references))
                sentences = [s.text for s in split_sentences(truncate(summary, args.words), "")]
                context[name][0] += sum(needs_context(text, common) for text in sentences)
                context[name][1] += len(sentences)

    held = "held-out fold weights" if args.fold_models else "committed weights"
    held += ", held-out sentence prior" if args.sentence_folds else ", committed sentence prior"
    print(
        f"{len(clusters)} clusters from {os.path.basename(args.path)}, {args.words} words, {held}; "
        "ROUGE averaged over references (rouge_score, stemming)"
    )
    header = f"{'system':<20}" + "".join(f"{m + ' R':>10}{m + ' F':>10}" for m in METRICS)
    print(header + f"{'s/cluster':>11}")
    means = {}
    for name in names:
        means[name] = {
            m: tuple(statistics.fmean(r[m][i] for r in results[name]) for i in (0, 1))
            for m in METRICS
        }
        row = "".join(f"{means[name][m][0]:>10.4f}{means[name][m][1]:>10.4f}" for m in METRICS)
        print(f"{name:<20}{row}{statistics.fmean(seconds[name]):>11.3f}")
    print(
        "sentences needing their context (summarize.standalone.needs_context): "
        + ", ".join(f"{name} {n}/{total}" for name, (n, total) in context.items())
    )
    base = means["lexrank"]["rouge2"][0]
    for name in names[:-1]:
        print(f"ROUGE-2 recall ratio {name} / lexrank: {means[name]['rouge2'][0] / base:.3f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
