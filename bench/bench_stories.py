"""Benchmark story clustering on a stories split (ECB+ format: id, text, story, topic).

Usage: python bench/bench_stories.py PATH [--sweep]

Clusters ALL documents of the file at once and reports, for ``cluster_stories`` and baselines
(all-in-one, one-per-document, plain TF-IDF without name tokens):

- B-cubed precision / recall / F1 against the gold ``story``;
- same-topic merges: of the pairs of different stories that share a ``topic`` (same kind of
  event, e.g. two different arrests), how many end up with documents in one cluster, and the
  share of cross-story, same-topic document pairs put together;
- wall time of the clustering.

``--sweep`` also prints the same numbers over a range of distance thresholds.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from itertools import combinations

from storybrief.analyze.stories import STORY_DISTANCE, cluster_stories


def load(path: str) -> list[dict[str, str]]:
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def bcubed(clusters: Sequence[Sequence[str]], gold: dict[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 (Bagga & Baldwin 1998), averaged over documents."""
    cluster_of = {doc: i for i, group in enumerate(clusters) for doc in group}
    members: dict[int, list[str]] = defaultdict(list)
    for doc, i in cluster_of.items():
        members[i].append(doc)
    by_story: dict[str, int] = defaultdict(int)
    for doc in cluster_of:
        by_story[gold[doc]] += 1
    precision = recall = 0.0
    for doc, i in cluster_of.items():
        same = sum(1 for other in members[i] if gold[other] == gold[doc])
        precision += same / len(members[i])
        recall += same / by_story[gold[doc]]
    n = len(cluster_of)
    p, r = precision / n, recall / n
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def topic_merges(
    clusters: Sequence[Sequence[str]], gold: dict[str, str], topic: dict[str, str]
) -> tuple[int, int, float]:
    """(merged story pairs, same-topic story pairs, share of cross-story same-topic doc pairs
    that share a cluster)."""
    cluster_of = {doc: i for i, group in enumerate(clusters) for doc in group}
    stories_of_topic: dict[str, set[str]] = defaultdict(set)
    for doc, story in gold.items():
        stories_of_topic[topic[doc]].add(story)
    story_clusters: dict[str, set[int]] = defaultdict(set)
    for doc, story in gold.items():
        story_clusters[story].add(cluster_of[doc])
    pairs = merged = 0
    for stories in stories_of_topic.values():
        for a, b in combinations(sorted(stories), 2):
            pairs += 1
            merged += bool(story_clusters[a] & story_clusters[b])
    cross = together = 0
    for a, b in combinations(sorted(gold), 2):
        if topic[a] == topic[b] and gold[a] != gold[b]:
            cross += 1
            together += cluster_of[a] == cluster_of[b]
    return merged, pairs, (together / cross if cross else 0.0)


def report(
    name: str,
    method: Callable[[list[tuple[str, str]]], list[list[str]]],
    docs: list[tuple[str, str]],
    gold: dict[str, str],
    topic: dict[str, str],
) -> None:
    start = time.perf_counter()
    clusters = method(docs)
    elapsed = time.perf_counter() - start
    p, r, f = bcubed(clusters, gold)
    merged, pairs, pair_rate = topic_merges(clusters, gold, topic)
    print(
        f"{name:<34} clusters={len(clusters):>4}  B3 P={p:.3f} R={r:.3f} F1={f:.3f}  "
        f"same-topic stories merged={merged}/{pairs}  cross-story pairs together={pair_rate:.3f}"
        f"  {elapsed:.2f}s"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", help="stories JSONL(.gz): id, text, story, topic")
    parser.add_argument("--sweep", action="store_true", help="also sweep distance thresholds")
    args = parser.parse_args(argv)
    rows = load(args.path)
    docs = [(row["id"], row["text"]) for row in rows]
    gold = {row["id"]: row["story"] for row in rows}
    topic = {row["id"]: row["topic"] for row in rows}
    print(f"{len(rows)} documents, {len(set(gold.values()))} stories, "
          f"{len(set(topic.values()))} topics")
    report("baseline: all in one", lambda d: [[i for i, _ in d]], docs, gold, topic)
    report("baseline: one per document", lambda d: [[i] for i, _ in d], docs, gold, topic)
    report(
        f"baseline: plain TF-IDF @ {STORY_DISTANCE}",
        lambda d: cluster_stories(d, names=False),
        docs,
        gold,
        topic,
    )
    report(f"cluster_stories @ {STORY_DISTANCE}", cluster_stories, docs, gold, topic)
    if args.sweep:
        for distance in (0.7, 0.75, 0.8, 0.85, 0.9, 0.95):
            for names in (False, True):
                label = f"{'names' if names else 'plain'} @ {distance}"
                report(
                    label,
                    lambda d, t=distance, n=names: cluster_stories(d, distance=t, names=n),
                    docs,
                    gold,
                    topic,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
