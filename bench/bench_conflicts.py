"""Precision of the conflicts the brief reports, against conflicts labelled by hand.

Usage::

    python bench/bench_conflicts.py DATASET.jsonl.gz LABELS.tsv [--limit N] [--show]
        [--join-sets]

DATASET is a summarization split (``{"id", "docs": [{"id", "date", "title", "text"}]}`` per
line, e.g. DUC 2007). Every cluster is written as JSON Lines (title, text, ``published`` as an
ISO date: ``bench_brief_summary.write_cluster``) and given to ``storybrief brief --format
json -q`` in a fresh interpreter, as a user would; every conflict of the brief is collected.
``--join-sets`` first joins the clusters whose ids differ only after their last "-" (the DUC
update split's chronological sets A, B, C of one topic: the story as a store holds it).

LABELS is a tab-separated file, one labelled conflict a line (``#`` lines are comments):
``cluster  kind  spans  label  reason`` where ``spans`` lists every cited sentence of the
conflict as ``DOCUMENT:START-END`` (the dataset's document id and character offsets into its
text) joined by ``;`` in sorted order, ``label`` is ``true`` (a real disagreement between
sources about the same fact) or ``false``, and ``reason`` says why in a few words (no quoted
text). A conflict of the current code is matched to a label by cluster, kind and exactly the
same cited spans; conflicts with no label are listed as unlabelled (``--show`` prints their
values and cited sentences, and a label line to fill in).

Printed: conflicts found, labelled true / false, unlabelled, and precision over the labelled
ones (with its lower bound counting every unlabelled conflict as false); then how many
labelled conflicts the current code no longer reports (true ones lost and false ones fixed).
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_brief_summary import write_cluster  # noqa: E402


@dataclass(frozen=True)
class Key:
    cluster: str
    kind: str
    spans: str  # "DOC:START-END;..." sorted


@dataclass
class Found:
    key: Key
    values: list[tuple[str, list[tuple[str, int, int]]]]
    texts: dict[str, str]


def read_labels(path: str) -> dict[Key, tuple[str, str]]:
    labels: dict[Key, tuple[str, str]] = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cluster, kind, spans, label, reason = line.split("\t")
        if label not in ("true", "false"):
            raise ValueError(f"{path}: label must be true or false: {line!r}")
        labels[Key(cluster, kind, spans)] = (label, reason)
    return labels


def brief_conflicts(cluster: dict[str, Any], workdir: Path) -> list[Found]:
    path = workdir / f"{cluster['id']}.jsonl"
    write_cluster(cluster, path)
    done = subprocess.run(
        [sys.executable, "-m", "storybrief", "brief", str(path), "--format", "json", "-q"],
        check=False,
        capture_output=True,
        text=True,
    )
    if done.returncode not in (0, 1):
        raise RuntimeError(f"storybrief brief failed on {cluster['id']}: {done.stderr.strip()}")
    brief = json.loads(done.stdout)
    # Documents come out in input order; each is mapped to its record by its text.
    by_text: dict[str, list[str]] = {}
    for doc in cluster["docs"]:
        text = doc["text"].replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")
        by_text.setdefault(text, []).append(doc["id"])
    dataset_id = {d["id"]: by_text[d["text"]].pop(0) for d in brief["documents"]}
    texts = {dataset_id[d["id"]]: d["text"] for d in brief["documents"]}
    found = []
    for conflict in brief["conflicts"]:
        values = [
            (
                value["value"],
                [(dataset_id[s["document"]], s["start"], s["end"]) for s in value["sources"]],
            )
            for value in conflict["values"]
        ]
        spans = sorted({f"{d}:{s}-{e}" for _v, cited in values for d, s, e in cited})
        found.append(Found(Key(cluster["id"], conflict["kind"], ";".join(spans)), values, texts))
    return found


def join_sets(clusters: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One cluster per id prefix (before the last "-"), its sets' documents in order."""
    joined: dict[str, dict[str, Any]] = {}
    for cluster in clusters:
        topic = cluster["id"].rsplit("-", 1)[0]
        joined.setdefault(topic, {"id": topic, "docs": []})["docs"].extend(cluster["docs"])
    return list(joined.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", help="summarization split, .jsonl.gz")
    parser.add_argument("labels", help="labelled conflicts, .tsv")
    parser.add_argument("--limit", type=int, default=0, help="only the first N clusters")
    parser.add_argument("--show", action="store_true", help="print unlabelled conflicts")
    parser.add_argument("--join-sets", action="store_true", help="one brief per topic's sets")
    args = parser.parse_args(argv)
    labels = read_labels(args.labels)
    with gzip.open(args.dataset, "rt", encoding="utf-8") as handle:
        clusters = [json.loads(line) for line in handle if line.strip()]
    if args.join_sets:
        clusters = join_sets(clusters)
    if args.limit:
        clusters = clusters[: args.limit]
    counts: Counter[str] = Counter()
    seen: set[Key] = set()
    with tempfile.TemporaryDirectory() as tmp:
        for cluster in clusters:
            for conflict in brief_conflicts(cluster, Path(tmp)):
                seen.add(conflict.key)
                label, reason = labels.get(conflict.key, ("unlabelled", ""))
                counts[label] += 1
                values = " | ".join(v for v, _ in conflict.values)
                print(f"{label:<10} {conflict.key.cluster} {conflict.key.kind:<6} {values[:70]}"
                      + (f"  ({reason})" if reason else ""))
                if label == "unlabelled" and args.show:
                    for value, cited in conflict.values:
                        for doc_id, start, end in cited:
                            said = conflict.texts[doc_id][start:end].replace("\n", " ")
                            print(f"    {value!r} {doc_id}: {said[:300]}")
                    key = conflict.key
                    print(f"    LABEL\t{key.cluster}\t{key.kind}\t{key.spans}\t?\t?")
    run_clusters = {c["id"] for c in clusters}
    gone = Counter(
        label for key, (label, _r) in labels.items() if key.cluster in run_clusters and key not in seen
    )
    true, false, unlabelled = counts["true"], counts["false"], counts["unlabelled"]
    total = true + false + unlabelled
    precision = true / (true + false) if true + false else 0.0
    lower = true / total if total else 0.0
    print(
        f"{args.dataset}: {len(clusters)} clusters, {total} conflicts: {true} true, {false} false, "
        f"{unlabelled} unlabelled; precision {precision:.3f} over the labelled "
        f"(≥ {lower:.3f} counting unlabelled as false)"
    )
    print(
        f"labelled conflicts no longer reported: {gone['true']} true (lost), "
        f"{gone['false']} false (fixed)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
