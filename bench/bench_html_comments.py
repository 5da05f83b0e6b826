"""Benchmark reporting vs reader comments on HTML pages, and what cleaning a page costs.

Usage:
    python bench/bench_html_comments.py PAGES_JSONL_GZ [--limit N]

PAGES is a JSON Lines file (gzipped or not) of ``{"html", "article", "comments"}`` rows
(Dragnet format). Each page is read and cleaned by storybrief (``html_document`` then
``clean_document``) and, in the same run, extracted by trafilatura alone (``bare_extraction``
with comments on: its main text is the reporting, its comments the comments). Scores are over
5-word shingles of the gold texts:

- comment in reporting: share of the gold comments' shingles found in the reporting
  (title, headings, body), averaged over pages with comments, and the share of such pages
  above 20%;
- article kept: share of the gold article's shingles found in the reporting;
- comments found: share of the gold comments' shingles found in the comment blocks.

Cost: per page, storybrief's read + clean time divided by trafilatura's own extraction time
of that page: ``trafilatura.extract`` as a user runs it (its defaults, comments on), and beside
it with metadata on too (what storybrief also reads); the three are timed back to back on each
page (interleaved, so all see the same load). The per-page median and 90th percentile of each
ratio are printed, with the time of each stage summed over all pages.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import time
from collections import defaultdict
from pathlib import Path

SHINGLE = 5
LEAK_PAGE_THRESHOLD = 0.2


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def _share(gold: set[tuple[str, ...]], found: set[tuple[str, ...]]) -> float | None:
    return len(gold & found) / len(gold) if gold else None


def _open(path: Path):  # type: ignore[no-untyped-def]
    return gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else path.open()


def storybrief_split(html: str, timings: dict[str, float]) -> tuple[str, str]:
    from storybrief.clean import clean_document
    from storybrief.read.html import html_document
    from storybrief.read.limits import ReadFailure

    started = time.perf_counter()
    try:
        doc = html_document(html, None)
    except ReadFailure:
        timings["read"] += time.perf_counter() - started
        return "", ""
    read_done = time.perf_counter()
    clean_document(doc)
    timings["read"] += read_done - started
    timings["clean"] += time.perf_counter() - read_done
    reporting = "\n".join(b.text for b in doc.blocks if b.label in ("title", "heading", "body"))
    comments = "\n".join(b.text for b in doc.blocks if b.label == "comment")
    return reporting, comments


def trafilatura_split(html: str) -> tuple[str, str]:
    import trafilatura

    doc = trafilatura.bare_extraction(html, include_comments=True, with_metadata=False)
    if doc is None:
        return "", ""
    return doc.text or "", doc.comments or ""


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark HTML comment separation and cost.")
    parser.add_argument("path", type=Path)
    parser.add_argument("--limit", type=int, default=0, help="first N pages only")
    args = parser.parse_args()
    import trafilatura

    rows = []
    with _open(args.path) as handle:
        for raw in handle:
            rows.append(json.loads(raw))
            if args.limit and len(rows) >= args.limit:
                break
    scores: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    timings: dict[str, float] = defaultdict(float)
    ratios: list[float] = []
    meta_ratios: list[float] = []
    for row in rows:
        html = row["html"]
        gold_article = _shingles(row.get("article") or "")
        gold_comments = _shingles(row.get("comments") or "")
        started = time.perf_counter()
        trafilatura.extract(html, include_comments=True)
        peer_time = time.perf_counter() - started
        started = time.perf_counter()
        trafilatura.extract(html, include_comments=True, with_metadata=True)
        peer_meta_time = time.perf_counter() - started
        timings["trafilatura.extract"] += peer_time
        timings["trafilatura.extract with metadata"] += peer_meta_time
        started = time.perf_counter()
        ours = storybrief_split(html, timings)
        own = time.perf_counter() - started
        ratios.append(own / max(peer_time, 1e-6))
        meta_ratios.append(own / max(peer_meta_time, 1e-6))
        for name, (reporting, comments) in (
            ("storybrief", ours),
            ("trafilatura", trafilatura_split(html)),
        ):
            rep, com = _shingles(reporting), _shingles(comments)
            for key, value in (
                ("leak", _share(gold_comments, rep)),
                ("kept", _share(gold_article, rep)),
                ("found", _share(gold_comments, com)),
            ):
                if value is not None:
                    scores[name][key].append(value)
    print(f"## HTML pages: {args.path} ({len(rows)} pages)")
    print(
        f"{'system':<12} {'comment in reporting':>21} {'pages > 20%':>12} "
        f"{'article kept':>13} {'comments found':>15}"
    )
    for name, s in scores.items():
        leaks = s["leak"]
        over = sum(v > LEAK_PAGE_THRESHOLD for v in leaks)
        print(
            f"{name:<12} {statistics.mean(leaks):21.4f} {over:>5}/{len(leaks):<3} {over / len(leaks):5.3f}"
            f" {statistics.mean(s['kept']):12.4f} {statistics.mean(s['found']):15.4f}"
        )
    for peer, values in (
        ("trafilatura.extract (comments on)", ratios),
        ("trafilatura.extract (comments and metadata on)", meta_ratios),
    ):
        values.sort()
        p90 = values[int(0.9 * (len(values) - 1))]
        print(
            f"cost: storybrief read+clean / {peer} per page: median {statistics.median(values):.2f}x,"
            f" p90 {p90:.2f}x"
        )
    print("time summed over pages: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()))


if __name__ == "__main__":
    main()
