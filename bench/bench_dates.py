"""Document dates inferred from undated news text, measured through the CLI.

Usage: python bench/bench_dates.py DATASET.jsonl.gz [DATASET ...] [--limit N] [--window DAYS]

DATASET is a summarization split (``{"id", "docs": [{"id", "date", "title", "text"}]}`` per
line, e.g. DUC 2007). Each cluster is written as a pile of plain-text files (title line, blank
line, text: what a user saving articles from a browser gets), *without* their dates, and given
to ``storybrief brief --format json`` in a fresh process. A document counts as dated when the
brief's ``documents[].date`` is set; the date is right when it lies within ``--window`` days
(31) of the article's true publication date, the first ten characters of ``date`` in the file
(``YYYY-MM-DD``, ``MM/DD/YYYY``, or ``YYYY-DD-MM`` when the middle field is over 12).

Printed per split and per news agency (the letters before the digits of the document id, e.g.
APW, NYT, XIE): articles, dated (coverage), right (precision among dated), and the median
error of the dated ones in days. Also the share of events the brief itself marks undated.
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import json
import re
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any


def true_date(value: str) -> datetime.date:
    value = value.strip()
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    if match:
        year, first, second = int(match[1]), int(match[2]), int(match[3])
        # Some records write YYYY-DD-MM ("1998-14-06"): a month above 12 is the day.
        return datetime.date(year, *((first, second) if first <= 12 else (second, first)))
    match = re.match(r"(\d{2})/(\d{2})/(\d{4})", value)
    if match:
        return datetime.date(int(match[3]), int(match[1]), int(match[2]))
    raise ValueError(f"unknown date format: {value!r}")


def agency(doc_id: str) -> str:
    match = re.match(r"[A-Za-z_]+", doc_id)
    return match.group() if match else "?"


def run_brief(cluster: dict[str, Any], workdir: Path) -> dict[str, Any]:
    pile = workdir / cluster["id"]
    pile.mkdir()
    for n, doc in enumerate(cluster["docs"]):
        body = (doc.get("title") or "").strip()
        text = (body + "\n\n" if body else "") + doc["text"].strip() + "\n"
        # Neutral file names: DUC ids ("APW19990612.0141") would give the date away.
        (pile / f"article{n:03d}.txt").write_text(text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "storybrief", "brief", "--format", "json", "-q", str(pile)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode not in (0, 1):
        raise RuntimeError(f"{cluster['id']}: exit {done.returncode}: {done.stderr[-500:]}")
    return json.loads(done.stdout)


class Tally:
    def __init__(self) -> None:
        self.n = 0
        self.dated = 0
        self.right = 0
        self.errors: list[int] = []

    def add(self, truth: datetime.date, got: str | None, window: int) -> None:
        self.n += 1
        if got is None:
            return
        error = abs((datetime.date.fromisoformat(got[:10]) - truth).days)
        self.dated += 1
        self.right += error <= window
        self.errors.append(error)

    def line(self, name: str) -> str:
        coverage = self.dated / self.n if self.n else 0.0
        precision = self.right / self.dated if self.dated else 0.0
        median = f"{statistics.median(self.errors):.0f}" if self.errors else "-"
        return (
            f"{name:<24} articles={self.n:<4} dated={self.dated:<4} coverage={coverage:.3f} "
            f"right={self.right:<4} precision={precision:.3f} median error={median} d"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("datasets", nargs="+")
    parser.add_argument("--limit", type=int, default=0, help="only the first N clusters per file")
    parser.add_argument("--window", type=int, default=31, help="days within which a date is right")
    parser.add_argument("--show", action="store_true", help="print every wrong date")
    args = parser.parse_args(argv)
    overall = Tally()
    events_total = events_undated = 0
    for path in args.datasets:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            clusters = [json.loads(line) for line in handle if line.strip()]
        if args.limit:
            clusters = clusters[: args.limit]
        split = Tally()
        by_agency: dict[str, Tally] = defaultdict(Tally)
        with tempfile.TemporaryDirectory() as tmp:
            for cluster in clusters:
                result = run_brief(cluster, Path(tmp))
                truth = {
                    f"article{n:03d}": true_date(d["date"]) for n, d in enumerate(cluster["docs"])
                }
                names = {f"article{n:03d}": d["id"] for n, d in enumerate(cluster["docs"])}
                events_total += len(result["events"])
                events_undated += sum(e["date"] is None for e in result["events"])
                for doc in result["documents"]:
                    doc_id = Path(doc["path"]).stem
                    got = doc["date"] if doc["date_inferred"] else None
                    for tally in (split, by_agency[agency(names[doc_id])], overall):
                        tally.add(truth[doc_id], got, args.window)
                    if (
                        args.show
                        and got
                        and abs((datetime.date.fromisoformat(got) - truth[doc_id]).days)
                        > args.window
                    ):
                        print(
                            f"  WRONG {cluster['id']}/{names[doc_id]}: {got} (true {truth[doc_id]})"
                        )
        print(split.line(Path(path).name.split(".")[0]))
        for name in sorted(by_agency):
            print("  " + by_agency[name].line(name))
    print(overall.line("all"))
    if events_total:
        print(f"events undated: {events_undated}/{events_total}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
