"""Facts and conflicts on multi-document news clusters: speed and a readable sample.

Usage: python bench/bench_facts.py DATASET.jsonl.gz [--cluster N] [--show K]

DATASET is a summarization split (``{"id", "docs": [{"id", "text"}], ...}`` per line, e.g.
DUC 2007). For every cluster (or only cluster N) the articles' body sentences (found by
``label_lines`` + ``split_sentences``, as the pipeline does) are grouped by ``find_facts``;
the script prints the sentence count, the time ``find_facts`` took, how many facts have
support >= 2, and (with ``--show``) the K best-supported facts and the conflicts found, so
that a person can judge whether groups are one fact and conflicts are real disagreements.
There is no gold standard for facts in these data: this is a speed and sanity check.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import time
from typing import Any

from storybrief.analyze.facts import find_facts
from storybrief.analyze.sentences import split_sentences
from storybrief.clean.lines import label_lines
from storybrief.model import Sentence


def body_sentences(docs: list[dict[str, Any]]) -> tuple[list[Sentence], dict[str, str]]:
    """Body sentences of every document, and each document's text by id."""
    sentences: list[Sentence] = []
    texts: dict[str, str] = {}
    for doc in docs:
        text = doc["text"]
        texts[doc["id"]] = text
        for block in label_lines(text):
            if block.label == "body":
                sentences.extend(split_sentences(text, doc["id"], block.start, block.end))
    return sentences, texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dataset")
    parser.add_argument("--cluster", type=int, default=None, help="only this cluster (0-based)")
    parser.add_argument("--show", type=int, default=0, help="print this many facts per cluster")
    args = parser.parse_args()

    with gzip.open(args.dataset, "rt", encoding="utf-8") as handle:
        clusters = [json.loads(line) for line in handle]
    if args.cluster is not None:
        clusters = [clusters[args.cluster]]

    times = []
    for cluster in clusters:
        sentences, texts = body_sentences(cluster["docs"])
        begin = time.perf_counter()
        facts, conflicts = find_facts(sentences)
        elapsed = time.perf_counter() - begin
        times.append(elapsed)
        multi = [f for f in facts if f.support >= 2]
        print(
            f"{cluster['id']}: {len(sentences)} sentences, {elapsed * 1000:.0f} ms, "
            f"{len(multi)} facts with support>=2 (max {max((f.support for f in facts), default=0)}),"
            f" {len(conflicts)} conflicts"
        )
        for fact in multi[: args.show]:
            print(f"  [{fact.support}] {fact.text[:160]}")
        if args.show:
            for conflict in conflicts:
                print(f"  CONFLICT {conflict.kind}: {conflict.fact_text[:120]}")
                for value, spans in conflict.values.items():
                    for span in spans:
                        said = texts[span.doc_id][span.start : span.end]
                        print(f"      {value!r} {span.doc_id}: {said[:150]}")
    print(f"find_facts time: median {statistics.median(times) * 1000:.0f} ms, "
          f"max {max(times) * 1000:.0f} ms over {len(times)} clusters")


if __name__ == "__main__":
    main()
