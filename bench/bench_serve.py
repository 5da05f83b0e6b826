"""Speed of the web UI: a story page served from a large store vs `storybrief brief` of the same
story's documents from files, and latency under 16 concurrent clients.

Usage: python bench/bench_serve.py DATASET [FILLER...] [--documents 10000] [--db FILE]
                                   [--stories 3] [--clients 16] [--requests 25]

1. The store: DATASET is a summarization file (``{"docs": [{"id", "date", "title", "text"}]}``
   per cluster; its clusters are the stories measured); FILLER files (any eval format with
   ``text`` or ``html``, or more summarization files) fill the store up to ``--documents``.
   When the real documents run out, filler documents are *stitched*: the first half of one
   filler article's paragraphs followed by the second half of another's (distinct texts that
   are not near-copies). Everything is written as JSON Lines and ingested with
   ``storybrief ingest`` (timed). ``--db FILE`` reuses a store built by an earlier run (with
   its ``FILE.records.jsonl``).
2. For the ``--stories`` largest stories holding DATASET documents: ``storybrief brief
   --format html`` of the story's documents written to a file (a fresh process, as a user runs
   it) vs ``GET /stories/{id}`` from a running ``storybrief serve`` on loopback (median of
   ``PAGE_REPEATS`` requests after one warm-up). Prints both and the ratio (floor: 20x).
3. Load: ``--clients`` threads, each with its own HTTP connection, each sending ``--requests``
   requests cycling through story pages, the story list, document pages, searches and the
   JSON API. Prints p50/p95/max latency per kind and overall, throughput and errors
   (anything but HTTP 200).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import httpx

PAGE_REPEATS = 15
FLOOR = 20.0


def _rows(path: str) -> Iterator[dict[str, Any]]:
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def _day(value: object) -> str | None:
    found = re.match(r"\d{4}-\d{2}-\d{2}", str(value or ""))
    return found.group(0) if found else None


def measured_records(path: str) -> list[dict[str, Any]]:
    """The summarization clusters' documents as ingest records (url ``bench://main/...``)."""
    out = []
    for cluster in _rows(path):
        for doc in cluster.get("docs", []):
            out.append({"url": f"bench://main/{cluster['id']}/{doc['id']}", "title": doc.get("title"),
                        "published": _day(doc.get("date")), "text": doc["text"]})
    return out


def filler_records(paths: Sequence[str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for path in paths:
        name = Path(path).name.split(".")[0]
        for n, row in enumerate(_rows(path)):
            if "docs" in row:
                out += [{"url": f"bench://{name}/{row['id']}/{d['id']}", "title": d.get("title"),
                         "published": _day(d.get("date")), "text": d["text"]} for d in row["docs"]]
            elif row.get("text"):
                out.append({"url": f"bench://{name}/{row.get('id', n)}", "text": row["text"]})
            elif row.get("html"):
                out.append({"url": f"bench://{name}/{row.get('id', n)}", "html": row["html"]})
    return out


def stitched(fillers: Sequence[dict[str, Any]], count: int) -> Iterator[dict[str, Any]]:
    """``count`` distinct documents from halves of two different plain-text filler articles."""
    texts = [r["text"] for r in fillers if r.get("text")]
    parts = [[p for p in re.split(r"\n\s*\n|\n", t) if p.strip()] for t in texts]
    parts = [p for p in parts if len(p) >= 4]
    made, step = 0, 1
    while made < count and parts:
        for i in range(len(parts)):
            if made >= count:
                return
            a, b = parts[i], parts[(i + step) % len(parts)]
            text = "\n\n".join(a[: len(a) // 2] + b[len(b) // 2 :])
            yield {"url": f"bench://stitched/{step}/{i}", "text": text}
            made += 1
        step += 1


def build(args: argparse.Namespace, folder: Path) -> tuple[str, list[dict[str, Any]], float]:
    db = args.db or str(folder / "bench.db")
    records_file = Path(db + ".records.jsonl")
    if args.db and Path(db).exists() and records_file.exists():
        return db, list(_rows(str(records_file))), 0.0
    records = measured_records(args.dataset)
    fillers = filler_records(args.filler)
    records += fillers[: max(0, args.documents - len(records))]
    records += list(stitched(fillers, args.documents - len(records)))
    with open(records_file, "w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "storybrief", "ingest", str(records_file), "--db", db, "-q"],
                   check=True, env=_env())
    return db, records, time.perf_counter() - started


def _env() -> dict[str, str]:
    root = str(Path(__file__).resolve().parent.parent)
    return {**os.environ, "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", "")}


class Server:
    """``storybrief serve --port 0`` as a subprocess; stopped with SIGINT (Ctrl-C)."""

    def __init__(self, db: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "storybrief", "serve", "--db", db, "--port", "0"],
            stdout=subprocess.PIPE, text=True, env=_env(),
        )
        line = self.process.stdout.readline() if self.process.stdout else ""
        found = re.search(r"http://[^ ]+/", line)
        if not found:
            self.process.kill()
            raise SystemExit(f"storybrief serve did not start: {line!r}")
        self.url = found.group(0)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=30)


def story_vs_brief(server: Server, stories: Sequence[dict[str, Any]], records: Sequence[dict[str, Any]],
                   folder: Path) -> list[tuple[str, int, float, float]]:
    by_url = {r["url"]: r for r in records}
    out = []
    with httpx.Client(base_url=server.url, timeout=60) as client:
        for story in stories:
            chosen = [by_url[d["url"]] for d in story["documents"] if d.get("url") in by_url]
            pile = folder / f"story-{story['id']}.jsonl"
            pile.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in chosen), encoding="utf-8")
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "storybrief", "brief", str(pile), "--format", "html",
                            "-o", os.devnull, "-q"], check=True, env=_env())
            brief_s = time.perf_counter() - started
            assert client.get(f"/stories/{story['id']}").status_code == 200  # warm-up
            times = []
            for _ in range(PAGE_REPEATS):
                started = time.perf_counter()
                response = client.get(f"/stories/{story['id']}")
                times.append(time.perf_counter() - started)
                assert response.status_code == 200
            out.append((story["id"], len(chosen), brief_s, statistics.median(times)))
    return out


