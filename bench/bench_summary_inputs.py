"""Screen summarizer changes in seconds on exactly what the brief and the update brief give it.

Usage::

    python bench/bench_summary_inputs.py capture MAIN.jsonl.gz UPDATE.jsonl.gz --out FILE
        [--lexrank-cache FILE]
    python bench/bench_summary_inputs.py score FILE [--sentence-folds DIR] [--no-sentence-prior]

``capture`` runs, once, what ``bench_brief_summary.py`` and ``bench_update.py`` run: every
cluster of MAIN through ``storybrief brief --format json --words 250`` (in this process, with and
without the topic statement as ``--focus``) and every B and C set of UPDATE through the update
brief at 100 words (``store.update.update_from_documents`` with the earlier sets stored). It
records the arguments of the brief's final ``summarize`` call (the summary of the whole pile;
the brief also summarizes each story of a pile of several), checks that this call's sentences
are the brief's summary, and stores them with the references and LexRank's ROUGE-2 recall
(as those benches run it) in FILE, a pickle outside the repository.

``score`` calls ``summarize`` of the current code on the stored arguments and prints ROUGE-2
recall (``rouge_score``, stemming, mean over the references; the product's summaries are never
cut) per split and its ratio to LexRank: on the code that captured them, the figures of the
two CLI benches. Capture again when anything before the summarizer changes (reading,
cleaning, duplicates, events, the update brief's repeats). ``--sentence-folds DIR``: each call with the sentence-prior model of
``scripts/train_sentence_prior.py --folds K --fold-dir DIR`` that did not see its topic
(held-out); ``--no-sentence-prior``: without the learned prior (``SENTENCE_PRIOR`` off).
"""

from __future__ import annotations

import argparse
import contextlib
import html
import io
import json
import pickle
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_brief_summary import lexrank_summaries, write_cluster  # noqa: E402
from bench_stories import load  # noqa: E402
from bench_summary import run_lexrank  # noqa: E402
from bench_update import update_cases  # noqa: E402
from rouge_score import rouge_scorer  # noqa: E402

import storybrief.brief  # noqa: E402
from storybrief.cli import main as cli  # noqa: E402
from storybrief.options import Options  # noqa: E402
from storybrief.store.update import update_from_documents  # noqa: E402
from storybrief.summarize import extractive, sentence_model  # noqa: E402
from storybrief.summarize.extractive import summarize  # noqa: E402

_SCORER = rouge_scorer.RougeScorer(["rouge2"], use_stemmer=True)


def recall(text: str, references: Sequence[str]) -> float:
    return statistics.fmean(_SCORER.score(ref, text)["rouge2"].recall for ref in references)


def _recording(calls: list[tuple[Any, dict[str, Any], list[str]]]) -> Callable[..., Any]:
    def record(inputs: Any, **kwargs: Any) -> Any:
        chosen = summarize(inputs, **kwargs)
        calls.append((list(inputs), kwargs, [s.text for s in chosen]))
        return chosen

    return record


def _case(
    split: str,
    calls: list[tuple[Any, dict[str, Any], list[str]]],
    summary: str,
    cluster: dict[str, Any],
) -> dict[str, Any]:
    inputs, kwargs, texts = calls[-1]
    if sorted(" ".join(texts).split()) != sorted(summary.split()):
        raise RuntimeError(f"{split}: the last summarize call is not the brief's summary")
    refs = [html.unescape(r) for r in cluster["references"]]
    return {"split": split, "id": cluster["id"], "inputs": inputs, "kwargs": kwargs} | {
        "references": refs
    }


def capture_main(path: str, cache: str | None, calls: list[Any]) -> list[dict[str, Any]]:
    clusters = load(path)
    lexrank = lexrank_summaries(clusters, 250, cache)
    cases = []
    with tempfile.TemporaryDirectory() as tmp:
        for cluster in clusters:
            file = Path(tmp) / f"{cluster['id']}.jsonl"
            write_cluster(cluster, file)
            refs = [html.unescape(r) for r in cluster["references"]]
            for focus in (None, cluster["title"] + ". " + cluster["narrative"]):
                calls.clear()
                args = ["brief", str(file), "--format", "json", "-q", "--words", "250"]
                out = io.StringIO()
                with contextlib.redirect_stdout(out):
                    cli(args + (["--focus", focus] if focus else []))
                summary = " ".join(s["text"] for s in json.loads(out.getvalue())["summary"])
                case = _case("main" + (" +focus" if focus else ""), calls, summary, cluster)
                case["lexrank"] = recall(lexrank[cluster["id"]], refs)
                cases.append(case)
    return cases


