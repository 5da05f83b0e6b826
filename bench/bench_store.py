"""Ingest speed and memory of the story store.

Usage:
  python bench/bench_store.py scale EVAL_DIR [--others 10000] [--batch 300] [--repeats 3]
                                          [--keep DIR]
  python bench/bench_store.py html PAGES.jsonl.gz... [--repeats 3] [--stages]
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
2. ingest of the batch into an empty store and into a copy of the store of the others,
   alternated for ``--repeats`` rounds (the median ratio is the figure); then the same for the
   write step alone (``add_batch`` of the prepared batch).

``--keep DIR`` keeps the corpus and the others' store in ``DIR`` and reuses them when run
again (step 1 is then skipped), so the ratios can be taken again on a quiet machine.

``html`` writes each file's pages as .html files and times, each in a fresh process, a script
that runs trafilatura's own ``extract`` on every page as a user runs it
(``include_comments=True``, metadata off, one process) and ``storybrief ingest`` of the same
folder into an empty store (the CLI: reading, cleaning, analysis, writing, story briefs), as a
user runs it (worker processes, one per core) and in one process (``--workers 1``: the CPU it
takes). The three run in a rotating order for ``--repeats`` rounds; the median ratio to the
peer of the same round is the figure. storybrief's modules are byte-compiled first, as
``pip install`` leaves them (and trafilatura's are): where ``PYTHONDONTWRITEBYTECODE`` is set
(this sandbox sets it), an editable install would otherwise compile every module from source
in every process, ~0.2 s each for the writer and the workers' fork server. ``--stages`` then breaks the
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
import shutil
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
    print(
        f"pool {len(pool)} articles; others {args.others}; batch {len(batch_docs)} "
        f"DUC articles dated {dates[0]}..{dates[-1]}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        batch_path = [_write_batch(folder, batch_docs)]
        others_db = folder / f"others-{args.others}.db"
        if others_db.exists():
            print(f"others: the store of {args.others} kept in {others_db} (not timed again)")
        else:
            _build_others(folder, pool, args.others, days, others_db)
        _batch_ratio(folder, batch_path, others_db, args.repeats)
        _write_ratio(folder, batch_path, others_db)


def _write_batch(folder: Path, batch_docs: list[dict[str, Any]]) -> str:
    (folder / "batch").mkdir(exist_ok=True)
    path = folder / "batch" / "batch.jsonl"
    with open(path, "w", encoding="utf-8") as out:
        for d in batch_docs:
            record = {
                "text": d["text"],
                "title": d.get("title"),
                "published": str(_day(d["date"]) or ""),
                "url": f"duc:{d['id']}",
            }
            out.write(json.dumps(record) + "\n")
    return str(path)


def _build_others(
    folder: Path, pool: list[str], n: int, days: list[datetime.date], db: Path
) -> None:
    """Ingest the others into an empty store: documents per second and peak memory."""
    others = folder / f"others-{n}"
    if not others.exists():
        others.mkdir()
        _write_others(others, pool, n, days)
    files = sorted(str(p) for p in others.iterdir())
    partial = db.with_suffix(".partial.db")
    started = time.perf_counter()
    with open_writer(str(partial)) as store:
        for count, path in enumerate(files, start=1):
            ingest(store, [path], briefs=False)
            if count % 2 == 0:
                print(
                    f"  {count * 500:>6} documents  {time.perf_counter() - started:7.1f} s  "
                    f"max RSS {_rss_mib():7.1f} MiB",
                    flush=True,
                )
    took = time.perf_counter() - started
    partial.rename(db)
    print(
        f"others: {n / took:.1f} plain-text documents/s ({took:.1f} s), peak RSS {_rss_mib():.1f} MiB"
    )


def _batch_ratio(folder: Path, batch_path: list[str], others_db: Path, repeats: int) -> None:
    """The batch ingested into an empty store and into a copy of the others' store, the two
    alternated (empty first in odd rounds, the big store first in even ones) after an untimed
    warm-up ingest: median ratio."""
    with open_writer(
        _fresh(folder / "trial-warm-up.db")
    ) as store:  # imports and caches, so round 1 is not penalised
        ingest(store, batch_path, briefs=False)
    ratios = []
    for round_ in range(repeats):
        order = ["empty", "others"] if round_ % 2 == 0 else ["others", "empty"]
        timings = {}
        for name in order:
            with open_writer(_trial(folder, name, others_db)) as store:
                t0 = time.perf_counter()
                result = ingest(store, batch_path, briefs=False)
                timings[name] = time.perf_counter() - t0
        ratios.append(timings["others"] / timings["empty"])
        print(
            f"  round {round_ + 1}: batch into empty store {timings['empty']:6.2f} s, into the "
            f"others' store {timings['others']:6.2f} s ({result.added} added), ratio {ratios[-1]:.2f}"
        )
    print(
        f"ratio others / empty (whole ingest, median of {repeats}): {statistics.median(ratios):.2f} "
        f"({min(ratios):.2f}-{max(ratios):.2f})"
    )


def _fresh(db: Path) -> str:
    """``db``'s path, with no store (nor its WAL files) there."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return str(db)


