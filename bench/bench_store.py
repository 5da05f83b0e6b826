"""Ingest speed and memory of the story store.

Usage:
  python bench/bench_store.py scale EVAL_DIR [--others 10000] [--batch 300]
  python bench/bench_store.py html PAGES.jsonl.gz [--repeats 3] [--stages]
                                          (extraction format: id, url, html)

``scale`` builds its corpus from the eval sets' real articles under ``EVAL_DIR`` (DUC 2007
main, PolNeAR train, Dragnet train articles, Scrapinghub articles, ECB+ validation):

- the *batch*: the first ``--batch`` DUC 2007 main articles (real, with their dates);
- the *others*: ``--others`` documents, each the first half of one pool article (the rest of
  the pool: DUC, PolNeAR, Dragnet, Scrapinghub, ECB+) followed by the second half of another,
  so none is a copy of another or of the batch; each dated on a day spread over the batch's
  own date range (so the time index has to work), written as JSON Lines files of 500.

It then reports, in one run:

1. ingest of the others into an empty store (``store.write.ingest``, in process): documents
   per second, and peak memory (max RSS) after each 1,000 documents (flat = streaming);
2. ingest of the batch into an empty store and into the store of the others: time of each,
   their ratio, and the same for the write step alone (``add_batch`` of the prepared batch).

``html`` writes the pages as .html files and times, each in a fresh process, a script that
runs trafilatura's own ``extract`` on every page as a user runs it (``include_comments=True``,
metadata off) and ``storybrief ingest`` of the same folder into an empty store (the CLI:
reading, cleaning, analysis, writing, story briefs). The two alternate (peer first, then ours
first) for ``--repeats`` rounds; the median ratio is the figure. ``--stages`` then breaks the
ingest down page by page, interleaved with the peer in one process: reading (trafilatura
inside), cleaning + analysis, writing.
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from storybrief.store import open_writer
from storybrief.store.write import add_batch, ingest


def _load(path: Path) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _day(value: str) -> datetime.date | None:
    """DUC's dates come in several forms (ISO, year-day-month, US)."""
    for form in ("%Y-%m-%d", "%Y-%d-%m", "%m/%d/%Y"):
        try:
            return datetime.datetime.strptime(value[:10], form).date()
        except ValueError:
            continue
    return None


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _pool(eval_dir: Path) -> tuple[list[dict[str, Any]], list[str]]:
    duc = [d for c in _load(eval_dir / "summarization/duc2007-main.jsonl.gz") for d in c["docs"]]
    texts = [d["text"] for d in duc]
    texts += [r["text"] for r in _load(eval_dir / "quotes/polnear-train.jsonl.gz")]
    texts += [r["article"] for r in _load(eval_dir / "comments/dragnet-train.jsonl.gz")]
    texts += [r["article"] for r in _load(eval_dir / "extraction/scrapinghub-aeb.jsonl.gz")]
    texts += [r["text"] for r in _load(eval_dir / "stories/ecbplus-val.jsonl.gz")]
    return duc, [t for t in texts if len(t.split()) > 80]


