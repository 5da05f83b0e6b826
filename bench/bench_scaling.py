"""How the cost of a brief grows with the pile: wall time and peak memory, small vs large pile.

Usage:
    python bench/bench_scaling.py DATASET... [--small 100] [--large 1000] [--seed 7] [--keep DIR]

Every DATASET is a gzipped (or plain) JSON Lines file of news articles in one of the eval
formats: summarization clusters (``docs: [{id, date, title, text}]``), or one article per row
(``{id, text}``, as the stories and quotes splits). All articles are pooled (the same article
id counted once), shuffled with ``--seed``, and the first ``--large`` form the large pile; its
first ``--small`` form the small one, so both piles are of the same kind (the same mix of
stories and sources). Each pile is written as one JSON Lines file (``text``, ``title``,
``url``, and ``published`` when the dataset gives a date) and briefed as a user runs it,

    python -m storybrief brief PILE.jsonl --format json -q -o OUT.json

in a fresh subprocess, one after the other. For each: wall time, and the child's peak resident
memory (``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` read after each run; the value only
grows, so the small pile runs first). CPU seconds (user + system, worker processes included)
are printed beside wall time: on a shared machine they are the steadier figure. The floors (issue 10): large / small time ratio at most
12 for 10x the documents, and peak memory at most 600 MB for the large pile.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

_DATE_IN_ID = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def load(path: Path) -> list[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _iso(value: str | None) -> str | None:
    """An ISO day from the datasets' date strings (ISO, year-day-month, US), else None."""
    if not value:
        return None
    numbers = [int(n) for n in re.findall(r"\d+", value)[:3]]
    if len(numbers) < 3:
        return None
    year, month, day = numbers if "/" not in value.split()[0] else (numbers[2], *numbers[:2])
    if month > 12:
        month, day = day, month
    if not (1900 < year < 2100 and 1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def articles(paths: list[Path]) -> list[dict[str, Any]]:
    """Every article of the datasets as a storybrief JSON Lines record, each id once."""
    seen: set[str] = set()
    out = []
    for path in paths:
        for row in load(path):
            items = row.get("docs", [row])
            for item in items:
                if item["id"] in seen or not item.get("text", "").strip():
                    continue
                seen.add(item["id"])
                date = item.get("date")
                if not date:
                    found = _DATE_IN_ID.search(item["id"])
                    date = found.group() if found else None
                record = {"url": f"urn:{item['id']}", "title": item.get("title"),
                          "text": item["text"], "published": _iso(date)}
                out.append({k: v for k, v in record.items() if v})
    return out


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(pile: Path, out: Path) -> tuple[float, float, float]:
    """Wall and CPU seconds of one ``brief`` (its worker processes included), and the peak
    RSS (MB) of all children so far."""
    command = [sys.executable, "-m", "storybrief", "brief", str(pile), "--format", "json",
               "-q", "-o", str(out)]
    cpu = _cpu()
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        sys.exit(f"brief failed ({done.returncode}): {done.stderr[-2000:]}")
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # kilobytes on Linux
    return elapsed, _cpu() - cpu, peak_kb / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description="Time and memory of a brief, small vs large.")
    parser.add_argument("datasets", nargs="+", type=Path)
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--large", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="write the piles here and keep them")
    args = parser.parse_args()
    pool = articles(args.datasets)
    if len(pool) < args.large:
        sys.exit(f"only {len(pool)} articles in the datasets, fewer than --large {args.large}")
    random.Random(args.seed).shuffle(pool)
    with tempfile.TemporaryDirectory() as tmp:
        where = args.keep or Path(tmp)
        where.mkdir(parents=True, exist_ok=True)
        rows = []
        for size in (args.small, args.large):
            pile = where / f"pile-{size}.jsonl"
            with pile.open("w", encoding="utf-8") as handle:
                for record in pool[:size]:
                    handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            seconds, cpu, peak = run(pile, where / f"brief-{size}.json")
            brief = json.loads((where / f"brief-{size}.json").read_text(encoding="utf-8"))
            rows.append((size, seconds, cpu, peak))
            dated = sum(1 for r in pool[:size] if "published" in r)
            print(f"{size:>6} documents ({dated} dated): wall {seconds:7.1f} s  CPU {cpu:7.1f} s  "
                  f"peak RSS so far {peak:6.0f} MB  stories {len(brief['stories'])}", flush=True)
    (small, t_small, c_small, _), (large, t_large, c_large, peak_large) = rows
    print(f"ratio {large}/{small} documents: wall {t_large / t_small:.1f}x, CPU "
          f"{c_large / c_small:.1f}x (floor 12x); peak RSS {peak_large:.0f} MB (floor 600 MB)")


if __name__ == "__main__":
    main()