def capture_update(path: str, calls: list[Any]) -> list[dict[str, Any]]:
    sets = {row["id"]: row for row in load(path)}
    cases = []
    topics = sorted({key.rsplit("-", 1)[0] for key in sets})
    for _, part, cluster, old_docs, new_docs, refs in update_cases(sets, topics):
        lexrank = recall(run_lexrank(cluster, 100), refs)
        for focus in (None, cluster["title"] + ". " + cluster["narrative"]):
            calls.clear()
            options = Options(words=100, focus=focus)
            result = update_from_documents(new_docs, old_docs, "", options)
            summary = " ".join(s["text"] for s in result["summary"])
            split = part + (" +focus" if focus else "")
            cases.append(_case(split, calls, summary, cluster) | {"lexrank": lexrank})
    return cases


def score(path: str, sentence_folds: str | None = None, prior: bool = True) -> None:
    with open(path, "rb") as fh:
        cases = pickle.load(fh)
    folds: dict[str, int] = {}
    if sentence_folds:
        folds = json.loads((Path(sentence_folds) / "folds.json").read_text(encoding="utf-8"))
    extractive.SENTENCE_PRIOR = prior
    ours: dict[str, list[float]] = defaultdict(list)
    peer: dict[str, list[float]] = defaultdict(list)
    seconds: list[float] = []
    for case in cases:
        if sentence_folds:
            sentence_model.use(Path(sentence_folds) / f"fold-{folds[case['id']]}.json")
        begin = time.perf_counter()
        chosen = summarize(case["inputs"], **case["kwargs"])
        seconds.append(time.perf_counter() - begin)
        text = " ".join(s.text for s in chosen)
        split = case["split"]
        groups = [split] + (["B + C" + split[1:]] if split[0] in "BC" else [])
        for group in groups:
            ours[group].append(recall(text, case["references"]))
            peer[group].append(case["lexrank"])
    print(f"{'split':<16}{'ROUGE-2 R':>10}{'LexRank':>10}{'ratio':>8}")
    order = ["main", "B", "C", "B + C"]
    for group in sorted(
        ours, key=lambda g: (g.endswith("+focus"), order.index(g.removesuffix(" +focus")))
    ):
        values = ours[group]
        mine, base = statistics.fmean(values), statistics.fmean(peer[group])
        print(f"{group:<16}{mine:>10.4f}{base:>10.4f}{mine / base:>8.3f}")
    print(f"summarize: mean {statistics.fmean(seconds):.3f} s, max {max(seconds):.3f} s per call")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    cap = sub.add_parser("capture", help="record the brief's summarize arguments")
    cap.add_argument("main_path", help="DUC 2007 main (250 words)")
    cap.add_argument("update_path", help="DUC 2007 update (100 words)")
    cap.add_argument("--out", required=True, help="pickle to write (outside the repository)")
    cap.add_argument("--lexrank-cache", help="JSON file of LexRank summaries (main)")
    sco = sub.add_parser("score", help="score the current summarizer on recorded arguments")
    sco.add_argument("path")
    sco.add_argument("--sentence-folds", help="directory of held-out sentence-prior folds")
    sco.add_argument("--no-sentence-prior", action="store_true", help="learned prior off")
    args = parser.parse_args(argv)
    if args.command == "score":
        score(args.path, args.sentence_folds, not args.no_sentence_prior)
        return 0
    calls: list[tuple[Any, dict[str, Any], list[str]]] = []
    storybrief.brief.summarize = _recording(calls)
    cases = capture_main(args.main_path, args.lexrank_cache, calls)
    cases += capture_update(args.update_path, calls)
    with open(args.out, "wb") as fh:
        pickle.dump(cases, fh)
    print(f"{len(cases)} summaries recorded in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
