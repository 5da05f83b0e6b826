"""Story assignment cost per document versus the number of stories in the store.

Usage:
  python bench/bench_assign.py [--stories 3200] [--active 200] [--docs-per-story 2] [--probes 100]

A simulation for docs/scale.md: the central step of an ingest (``store.assign.assign_group``,
what ``add_batch`` runs for every original document) on synthetic stories, so that tens of
thousands of stories are cheap to build. Each story has 12 specific terms drawn from a
50,000-word vocabulary with a Zipf law (so names like "@Trump" recur across stories, as in
news) plus 25 of 2,000 common words; its documents draw from those. Stories arrive in time;
two stores are filled side by side:

- *windowed*: ``--active`` stories per 40-day period, so a document's candidates (stories
  active within ``ACTIVE_WINDOW_DAYS``) stay about ``--active`` however large the store;
- *all active*: every story in the same window (no time partition).

At each doubling of the store, ``--probes`` new documents (of new stories, dated in the
latest period) are assigned inside a rolled-back savepoint, and the mean time per document
is printed, with how many story_terms rows the candidate lookup touched.
"""

from __future__ import annotations

import argparse
import datetime
import math
import random
import tempfile
import time
from pathlib import Path

from storybrief.store import open_writer
from storybrief.store.assign import ACTIVE_WINDOW_DAYS, assign_group
from storybrief.store.centroids import Centroids

VOCABULARY, COMMON = 50_000, 2_000


def _story_terms(rng: random.Random) -> tuple[list[str], list[str]]:
    specific = []
    while len(specific) < 12:
        rank = int(rng.paretovariate(1.0))  # Zipf-like: low ranks (frequent names) recur
        if rank < VOCABULARY:
            specific.append(f"@w{rank}")
    return specific, [f"c{rng.randrange(COMMON)}" for _ in range(25)]


def _doc_terms(rng: random.Random, specific: list[str], common: list[str]) -> dict[str, float]:
    terms = rng.sample(specific, 9) + rng.sample(common, 15)
    return {t: 1.0 + math.log(1 + rng.randrange(3)) * (3.0 if t[0] == "@" else 1.0) for t in terms}


class Sim:
    def __init__(self, path: Path, active: int | None, per_story: int, seed: int) -> None:
        self.store = open_writer(str(path)).__enter__()
        self.conn = self.store.conn
        self.conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('documents', '0')")
        self.active, self.per_story = active, per_story
        self.rng = random.Random(seed)
        self.stories = self.seq = 0
        self.start = datetime.date(2020, 1, 1)
        self.centroids = Centroids(self.conn)

    def _date(self, story: int) -> str:
        period = story // self.active if self.active else 0
        return (self.start + datetime.timedelta(days=40 * period + story % 10)).isoformat()

    def _add(self, story: int, dated: str) -> None:
        specific, common = _story_terms(self.rng)
        for _ in range(self.per_story):
            self.seq += 1
            doc_id = f"{self.seq:016x}"
            self.conn.execute(
                "INSERT INTO documents (seq, id, text, format, added) VALUES (?, ?, '', 'text', '')",
                (self.seq, doc_id),
            )
            terms = _doc_terms(self.rng, specific, common)
            assign_group(self.conn, [(doc_id, self.seq, terms, dated)], (), self.centroids)

    def _begin(self) -> None:
        """A transaction, with the centroids of one batch as ``add_batch`` keeps them."""
        self.conn.execute("BEGIN")
        self.centroids = Centroids(self.conn)

    def grow(self, to: int) -> None:
        self._begin()
        while self.stories < to:
            self._add(self.stories, self._date(self.stories))
            self.stories += 1
        self.conn.execute("COMMIT")

    def probe(self, n: int) -> float:
        self._begin()
        dated = self._date(max(0, self.stories - 1))
        started = time.perf_counter()
        for k in range(n):
            self._add(self.stories + k, dated)
        took = time.perf_counter() - started
        self.conn.execute("ROLLBACK")
        return took / (n * self.per_story)

    def live(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM stories").fetchone()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=3200)
    parser.add_argument("--active", type=int, default=200)
    parser.add_argument("--docs-per-story", type=int, default=2)
    parser.add_argument("--probes", type=int, default=100)
    args = parser.parse_args()
    print(
        f"assignment cost per document (ms); windowed = {args.active} stories per 40-day "
        f"period (active window ±{ACTIVE_WINDOW_DAYS} days), all active = one window"
    )
    print(
        f"{'stories written':>16} {'windowed':>10} {'(stories)':>10} {'all active':>11} {'(stories)':>10}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        windowed = Sim(Path(tmp) / "w.db", args.active, args.docs_per_story, 1)
        flat = Sim(Path(tmp) / "a.db", None, args.docs_per_story, 1)
        size = args.active // 2
        while size <= args.stories:
            row = [size]
            for sim in (windowed, flat):
                sim.grow(size)
                row += [1000 * sim.probe(args.probes), sim.live()]
            print(
                f"{row[0]:>16} {row[1]:>10.2f} {row[2]:>10} {row[3]:>11.2f} {row[4]:>10}",
                flush=True,
            )
            size *= 2


if __name__ == "__main__":
    main()