def _trial(folder: Path, name: str, others_db: Path) -> str:
    """A fresh store for one timed ingest: empty, or a copy of the others' store."""
    db = _fresh(folder / f"trial-{name}.db")
    if name == "others":
        shutil.copyfile(others_db, db)
    return db


def _write_ratio(folder: Path, batch_path: list[str], others_db: Path) -> None:
    """The write step alone (``add_batch`` of the prepared batch), empty vs others."""
    from storybrief.read import read_source
    from storybrief.store.prepare import prepare_documents

    docs, _ = read_source(batch_path[0])
    prepared = prepare_documents(docs)
    writes = {}
    for name in ("empty", "others"):
        with open_writer(_trial(folder, name, others_db)) as store:
            t0 = time.perf_counter()
            for i in range(0, len(prepared), 50):
                add_batch(store, prepared[i : i + 50])
            writes[name] = time.perf_counter() - t0
    print(
        f"write step alone (add_batch): empty {writes['empty']:.2f} s, "
        f"others {writes['others']:.2f} s, ratio {writes['others'] / writes['empty']:.2f}"
    )


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
    _byte_compiled()
    for path in args.paths:
        _html_one(Path(path), args)


def _byte_compiled() -> None:
    """storybrief's modules byte-compiled (``__pycache__``), as an installed package has them."""
    import compileall

    import storybrief

    compileall.compile_dir(Path(storybrief.__file__).parent, quiet=1)


def _html_one(source: Path, args: argparse.Namespace) -> None:
    rows = _load(source)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        paths = []
        for n, row in enumerate(rows):
            path = folder / f"{n:04d}.html"
            path.write_text(row["html"], encoding="utf-8")
            paths.append(str(path))
        systems = {
            "trafilatura.extract": [sys.executable, "-c", _PEER_SCRIPT, str(folder)],
            "ingest": ["ingest", str(folder), "-q"],
            "ingest --workers 1": ["ingest", str(folder), "-q", "--workers", "1"],
        }
        times: dict[str, list[float]] = {name: [] for name in systems}
        # Each system in a fresh process (cold caches, start-up and imports included, as a
        # user meets them), in a rotating order so that none always runs first.
        for repeat in range(args.repeats):
            names = list(systems)
            names = names[repeat % 3 :] + names[: repeat % 3]
            for name in names:
                command = systems[name]
                if command[0] == "ingest":
                    db = str(Path(tmp) / f"r{repeat}-{len(command)}.db")
                    command = [sys.executable, "-m", "storybrief", *command, "--db", db]
                times[name].append(_timed(command))
            peer = times["trafilatura.extract"][-1]
            print(
                f"{source.name} repeat {repeat + 1}: "
                + ", ".join(f"{n} {t[-1]:.2f} s ({t[-1] / peer:.2f}x)" for n, t in times.items()),
                flush=True,
            )
        peers = times["trafilatura.extract"]
        print(f"{source.name}: {len(rows)} pages, median of {args.repeats} runs:")
        for name, spent in times.items():
            ratios = [t / p for t, p in zip(spent, peers, strict=True)]
            print(
                f"  {name:20} {statistics.median(spent):6.2f} s "
                f"({len(rows) / statistics.median(spent):5.1f} pages/s), x extract: median "
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
    s.add_argument("--repeats", type=int, default=3, help="alternated batch ingests")
    s.add_argument("--keep", help="folder to keep the corpus and the others' store in (reused)")
    h = sub.add_parser("html")
    h.add_argument("paths", nargs="+", metavar="PAGES", help="extraction-format JSONL files")
    h.add_argument("--repeats", type=int, default=3, help="alternated runs of each system")
    h.add_argument("--stages", action="store_true", help="also break ingest down by stage")
    args = parser.parse_args()
    scale(args) if args.mode == "scale" else html(args)


if __name__ == "__main__":
    sys.exit(main())