def load(server: Server, urls: Sequence[tuple[str, str]], clients: int, requests: int) -> dict[str, Any]:
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients)

    def client_loop(index: int) -> None:
        with httpx.Client(base_url=server.url, timeout=60) as client:
            barrier.wait()
            for n in range(requests):
                kind, url = urls[(index * 7 + n) % len(urls)]
                started = time.perf_counter()
                try:
                    status = client.get(url).status_code
                except httpx.HTTPError as exc:
                    status = -1
                    with lock:
                        errors.append(f"{url}: {exc}")
                elapsed = time.perf_counter() - started
                with lock:
                    latencies[kind].append(elapsed)
                    if status != 200 and status != -1:
                        errors.append(f"{url}: HTTP {status}")

    threads = [threading.Thread(target=client_loop, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return {"latencies": latencies, "errors": errors, "wall": wall}


def _pct(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", help="summarization JSONL(.gz): its clusters are the measured stories")
    parser.add_argument("filler", nargs="*", help="more eval files to fill the store with")
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--db", help="build the store here (or reuse it when it exists)")
    parser.add_argument("--stories", type=int, default=3)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=25, help="per client")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db, records, ingest_s = build(args, folder)
        server = Server(db)
        try:
            with httpx.Client(base_url=server.url, timeout=60) as client:
                listing = client.get("/api/stories?limit=100").json()
                doc_hit = client.get("/api/search", params={"q": "police"}).json()["results"]
            measured = [s for s in listing["stories"]
                        if any(str(d.get("url") or "").startswith("bench://main/") for d in s["documents"])]
            measured = sorted(measured, key=lambda s: -s["size"])[: args.stories]
            print(f"store: {db} — {len(records):,} documents ingested, {listing['total']:,} stories"
                  + (f", ingest {ingest_s:.0f} s" if ingest_s else " (reused)"))
            print("\n| story | documents | `brief --format html` from files (s) | served page (ms) | ratio |")
            print("|---|---:|---:|---:|---:|")
            ratios = []
            for story_id, size, brief_s, page_s in story_vs_brief(server, measured, records, folder):
                ratios.append(brief_s / page_s)
                print(f"| {story_id} | {size} | {brief_s:.2f} | {page_s * 1000:.1f} | {brief_s / page_s:.0f}× |")
            print(f"\nsmallest ratio {min(ratios):.0f}× (floor {FLOOR:.0f}×): "
                  f"{'met' if min(ratios) >= FLOOR else 'NOT met'}")
            urls: list[tuple[str, str]] = [("story page", f"/stories/{s['id']}") for s in measured]
            urls += [("story list", "/"), ("story list", "/?page=2"),
                     ("search", "/search?q=police"), ("search", "/search?q=president+election"),
                     ("api brief", f"/api/stories/{measured[0]['id']}")]
            urls += [("document page", f"/documents/{h['id']}?start={h['start']}&end={h['end']}")
                     for h in doc_hit[:3] if h.get("start") is not None]
            found = load(server, urls, args.clients, args.requests)
        finally:
            server.stop()
    total = [t for values in found["latencies"].values() for t in values]
    print(f"\nload: {args.clients} concurrent clients × {args.requests} requests = {len(total)} requests "
          f"in {found['wall']:.1f} s ({len(total) / found['wall']:.0f} requests/s), "
          f"errors: {len(found['errors'])}")
    print("\n| kind | requests | p50 (ms) | p95 (ms) | max (ms) |")
    print("|---|---:|---:|---:|---:|")
    for kind, values in sorted(found["latencies"].items()) + [("all", total)]:
        print(f"| {kind} | {len(values)} | {_pct(values, .5) * 1000:.0f} | {_pct(values, .95) * 1000:.0f} | "
              f"{max(values) * 1000:.0f} |")
    for error in found["errors"][:10]:
        print("error:", error)


if __name__ == "__main__":
    main()