def _halves(text: str) -> tuple[str, str]:
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) < 2:
        words = text.split()
        return " ".join(words[: len(words) // 2]), " ".join(words[len(words) // 2 :])
    return "\n".join(lines[: len(lines) // 2]), "\n".join(lines[len(lines) // 2 :])


def _write_others(folder: Path, pool: list[str], n: int, days: list[datetime.date]) -> None:
    rng = random.Random(0)
    for part in range(0, n, 500):
        with open(folder / f"others-{part // 500:03d}.jsonl", "w", encoding="utf-8") as out:
            for k in range(part, min(n, part + 500)):
                a, b = pool[k % len(pool)], pool[(k * 7 + 3) % len(pool)]
                text = _halves(a)[0] + "\n" + _halves(b)[1] + f"\n(variant {k})"
                day = rng.choice(days)
                out.write(
                    json.dumps(
                        {
                            "text": text,
                            "published": day.isoformat(),
                            "url": f"https://variants.example/{k}",
                        }
                    )
                    + "\n"
                )


def scale(args: argparse.Namespace) -> None:
    duc, pool = _pool(Path(args.eval_dir))
    batch_docs = duc[: args.batch]
    pool = pool[len(batch_docs) :]
    dates = sorted(day for d in batch_docs if (day := _day(d["date"])))
    span = (dates[-1] - dates[0]).days
    days = [dates[0] + datetime.timedelta(days=i) for i in range(span + 1)]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "others").mkdir()
        (folder / "batch").mkdir()
        _write_others(folder / "others", pool, args.others, days)
        with open(folder / "batch" / "batch.jsonl", "w", encoding="utf-8") as out:
            for d in batch_docs:
                out.write(
                    json.dumps(
                        {
                            "text": d["text"],
                            "title": d.get("title"),
                            "published": str(_day(d["date"]) or ""),
                            "url": f"duc:{d['id']}",
                        }
                    )
                    + "\n"
                )
        print(
            f"pool {len(pool)} articles; others {args.others}; batch {len(batch_docs)} "
            f"DUC articles dated {dates[0]}..{dates[-1]}"
        )
        others_db = str(folder / "others.db")
        files = sorted(str(p) for p in (folder / "others").iterdir())
        started = time.perf_counter()
        with open_writer(others_db) as store:
            for n, path in enumerate(files, start=1):
                ingest(store, [path], briefs=False)
                if n % 2 == 0:
                    print(
                        f"  {n * 500:>6} documents  {time.perf_counter() - started:7.1f} s  "
                        f"max RSS {_rss_mib():7.1f} MiB",
                        flush=True,
                    )
        took = time.perf_counter() - started
        print(
            f"others: {args.others / took:.1f} plain-text documents/s ({took:.1f} s), "
            f"peak RSS {_rss_mib():.1f} MiB"
        )
        batch_path = [str(folder / "batch" / "batch.jsonl")]
        empty_db = str(folder / "empty.db")
        timings = {}
        for name, db in (("empty", empty_db), ("10k", others_db)):
            with open_writer(db) as store:
                t0 = time.perf_counter()
                result = ingest(store, batch_path, briefs=False)
                timings[name] = time.perf_counter() - t0
            print(f"batch into {name:>5} store: {timings[name]:6.2f} s ({result.added} added)")
        print(f"ratio 10k / empty (whole ingest): {timings['10k'] / timings['empty']:.2f}")
        from storybrief.read import read_source
        from storybrief.store.prepare import prepare_documents

        docs, _ = read_source(batch_path[0])
        prepared = prepare_documents(docs)
        writes = {}
        for name, db in (("empty", str(folder / "empty2.db")), ("10k", others_db)):
            with open_writer(db) as store:
                if name == "10k":  # take the batch out again, to write it a second time
                    store.conn.execute("SAVEPOINT s")
                t0 = time.perf_counter()
                if name == "10k":
                    _remove(store, [p.id for p in prepared])
                    t0 = time.perf_counter()
                for i in range(0, len(prepared), 50):
                    add_batch(store, prepared[i : i + 50])
                writes[name] = time.perf_counter() - t0
        print(
            f"write step alone (add_batch): empty {writes['empty']:.2f} s, "
            f"10k {writes['10k']:.2f} s, ratio {writes['10k'] / writes['empty']:.2f}"
        )


def _remove(store: Any, ids: list[str]) -> None:
    """Forget the batch's documents in the 10k store (a second write then redoes it all)."""
    conn = store.conn
    conn.execute("RELEASE s")
    conn.execute("BEGIN")
    marks = ",".join("?" * len(ids))
    seqs = [r[0] for r in conn.execute(f"SELECT seq FROM documents WHERE id IN ({marks})", ids)]
    smarks = ",".join("?" * len(seqs))
    for table in (
        "blocks",
        "sentences",
        "date_mentions",
        "mentions",
        "quotes",
        "lsh_bands",
        "memberships",
        "document_terms",
    ):
        conn.execute(f"DELETE FROM {table} WHERE doc_seq IN ({smarks})", seqs)
    conn.execute(f"DELETE FROM term_postings WHERE doc_seq IN ({smarks})", seqs)
    conn.execute(f"DELETE FROM reporting_fts WHERE rowid IN ({smarks})", seqs)
    conn.execute(f"DELETE FROM comments_fts WHERE rowid IN ({smarks})", seqs)
    conn.execute(f"UPDATE documents SET duplicate_of = NULL WHERE duplicate_of IN ({marks})", ids)
    conn.execute(f"DELETE FROM documents WHERE seq IN ({smarks})", seqs)
    conn.execute("COMMIT")


#: The peer as a user runs it: a Python script that extracts each page with trafilatura's
#: defaults plus comments (metadata off), reading the same files.
_PEER_SCRIPT = """
import sys, pathlib, trafilatura
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.html")):
    trafilatura.extract(path.read_text(encoding="utf-8"), include_comments=True)
"""


def _timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def html(args: argparse.Namespace) -> None:
    rows = _load(Path(args.path))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        paths = []
        for n, row in enumerate(rows):
            path = folder / f"{n:04d}.html"
            path.write_text(row["html"], encoding="utf-8")
            paths.append(str(path))
        peer_cmd = [sys.executable, "-c", _PEER_SCRIPT, str(folder)]
        # Each system in a fresh process (cold caches, start-up and imports included, as a
        # user meets them), alternated: peer first in even repeats, ours first in odd ones.
        peers, ours, ratios = [], [], []
        for repeat in range(args.repeats):
            db = str(Path(tmp) / f"r{repeat}.db")
            ours_cmd = [sys.executable, "-m", "storybrief", "ingest", str(folder), "--db", db, "-q"]
            if repeat % 2 == 0:
                peer_t, ours_t = _timed(peer_cmd), _timed(ours_cmd)
            else:
                ours_t, peer_t = _timed(ours_cmd), _timed(peer_cmd)
            peers.append(peer_t)
            ours.append(ours_t)
            ratios.append(ours_t / peer_t)
            print(
                f"repeat {repeat + 1}: trafilatura.extract {peer_t:6.2f} s, storybrief ingest "
                f"{ours_t:6.2f} s, ratio {ours_t / peer_t:.2f}",
                flush=True,
            )
        print(
            f"{len(rows)} pages, median of {args.repeats}: trafilatura.extract "
            f"{statistics.median(peers):.2f} s, storybrief ingest {statistics.median(ours):.2f} s "
            f"({len(rows) / statistics.median(ours):.1f} pages/s); ratio median "
            f"{statistics.median(ratios):.2f} (min {min(ratios):.2f}, max {max(ratios):.2f})"
        )
        if args.stages:
            _stages(rows, paths, Path(tmp))


def _stages(rows: list[dict[str, Any]], paths: list[str], tmp: Path) -> None:
    """Where ingest's time goes, page by page, interleaved with the peer (one process)."""
    import trafilatura

    from storybrief.read import read_source
    from storybrief.store.prepare import prepare_document

    peer = read_t = prepare_t = write_t = 0.0
    with open_writer(str(tmp / "stages.db")) as store:
        for row, path in zip(rows, paths, strict=True):
            t0 = time.perf_counter()
            trafilatura.extract(row["html"], include_comments=True)
            t1 = time.perf_counter()
            docs, _ = read_source(path)
            t2 = time.perf_counter()
            prepared = [prepare_document(doc) for doc in docs]
            t3 = time.perf_counter()
            add_batch(store, prepared)
            t4 = time.perf_counter()
            peer, read_t = peer + t1 - t0, read_t + t2 - t1
            prepare_t, write_t = prepare_t + t3 - t2, write_t + t4 - t3
    stages = read_t + prepare_t + write_t
    print(
        f"stages, page by page in one process: trafilatura.extract {peer:.2f} s; read "
        f"(trafilatura inside) {read_t:.2f} s ({read_t / peer:.2f}x), clean + analysis "
        f"{prepare_t:.2f} s, write and assign {write_t:.2f} s; total {stages:.2f} s "
        f"({stages / peer:.2f}x; briefs not built)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    s = sub.add_parser("scale")
    s.add_argument("eval_dir")
    s.add_argument("--others", type=int, default=10000)
    s.add_argument("--batch", type=int, default=300)
    h = sub.add_parser("html")
    h.add_argument("path")
    h.add_argument("--repeats", type=int, default=3, help="alternated runs of each system")
    h.add_argument("--stages", action="store_true", help="also break ingest down by stage")
    args = parser.parse_args()
    scale(args) if args.mode == "scale" else html(args)


if __name__ == "__main__":
    sys.exit(main())
