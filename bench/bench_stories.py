"""Benchmark story clustering on a stories split (ECB+ format: id, text, story, topic).

Usage: python bench/bench_stories.py PATH [--sweep] [--events-duc DUC_PATH]

Clusters ALL documents of the file at once and reports, for ``cluster_stories`` and baselines
(all-in-one, one-per-document, plain TF-IDF without name tokens):

- B-cubed precision / recall / F1 against the gold ``story``;
- same-topic merges: of the pairs of different stories that share a ``topic`` (same kind of
  event, e.g. two different arrests), how many end up with documents in one cluster, and the
  share of cross-story, same-topic document pairs put together;
- wall time of the clustering.

``--sweep`` also prints the same numbers over a range of distance thresholds.

``--events-duc`` checks event dating on DUC clusters (summarization format: docs with dates):
each cluster is one story; its documents go to ``find_events`` *without* their dates, and the
dates the events get are compared with the real ones: how many documents end up in a dated
event, how often two documents in different dated events are ordered like their real dates,
and how far event dates are from the real dates.
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import json
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from itertools import combinations

from storybrief.analyze.events import EventDoc, find_events
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


def parse_day(value: str) -> datetime.date | None:
    """A document's day from the dataset's date strings, which come as ISO ("1999-06-12"),
    year-day-month ("1998-14-06") or US ("06/16/1998"); ``None`` if unreadable."""
    numbers = [int(n) for n in re.findall(r"\d+", value)[:3]]
    if len(numbers) < 3:
        return None
    if "/" in value.split()[0]:
        month, day, year = numbers
    else:
        year, month, day = numbers
    if month > 12:
        month, day = day, month
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def events_duc(path: str, keep_every: int = 0) -> None:
    """Order and date checks of ``find_events`` on DUC clusters with dates withheld: all of
    them (``keep_every=0``), or all but every ``keep_every``-th document's; only documents
    whose date was withheld are scored."""
    clusters = load(path)
    docs_total = docs_dated = events_total = 0
    agree = disagree = ties = near_week = 0
    errors: list[int] = []
    start = time.perf_counter()
    for cluster in clusters:
        days = {d["id"]: parse_day(d["date"]) for d in cluster["docs"]}
        real = {doc: day for doc, day in days.items() if day is not None}
        given = {
            doc: day
            for i, (doc, day) in enumerate(days.items())
            if keep_every and i % keep_every == 0
        }
        events = find_events(
            [EventDoc(d["id"], d["text"], published=given.get(d["id"])) for d in cluster["docs"]]
        )
        real = {doc: day for doc, day in real.items() if doc not in given}
        events_total += len(events)
        date_of = {
            doc: e.date for e in events for doc in e.doc_ids if e.date is not None and doc in real
        }
        event_of = {doc: e.id for e in events for doc in e.doc_ids}
        docs_total += len(real)
        docs_dated += len(date_of)
        for doc, date in date_of.items():
            error = abs((date - real[doc]).days)
            errors.append(error)
            near_week += error <= 7
        for a, b in combinations(sorted(date_of), 2):
            if event_of[a] == event_of[b] or real[a] == real[b]:
                continue
            real_order = real[a] < real[b]
            if date_of[a] == date_of[b]:
                ties += 1
            elif (date_of[a] < date_of[b]) == real_order:
                agree += 1
            else:
                disagree += 1
    elapsed = time.perf_counter() - start
    errors.sort()
    median = errors[len(errors) // 2] if errors else None
    withheld = f"all dates but 1 in {keep_every} withheld" if keep_every else "dates withheld"
    print(
        f"events on {len(clusters)} DUC clusters, {withheld}: {events_total} events; scored "
        f"{docs_total} documents; {docs_dated} documents in a dated event "
        f"({docs_dated / docs_total:.1%}); within 7 days of the real date: {near_week}; "
        f"median error {median} days"
    )
    pairs = agree + disagree + ties
    if pairs:
        print(
            f"  pairs of documents in different dated events: {pairs}; ordered like the real "
            f"dates {agree} ({agree / pairs:.1%}), reversed {disagree}, same date {ties}"
        )
    print(f"  {elapsed:.1f}s ({elapsed / max(len(clusters), 1):.2f}s per 25-article cluster)")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", help="stories JSONL(.gz): id, text, story, topic")
    parser.add_argument("--sweep", action="store_true", help="also sweep distance thresholds")
    parser.add_argument("--events-duc", metavar="DUC_PATH", help="also check event dating on DUC")
    args = parser.parse_args(argv)
    rows = load(args.path)
    docs = [(row["id"], row["text"]) for row in rows]
    gold = {row["id"]: row["story"] for row in rows}
    topic = {row["id"]: row["topic"] for row in rows}
    print(
        f"{len(rows)} documents, {len(set(gold.values()))} stories, "
        f"{len(set(topic.values()))} topics"
    )
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
    if args.events_duc:
        events_duc(args.events_duc)
        events_duc(args.events_duc, keep_every=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
