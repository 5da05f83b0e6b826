"""Document dates inferred from undated news text, measured through the CLI.

Usage: python bench/bench_dates.py DATASET.jsonl.gz [DATASET ...] [--limit N] [--window DAYS]
       [--rules] [--show]

DATASET is a summarization split (``{"id", "docs": [{"id", "date", "title", "text"}]}`` per
line, e.g. DUC 2007). Each cluster is written as a pile of plain-text files (title line, blank
line, text: what a user saving articles from a browser gets), *without* their dates, and given
to ``storybrief brief --format json`` in a fresh process. A document counts as dated when the
brief's ``documents[].date`` is set; the date is right when it lies within ``--window`` days
(31) of the article's true publication date, the first ten characters of ``date`` in the file
(``YYYY-MM-DD``, ``MM/DD/YYYY``, or ``YYYY-DD-MM`` when the middle field is over 12).

Printed per split and per news agency (the letters before the digits of the document id, e.g.
APW, NYT, XIE): articles, dated (coverage), right (precision among dated), and the median
error of the dated ones in days; then per rule (which rule dated the document's event, read
from the event's ``evidence``); then the same for the peer, htmldate (trafilatura's date
finder, ``find_date`` with ``extensive_search``) on each article as a plain HTML page, run on
the same files. Also the share of events the brief itself marks undated.

``--rules`` measures the pile rules alone, without the CLI: ``infer_pile_dates`` over each
cluster's texts, tallied per rule, split and agency (fast; for calibrating the rules).
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import html
import json
import re
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

#: Which rule dated an event, from the start or a phrase of its ``evidence`` (the wording of
#: ``analyze/pile_dates.py``, ``analyze/dates.py`` and ``analyze/events.py``).
RULES = (
    ("published", "published"),
    ("the dateline in the one year from", "pile: dateline, weekday and the pile's latest year"),
    ("of another page's date", "pile: dateline near a dated page"),
    ("days after a date the story states", "pile: dateline after a stated day"),
    ("near the story's dates", "story: a stated day near the story's dates"),
    ("a date its pages report as past", "story: first weekday after a stated date"),
    ("reports what an earlier report announced", "story: announced follow-up"),
    ("'", "story: a date stated in another page"),
    ("date inferred from the text of its pages", "own text"),
)


def rule_of(evidence: str | None) -> str:
    text = evidence or ""
    for phrase, name in RULES:
        if (text.startswith(phrase) if phrase in {"published", "'"} else phrase in text):
            return name
    return "other"


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


def pile_texts(cluster: dict[str, Any]) -> list[str]:
    """Each article as the user's saved file: title line, blank line, text."""
    texts = []
    for doc in cluster["docs"]:
        title = (doc.get("title") or "").strip()
        texts.append((title + "\n\n" if title else "") + doc["text"].strip() + "\n")
    return texts


def run_brief(cluster: dict[str, Any], workdir: Path) -> dict[str, Any]:
    pile = workdir / cluster["id"]
    pile.mkdir()
    for n, text in enumerate(pile_texts(cluster)):
        # Neutral file names: DUC ids ("APW19990612.0141") would give the date away.
        (pile / f"article{n:03d}.txt").write_text(text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "storybrief", "brief", "--format", "json", "-q", str(pile)],
        capture_output=True,
        text=True,
        check=False,
        cwd=workdir,  # not the repository: `-m` would import the package beside it first
    )
    if done.returncode not in (0, 1):
        raise RuntimeError(f"{cluster['id']}: exit {done.returncode}: {done.stderr[-500:]}")
    return json.loads(done.stdout)


def peer_date(text: str) -> str | None:
    """htmldate's date for the article as a plain HTML page (title, then one <p> a line)."""
    from htmldate import find_date

    title, _, body = text.partition("\n\n")
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in body.splitlines() if line)
    page = (
        f"<html><head><title>{html.escape(title)}</title></head><body><article>"
        f"<h1>{html.escape(title)}</h1>{paragraphs}</article></body></html>"
    )
    found = find_date(page, extensive_search=True, original_date=True)
    return str(found) if found else None


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


