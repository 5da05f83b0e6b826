"""Stream clustering of the store vs one-shot clustering (ECB+ format: id, text, story, topic).

Usage: python bench/bench_store_stories.py PATH [--batches 5] [--seeds 0 1 2] [--sweep]
       [--compare] [--cli]

Prepares every article once (``store.prepare``), then:

- one-shot: ``analyze.stories.cluster_stories`` over all articles at once (what ``brief`` does);
- stream, unshuffled, one batch;
- stream: the articles shuffled (once per ``--seeds`` value) and written to an empty store in
  ``--batches`` batches through ``store.write.add_batch`` (online assignment,
  ``store.assign``, then the bounded re-clustering, ``store.recluster``).

Prints B-cubed precision / recall / F1 against the gold ``story`` for each, the number of
stories, and the mean and worst difference of the shuffled runs to the one-shot F1.
``--sweep`` repeats the stream runs over a range of ``assign.JOIN_SIMILARITY`` values;
``--compare`` also runs them without the re-clustering (online assignment alone);
``--cli`` also runs the shuffled batches as a user does: each batch a JSONL file given to its
own ``storybrief ingest`` process, the stories read back with ``storybrief stories --format json``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_stories import bcubed, load  # noqa: E402

from storybrief.analyze.stories import cluster_stories  # noqa: E402
from storybrief.brief import masked_reporting_text  # noqa: E402
from storybrief.read.document import text_document  # noqa: E402
from storybrief.store import assign, open_writer, recluster  # noqa: E402
from storybrief.store.prepare import PreparedDocument, prepare_document  # noqa: E402
from storybrief.store.write import add_batch  # noqa: E402


def stream(prepared: Sequence[PreparedDocument], batches: int) -> list[list[str]]:
    """Story clusters (gold ids) after writing ``prepared`` in ``batches`` batches."""
    with tempfile.TemporaryDirectory() as folder, open_writer(f"{folder}/s.db") as store:
        size = -(-len(prepared) // batches)
        for i in range(0, len(prepared), size):
            add_batch(store, prepared[i : i + size])
        rows = store.conn.execute(
            "SELECT d.path, m.story_id FROM documents d JOIN memberships m ON m.doc_seq = d.seq"
        ).fetchall()
    groups: dict[str, list[str]] = {}
    for path, story in rows:
        groups.setdefault(story, []).append(path)
    return list(groups.values())


def stream_cli(rows: Sequence[dict[str, str]], batches: int) -> list[list[str]]:
    """Story clusters (gold ids) after ``storybrief ingest`` of ``rows`` in ``batches`` files,
    one process each, as a user ingests a daily crawl."""
    with tempfile.TemporaryDirectory() as folder:
        db = f"{folder}/s.db"
        size = -(-len(rows) // batches)
        for n, i in enumerate(range(0, len(rows), size)):
            path = f"{folder}/batch{n}.jsonl"
            with open(path, "w", encoding="utf-8") as handle:
                for row in rows[i : i + size]:
                    handle.write(json.dumps({"url": row["id"], "text": row["text"]}) + "\n")
            _storybrief("ingest", path, "--db", db, "-q")
        listed = json.loads(_storybrief("stories", "--db", db, "--format", "json", "--limit", "100000"))
    return [[d["url"] for d in story["documents"]] for story in listed]


def _storybrief(*args: str) -> str:
    command = [sys.executable, "-m", "storybrief", *args]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--batches", type=int, default=5)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--sweep", action="store_true")
    parser.add_argument("--compare", action="store_true")
    parser.add_argument("--cli", action="store_true")
    args = parser.parse_args()
    rows = load(args.path)
    gold = {r["id"]: r["story"] for r in rows}
    started = time.perf_counter()
    prepared = [prepare_document(text_document(r["text"], r["id"])) for r in rows]
    print(
        f"{len(rows)} articles, {len(set(gold.values()))} gold stories; prepared in "
        f"{time.perf_counter() - started:.1f} s"
    )
    masked = [(p.document.path or "", masked_reporting_text(p.document)) for p in prepared]
    one_shot = cluster_stories([m for m in masked if m[1].strip()])

    def report(name: str, clusters: list[list[str]]) -> float:
        p, r, f = bcubed(clusters, gold)
        print(f"{name:<52} P {p:.3f}  R {r:.3f}  F1 {f:.3f}  stories {len(clusters)}")
        return f

    base = report("one-shot cluster_stories (brief)", one_shot)
    modes = [("", recluster.recluster)]
    if args.compare:
        modes.append((", no re-clustering", lambda *_: recluster.Changes()))
    for score in [0.1, 0.12, 0.15, 0.18] if args.sweep else [assign.JOIN_SIMILARITY]:
        assign.JOIN_SIMILARITY = score
        for suffix, function in modes:
            recluster.recluster = function  # type: ignore[assignment]
            report(f"store, input order, 1 batch (join {score}{suffix})", stream(prepared, 1))
            scores = []
            for seed in args.seeds:
                shuffled = list(prepared)
                random.Random(seed).shuffle(shuffled)
                scores.append(report(
                    f"store, seed {seed}, {args.batches} batches (join {score}{suffix})",
                    stream(shuffled, args.batches),
                ))
            _differences(scores, base)
    if args.cli:
        scores = []
        for seed in args.seeds:
            shuffled_rows = list(rows)
            random.Random(seed).shuffle(shuffled_rows)
            clusters = stream_cli(shuffled_rows, args.batches)
            scores.append(report(f"storybrief ingest x{args.batches}, seed {seed}", clusters))
        _differences(scores, base)


def _differences(scores: Sequence[float], base: float) -> None:
    worst = min(scores) - base
    mean = sum(scores) / len(scores) - base
    print(f"  difference to one-shot: mean {mean:+.3f}, worst {worst:+.3f}")


if __name__ == "__main__":
    main()
