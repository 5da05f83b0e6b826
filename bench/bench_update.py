"""The update brief (``brief --db --story --since``) on DUC 2007 update sets vs sumy LexRank.

Usage: python bench/bench_update.py PATH [--words 100]

PATH is the DUC update file (summarization format; ids ``<topic>-A``, ``-B``, ``-C``). For
each topic, a fresh store gets set A ingested, then set B (the writes, dedup, analysis and
story assignment of ``store.write.ingest``); the update brief of B is built from the stored
documents of the topic (``store.update.update_from_documents``: B's sentences that A did not
already report), then C is ingested and its update brief built with A and B as the earlier
reporting. Each is scored (ROUGE-2/ROUGE-1 recall, stemming, at ``--words`` words, mean over
the 4 references) beside sumy LexRank run on the new documents alone, in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_stories import load  # noqa: E402
from bench_summary import parse_date, run_lexrank, truncate  # noqa: E402
from rouge_score import rouge_scorer  # noqa: E402

from storybrief.options import Options  # noqa: E402
from storybrief.store import open_writer, query  # noqa: E402
from storybrief.store.update import update_from_documents  # noqa: E402
from storybrief.store.write import ingest  # noqa: E402


def _write(folder: str, name: str, docs: list[dict]) -> str:
    path = os.path.join(folder, f"{name}.jsonl")
    with open(path, "w", encoding="utf-8") as out:
        for d in docs:
            day = parse_date(d.get("date"))
            record = {
                "text": d["text"],
                "title": d.get("title"),
                "url": f"duc:{d['id']}",
                "published": day.isoformat() if day else None,
            }
            out.write(json.dumps(record) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--words", type=int, default=100)
    args = parser.parse_args()
    sets = {row["id"]: row for row in load(args.path)}
    topics = sorted({key.rsplit("-", 1)[0] for key in sets})
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)
    scores: dict[tuple[str, str], list[float]] = defaultdict(list)
    for topic in topics:
        with tempfile.TemporaryDirectory() as folder, open_writer(f"{folder}/s.db") as store:
            earlier: list[str] = []
            for part in ("A", "B", "C"):
                cluster = sets[f"{topic}-{part}"]
                ingest(store, [_write(folder, part, cluster["docs"])], briefs=False)
                urls = {f"duc:{d['id']}" for d in cluster["docs"]}
                rows = store.conn.execute("SELECT id, url FROM documents").fetchall()
                new = [i for i, url in rows if url in urls]
                if part != "A":
                    old_docs = query.load_documents(store, earlier)
                    new_docs = query.load_documents(store, new)
                    result = update_from_documents(
                        new_docs, old_docs, "", Options(words=args.words)
                    )
                    ours = truncate(" ".join(s["text"] for s in result["summary"]), args.words)
                    lex = run_lexrank(cluster, args.words)
                    for name, text in (("update brief", ours), ("LexRank (new only)", lex)):
                        per_ref = [scorer.score(ref, text) for ref in cluster["references"]]
                        for metric in ("rouge1", "rouge2"):
                            scores[(name, f"{part}-{metric}")].append(
                                statistics.fmean(s[metric].recall for s in per_ref)
                            )
                earlier += new
        print(f"{topic}: done", flush=True)
    for part in ("B", "C", "all"):
        print(f"set {part}:")
        for name in ("update brief", "LexRank (new only)"):
            line = []
            for metric in ("rouge1", "rouge2"):
                values = (
                    scores[(name, f"B-{metric}")] + scores[(name, f"C-{metric}")]
                    if part == "all"
                    else scores[(name, f"{part}-{metric}")]
                )
                line.append(f"{metric} R {statistics.fmean(values):.4f}")
            print(f"  {name:<20} " + "  ".join(line))
        key = ["B", "C"] if part == "all" else [part]
        ours = statistics.fmean(v for k in key for v in scores[("update brief", f"{k}-rouge2")])
        lex = statistics.fmean(
            v for k in key for v in scores[("LexRank (new only)", f"{k}-rouge2")]
        )
        print(f"  ROUGE-2 recall ratio update brief / LexRank: {ours / lex:.2f}")


if __name__ == "__main__":
    main()
