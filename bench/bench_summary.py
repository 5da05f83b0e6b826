"""Benchmark the extractive summarizer against sumy's LexRank on DUC-style clusters.

Usage::

    python bench/bench_summary.py PATH/duc2007-main.jsonl.gz [--words 250] [--limit N]

PATH is a gzipped JSON Lines file of clusters ``{"id", "title", "narrative", "docs": [{"id",
"date", "title", "text"}], "references": [str, ...]}``. For every cluster, three systems
summarize the same documents, split into the same sentences by
``storybrief.analyze.sentences.split_sentences``:

* ``storybrief+focus``: ``summarize(..., focus=title + narrative)``;
* ``storybrief``: the same without focus;
* ``lexrank``: sumy's ``LexRankSummarizer`` (English stemmer and stop words) over all the
  sentences, ranked sentences taken in rank order.

Both ours and LexRank are scored under DUC's length rule: the text is cut at exactly
``--words`` whitespace words. LexRank takes ranked sentences until the budget is reached, so
its last sentence is cut; ours is run with ``allow_cut=True``, which appends the next sentence
its greedy selection would take after the (never exceeded) budget, last, to be cut the same
way. The product itself never cuts a sentence (it drops the partial one).
Every summary is truncated to ``--words`` whitespace words and scored
with ``rouge_score`` (ROUGE-1/2/L, Porter stemming) against each reference separately; the
per-reference scores are averaged (the same rule for every system). Reported: mean recall and
F1 per system, the ROUGE-2 recall ratio of ours to LexRank, mean wall time per cluster, and a
one-off subprocess timing of our summarizer on one cluster including interpreter start-up.
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import html
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from typing import Any

from rouge_score import rouge_scorer
from sumy.models.dom import ObjectDocumentModel, Paragraph
from sumy.models.dom import Sentence as SumySentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.utils import get_stop_words

from storybrief.analyze.sentences import split_sentences
from storybrief.summarize.extractive import SummaryInput, summarize

METRICS = ("rouge1", "rouge2", "rougeL")
_WORD = re.compile(r"\w+(?:['’.\-]\w+)*")


class _Tokenizer:
    """Word tokenizer for sumy (its default one needs NLTK punkt data, unavailable offline)."""

    language = "english"

    def to_words(self, text: str) -> tuple[str, ...]:
        return tuple(_WORD.findall(text))

    def to_sentences(self, text: str) -> tuple[str, ...]:  # not used: sentences are given
        return tuple(s.text for s in split_sentences(text))


class _RankedLexRank(LexRankSummarizer):
    """LexRank that also keeps every sentence's rating, to take sentences in rank order."""

    ratings: dict[Any, float]

    def _get_best_sentences(
        self, sentences: Any, count: Any, rating: Any, *args: Any, **kwargs: Any
    ) -> Any:
        self.ratings = dict(rating)
        return super()._get_best_sentences(sentences, count, rating, *args, **kwargs)


def parse_date(value: str | None) -> datetime.date | None:
    """DUC dates come as YYYY-MM-DD, YYYY-DD-MM or MM/DD/YYYY, with or without a time."""
    if not value:
        return None
    if m := re.match(r"(\d{4})-(\d{2})-(\d{2})", value):
        year, a, b = (int(g) for g in m.groups())
        month, day = (b, a) if a > 12 else (a, b)
    elif m := re.match(r"(\d{1,2})/(\d{1,2})/(\d{4})", value):
        month, day, year = (int(g) for g in m.groups())
    else:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def truncate(text: str, words: int) -> str:
    return " ".join(text.split()[:words])


def run_ours(cluster: dict[str, Any], words: int, focus: str | None) -> str:
    inputs = [
        SummaryInput(doc_id=d["id"], text=d["text"], date=parse_date(d.get("date")))
        for d in cluster["docs"]
    ]
    return " ".join(s.text for s in summarize(inputs, words=words, focus=focus, allow_cut=True))


