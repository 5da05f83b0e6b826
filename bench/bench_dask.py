"""Ingest on Dask against in-process ingest, on a corpus of a few thousand real articles.

Usage:
  python bench/bench_dask.py DATASET.jsonl.gz... [--limit N] [--per-file 250] [--sample 200]

Each DATASET is an eval JSON Lines file of articles (``{"text", ...}`` records) or of
clusters (``{"docs": [{"text", "title", "date"}, ...]}``, DUC); their articles are pooled
(texts of over 80 words, at most ``--limit``) and written as plain JSONL files of
``--per-file`` records (so there are tasks to spread: 100 records per task).

In one run, each into a fresh store and through the CLI in a subprocess (``nice``d as the
caller is): ``storybrief ingest --workers 1`` (in process), ``--dask local --workers 1``,
``--workers 2``, and ``storybrief ingest`` as a user runs it on this machine (local worker
processes, one per core: ``scale.pool``). It checks that the stores are equal (documents,
copies, stories, events, briefs) and prints the times and ratios (floors: 2 workers <= 0.7x 1
worker; 1 worker <= 1.3x in process),
then the per-document costs measured in process on ``--sample`` documents: prepare (what
workers run), write and assign (``add_batch``, central), and the brief refresh per story.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _articles(paths: list[str]) -> list[dict[str, Any]]:
    out = []
    for path in paths:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                for doc in record.get("docs", [record]):
                    if len(str(doc.get("text", "")).split()) > 80:
                        out.append(
                            {
                                "text": doc["text"],
                                "title": doc.get("title"),
                                "published": str(doc.get("date") or "")[:10] or None,
                            }
                        )
    return out


def _write(folder: Path, articles: list[dict[str, Any]], per_file: int) -> None:
    folder.mkdir()
    for start in range(0, len(articles), per_file):
        with open(folder / f"part-{start // per_file:03d}.jsonl", "w", encoding="utf-8") as out:
            for article in articles[start : start + per_file]:
                out.write(json.dumps(article) + "\n")


def _ingest(corpus: Path, db: Path, dask: list[str]) -> tuple[float, dict[str, Any]]:
    command = [sys.executable, "-m", "storybrief", "ingest", str(corpus), "--db", str(db)]
    command += [*dask, "-q", "--format", "json"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    took = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"ingest failed ({done.returncode}): {done.stderr[-2000:]}")
    return took, json.loads(done.stdout)


def _snapshot(path: Path) -> dict[str, Any]:
    with sqlite3.connect(path) as conn:
        return {
            "docs": conn.execute(
                "SELECT d.id, d.duplicate_of, m.story_id, m.event_id FROM documents d "
                "LEFT JOIN memberships m ON m.doc_seq = d.seq ORDER BY d.id"
            ).fetchall(),
            "stories": conn.execute(
                "SELECT id, size, first_date, last_date, label, merged_into FROM stories ORDER BY id"
            ).fetchall(),
            "briefs": conn.execute(
                "SELECT story_id, revision, brief FROM story_briefs ORDER BY story_id"
            ).fetchall(),
        }


def _differences(reference: dict[str, Any], other: dict[str, Any], label: str) -> None:
    """Which rows of ``other``'s snapshot differ from the in-process store's (a few shown)."""
    for key, rows in reference.items():
        mine, theirs = set(map(tuple, rows)), set(map(tuple, other[key]))
        if mine != theirs:
            print(f"  {label}: {key}: {len(mine - theirs)} rows differ from in process")
            for row in sorted(mine - theirs)[:2] + sorted(theirs - mine)[:2]:
                print(f"    {str(row)[:240]}")


def _costs(corpus: Path, sample: int, tmp: Path) -> None:
    """Per-document costs in process, on the first ``sample`` documents of the corpus."""
    from storybrief.read import discover, read_source
    from storybrief.store import open_writer
    from storybrief.store.briefs import refresh_briefs
    from storybrief.store.prepare import prepare_document
    from storybrief.store.write import BATCH_SIZE, add_batch

    docs = []
    for source in discover([str(corpus)])[0]:
        docs += read_source(source)[0]
        if len(docs) >= sample:
            break
    docs = docs[:sample]
    started = time.perf_counter()
    prepared = [prepare_document(doc) for doc in docs]
    prepare = time.perf_counter() - started
    with open_writer(str(tmp / "costs.db")) as store:
        started = time.perf_counter()
        for i in range(0, len(prepared), BATCH_SIZE):
            add_batch(store, prepared[i : i + BATCH_SIZE])
        write = time.perf_counter() - started
        started = time.perf_counter()
        stories = refresh_briefs(store)
        briefs = time.perf_counter() - started
    n = len(docs)
    print(
        f"per-document costs, in process, first {n} documents (read + prepare includes the reader):"
    )
    print(f"  prepare (workers): {1000 * prepare / n:.1f} ms/document")
    print(
        f"  write + assign (client, add_batch in batches of {BATCH_SIZE}): {1000 * write / n:.1f} ms/document"
    )
    print(
        f"  brief refresh (workers with --dask): {1000 * briefs / max(1, stories):.1f} ms/story "
        f"({stories} stories, {1000 * briefs / n:.1f} ms/document)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("datasets", nargs="+", metavar="DATASET")
    parser.add_argument("--limit", type=int, default=None, help="at most N articles")
    parser.add_argument("--per-file", type=int, default=250)
    parser.add_argument(
        "--sample", type=int, default=200, help="documents for the per-document costs"
    )
    args = parser.parse_args()
    articles = _articles(args.datasets)[: args.limit]
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        corpus = tmp / "corpus"
        _write(corpus, articles, args.per_file)
        files = len(list(corpus.iterdir()))
        print(
            f"corpus: {len(articles)} articles in {files} JSONL files; load average {os.getloadavg()}"
        )
        runs = {
            "in process": ["--workers", "1"],
            "dask local, 1 worker": ["--dask", "local", "--workers", "1"],
            "dask local, 2 workers": ["--dask", "local", "--workers", "2"],
            "local workers (default)": [],
        }
        times, snapshots = {}, {}
        for label, extra in runs.items():
            db = tmp / f"{len(times)}.db"
            took, summary = _ingest(corpus, db, extra)
            times[label] = took
            snapshots[label] = _snapshot(db)
            print(
                f"{label:>24}: {took:7.1f} s  ({summary['added']} added, "
                f"{summary['stories_new']} stories, {len(summary['errors'])} errors; "
                f"store {db.stat().st_size / 1024 / max(1, summary['added']):.0f} KiB/document; "
                f"load average {os.getloadavg()[0]:.2f})",
                flush=True,
            )
        same = all(s == snapshots["in process"] for s in snapshots.values())
        print(f"stores equal (documents, copies, stories, events, briefs): {same}")
        for label, snapshot in snapshots.items():
            _differences(snapshots["in process"], snapshot, label)
        one, two = times["dask local, 1 worker"], times["dask local, 2 workers"]
        inproc = times["in process"]
        print(
            f"2 workers / 1 worker: {two / one:.2f} (floor <= 0.70: {'met' if two / one <= 0.7 else 'not met'})"
        )
        print(
            f"1 worker / in process: {one / inproc:.2f} (floor <= 1.30: {'met' if one / inproc <= 1.3 else 'not met'})"
        )
        print(f"2 workers / in process: {two / inproc:.2f}")
        local = times["local workers (default)"]
        print(f"local workers (default) / in process: {local / inproc:.2f}")
        _costs(corpus, args.sample, tmp)


if __name__ == "__main__":
    main()