class Report:
    """Tallies of one split (or of all): ours, per agency, per rule, and the peer's."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.ours = Tally()
        self.agencies: dict[str, Tally] = defaultdict(Tally)
        self.rules: dict[str, Tally] = defaultdict(Tally)
        self.peer = Tally()
        self.peer_agencies: dict[str, Tally] = defaultdict(Tally)
        self.events = self.events_undated = 0

    def add(
        self, truth: datetime.date, doc_id: str, got: str | None, rule: str, window: int
    ) -> None:
        self.ours.add(truth, got, window)
        self.agencies[agency(doc_id)].add(truth, got, window)
        if got is not None:
            self.rules[rule].add(truth, got, window)

    def add_peer(self, truth: datetime.date, doc_id: str, got: str | None, window: int) -> None:
        self.peer.add(truth, got, window)
        self.peer_agencies[agency(doc_id)].add(truth, got, window)

    def print(self, peer: bool) -> None:
        print(self.ours.line(f"storybrief {self.name}"))
        for name in sorted(self.agencies):
            print("  " + self.agencies[name].line(name))
        for name in sorted(self.rules):
            tally = self.rules[name]
            print(f"    rule {name}: dated={tally.dated} right={tally.right}")
        if self.events:
            print(f"  events undated: {self.events_undated}/{self.events}")
        if peer:
            print(self.peer.line(f"htmldate {self.name}"))
            for name in sorted(self.peer_agencies):
                print("  " + self.peer_agencies[name].line(name))


def measure_cli(
    clusters: list[dict[str, Any]], report: Report, overall: Report, args: argparse.Namespace
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for cluster in clusters:
            result = run_brief(cluster, Path(tmp))
            texts = pile_texts(cluster)
            truth = {f"article{n:03d}": true_date(d["date"]) for n, d in enumerate(cluster["docs"])}
            names = {f"article{n:03d}": d["id"] for n, d in enumerate(cluster["docs"])}
            evidence = {e["id"]: e.get("evidence") for e in result["events"]}
            for tally in (report, overall):
                tally.events += len(result["events"])
                tally.events_undated += sum(e["date"] is None for e in result["events"])
            for doc in result["documents"]:
                key = Path(doc["path"]).stem
                got = doc["date"] if doc["date_inferred"] else None
                rule = rule_of(evidence.get(doc.get("event")))
                for tally in (report, overall):
                    tally.add(truth[key], names[key], got, rule, args.window)
                error = abs((datetime.date.fromisoformat(got) - truth[key]).days) if got else 0
                if args.show and error > args.window:
                    print(f"  WRONG {cluster['id']}/{names[key]}: {got} (true {truth[key]}) {rule}")
            if not args.no_peer:
                for n, doc in enumerate(cluster["docs"]):
                    found = peer_date(texts[n])
                    for tally in (report, overall):
                        tally.add_peer(truth[f"article{n:03d}"], doc["id"], found, args.window)


def measure_rules(
    clusters: list[dict[str, Any]], report: Report, overall: Report, args: argparse.Namespace
) -> None:
    from storybrief.analyze.pile_dates import infer_pile_dates

    for cluster in clusters:
        found = infer_pile_dates(pile_texts(cluster))
        for doc, date in zip(cluster["docs"], found, strict=True):
            got = date.date.isoformat() if date.date else None
            truth = true_date(doc["date"])
            for tally in (report, overall):
                tally.add(truth, doc["id"], got, date.rule, args.window)
            if args.show and date.date and abs((date.date - truth).days) > args.window:
                print(f"  WRONG {cluster['id']}/{doc['id']}: {got} (true {truth}) {date.basis}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("datasets", nargs="+")
    parser.add_argument("--limit", type=int, default=0, help="only the first N clusters per file")
    parser.add_argument("--window", type=int, default=31, help="days within which a date is right")
    parser.add_argument("--show", action="store_true", help="print every wrong date")
    parser.add_argument(
        "--rules", action="store_true", help="the pile rules alone, without the CLI (fast)"
    )
    parser.add_argument("--no-peer", action="store_true", help="skip htmldate")
    args = parser.parse_args(argv)
    overall = Report("all")
    for path in args.datasets:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            clusters = [json.loads(line) for line in handle if line.strip()]
        if args.limit:
            clusters = clusters[: args.limit]
        report = Report(Path(path).name.split(".")[0])
        (measure_rules if args.rules else measure_cli)(clusters, report, overall, args)
        report.print(peer=not (args.rules or args.no_peer))
    overall.print(peer=not (args.rules or args.no_peer))
    return 0


if __name__ == "__main__":
    sys.exit(main())