def run_lexrank(cluster: dict[str, Any], words: int) -> str:
    tokenizer = _Tokenizer()
    paragraphs = [
        Paragraph([SumySentence(s.text, tokenizer) for s in split_sentences(d["text"], d["id"])])
        for d in cluster["docs"]
    ]
    document = ObjectDocumentModel(paragraphs)
    summarizer = _RankedLexRank(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    summarizer(document, 1)
    order = {s: i for i, s in enumerate(document.sentences)}
    ranked = sorted(summarizer.ratings, key=lambda s: (-summarizer.ratings[s], order[s]))
    out: list[str] = []
    count = 0
    for sentence in ranked:
        if count >= words:
            break
        out.append(str(sentence))
        count += len(str(sentence).split())
    return truncate(" ".join(out), words)


def score(
    scorer: rouge_scorer.RougeScorer, summary: str, references: Sequence[str]
) -> dict[str, tuple[float, float]]:
    """Mean over references of (recall, F1) per metric."""
    per_ref = [scorer.score(ref, summary) for ref in references]
    return {
        m: (
            statistics.fmean(s[m].recall for s in per_ref),
            statistics.fmean(s[m].fmeasure for s in per_ref),
        )
        for m in METRICS
    }


def subprocess_timing(cluster: dict[str, Any], words: int) -> float:
    """Seconds for a fresh interpreter to import the summarizer and summarize one cluster."""
    code = (
        "import json, sys\n"
        "from storybrief.summarize.extractive import SummaryInput, summarize\n"
        "c = json.load(open(sys.argv[1], encoding='utf-8'))\n"
        "inputs = [SummaryInput(d['id'], d['text']) for d in c['docs']]\n"
        "focus = c['title'] + '. ' + c['narrative']\n"
        "print(sum(len(s.text.split()) for s in summarize(inputs, int(sys.argv[2]), focus)))\n"
    )
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as fh:
        json.dump(cluster, fh)
        path = fh.name
    try:
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", code, path, str(words)], check=True, capture_output=True
        )
        return time.perf_counter() - start
    finally:
        os.unlink(path)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", help="gzipped JSON Lines of summarization clusters")
    parser.add_argument("--words", type=int, default=250, help="summary length in words")
    parser.add_argument("--limit", type=int, default=0, help="only the first N clusters")
    parser.add_argument("--no-lexrank", action="store_true", help="skip the (slow) peer")
    args = parser.parse_args(argv)

    with gzip.open(args.path, "rt", encoding="utf-8") as fh:
        clusters = [json.loads(line) for line in fh if line.strip()]
    if args.limit:
        clusters = clusters[: args.limit]

    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    systems: dict[str, Callable[[dict[str, Any]], str]] = {
        "storybrief+focus": lambda c: run_ours(c, args.words, c["title"] + ". " + c["narrative"]),
        "storybrief": lambda c: run_ours(c, args.words, None),
    }
    if not args.no_lexrank:
        systems["lexrank"] = lambda c: run_lexrank(c, args.words)
    results: dict[str, list[dict[str, tuple[float, float]]]] = {name: [] for name in systems}
    seconds: dict[str, list[float]] = {name: [] for name in systems}

    for cluster in clusters:
        references = [html.unescape(r) for r in cluster["references"]]
        for name, system in systems.items():
            start = time.perf_counter()
            summary = system(cluster)
            seconds[name].append(time.perf_counter() - start)
            results[name].append(score(scorer, truncate(summary, args.words), references))

    print(
        f"{len(clusters)} clusters from {os.path.basename(args.path)}, {args.words} words; "
        "ROUGE averaged over references (rouge_score, stemming)"
    )
    header = f"{'system':<18}" + "".join(f"{m + ' R':>10}{m + ' F':>10}" for m in METRICS)
    print(header + f"{'s/cluster':>11}")
    means: dict[str, dict[str, tuple[float, float]]] = {}
    for name in systems:
        means[name] = {
            m: (
                statistics.fmean(r[m][0] for r in results[name]),
                statistics.fmean(r[m][1] for r in results[name]),
            )
            for m in METRICS
        }
        row = "".join(f"{means[name][m][0]:>10.4f}{means[name][m][1]:>10.4f}" for m in METRICS)
        print(f"{name:<18}{row}{statistics.fmean(seconds[name]):>11.3f}")
    if "lexrank" in means:
        base = means["lexrank"]["rouge2"][0]
        for name in ("storybrief+focus", "storybrief"):
            print(f"ROUGE-2 recall ratio {name} / lexrank: {means[name]['rouge2'][0] / base:.2f}x")
    sizes = [len(c["docs"]) for c in clusters]
    big = clusters[max(range(len(clusters)), key=lambda i: sizes[i])]
    elapsed = subprocess_timing(big, args.words)
    print(
        f"fresh-interpreter run (start-up + imports + summarize), cluster {big['id']} "
        f"({len(big['docs'])} docs): {elapsed:.2f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
