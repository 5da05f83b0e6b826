"""The update brief (``brief --db --story --since``) on DUC 2007 update sets vs sumy LexRank.

Usage: python bench/bench_update.py PATH [--words 100] [--speed PATH_MAIN] [--ablation]
    [--sentence-folds DIR]

PATH is the DUC update file (summarization format; ids ``<topic>-A``, ``-B``, ``-C``). For
each topic, a fresh store gets set A ingested, then set B (the writes, dedup, analysis and
story assignment of ``store.write.ingest``); the update brief of B is built from the stored
documents of the topic (``store.update.update_from_documents``: what B says that A did not),
then C is ingested and its update brief built with A and B as the earlier reporting. The
library call stands in for ``brief --db --story ID --since DATE`` because the store may split
a DUC topic into several stories (its ten documents span months or years), and the figure is
about the update brief, not the clustering. The brief's own summary is scored as a user gets
it: at most ``--words`` words, never a cut sentence. Each is scored (ROUGE-2/ROUGE-1 recall,
stemming, mean over the references, html-unescaped as in ``bench_summary.py``) beside sumy
LexRank run on the new documents alone (its ranked sentences cut at exactly ``--words``
words), in the same run; with and without the DUC topic statement as ``--focus``.

``--ablation`` also scores the update brief with its steps switched off (leaving out the
sentences that repeat earlier ones; the earlier documents as background of the concept
weights). ``--speed PATH_MAIN`` also times the update brief of one large story: every DUC 2007 main
cluster but the last as earlier reporting (about 550 documents), the last as new, loaded from
a store; and the old all-pairs repeat check on a sample of the new sentences, extrapolated.

``--sentence-folds DIR``: held-out evaluation of the learned sentence prior: every set is
summarized with the model of ``scripts/train_sentence_prior.py --folds K --fold-dir DIR`` that
did not see its topic. Without it, the committed model (trained on these sets too).
"""

from __future__ import annotations

import argparse
import html
import json
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_stories import load  # noqa: E402
from bench_summary import parse_date, run_lexrank, truncate  # noqa: E402
from rouge_score import rouge_scorer  # noqa: E402

from storybrief.model import Document  # noqa: E402
from storybrief.options import Options  # noqa: E402
from storybrief.store import open_writer, query  # noqa: E402
from storybrief.store.update import update_from_documents  # noqa: E402
from storybrief.store.write import ingest  # noqa: E402
from storybrief.summarize import sentence_model  # noqa: E402

SYSTEMS = ("update brief", "update brief, focus", "LexRank (new only)")
#: ``--ablation``: the update brief with one step switched off (``update_from_documents``).
ABLATIONS = {
    "no step (brief of the new documents)": {
        "leave_out_repeats": False,
        "earlier_background": False,
    },
    "repeats left out only": {"leave_out_repeats": True, "earlier_background": False},
    "earlier background only": {"leave_out_repeats": False, "earlier_background": True},
}


def update_cases(
    sets: dict[str, dict[str, Any]], topics: list[str]
) -> Iterator[tuple[str, str, dict[str, Any], list[Document], list[Document], list[str]]]:
    """For each topic, a store with set A ingested, then B (and C): each time ``(topic, part,
    cluster, earlier documents, new documents, references)`` for the update brief of the part."""
    for topic in topics:
        with tempfile.TemporaryDirectory() as folder, open_writer(f"{folder}/s.db") as store:
            earlier: list[str] = []
            for part in ("A", "B", "C"):
                cluster = sets[f"{topic}-{part}"]
                ingest(store, [_write(folder, part, cluster["docs"])], briefs=False)
                new = _ids_of(store, cluster["docs"])
                if part != "A":
                    references = [html.unescape(r) for r in cluster["references"]]
                    old_docs = query.load_documents(store, earlier)
                    new_docs = query.load_documents(store, new)
                    yield topic, part, cluster, old_docs, new_docs, references
                earlier += new


def _write(folder: str, name: str, docs: Any) -> str:
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


def _ids_of(store: Any, docs: Any) -> list[str]:
    urls = {f"duc:{d['id']}" for d in docs}
    rows = store.conn.execute("SELECT id, url FROM documents ORDER BY seq").fetchall()
    return [i for i, url in rows if url in urls]


def quality(path: str, words: int, ablation: bool, sentence_folds: str | None = None) -> None:
    sets = {row["id"]: row for row in load(path)}
    folds: dict[str, int] = {}
    if sentence_folds:
        folds = json.loads((Path(sentence_folds) / "folds.json").read_text(encoding="utf-8"))
    topics = sorted({key.rsplit("-", 1)[0] for key in sets})
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)
    scores: dict[tuple[str, str], list[float]] = defaultdict(list)
    seconds: list[float] = []
    used: list[int] = []
    for topic, part, cluster, old_docs, new_docs, references in update_cases(sets, topics):
        focus = cluster["title"] + ". " + cluster["narrative"]
        if sentence_folds:
            sentence_model.use(Path(sentence_folds) / f"fold-{folds[cluster['id']]}.json")
        texts = {}
        for name, option in (("update brief", None), ("update brief, focus", focus)):
            start = time.perf_counter()
            result = update_from_documents(
                new_docs, old_docs, "", Options(words=words, focus=option)
            )
            seconds.append(time.perf_counter() - start)
            summary = " ".join(s["text"] for s in result["summary"])
            if option is None:
                used.append(len(summary.split()))
            texts[name] = truncate(summary, words)
        for name, switches in ABLATIONS.items() if ablation else ():
            result = update_from_documents(new_docs, old_docs, "", Options(words=words), **switches)
            texts[name] = truncate(" ".join(s["text"] for s in result["summary"]), words)
        texts["LexRank (new only)"] = run_lexrank(cluster, words)
        for name, text in texts.items():
            per_ref = [scorer.score(ref, text) for ref in references]
            for metric in ("rouge1", "rouge2"):
                scores[(name, f"{part}-{metric}")].append(
                    statistics.fmean(s[metric].recall for s in per_ref)
                )
        if part == "C":
            print(f"{topic}: done", flush=True)
    for part in ("B", "C", "all"):
        keys = ["B", "C"] if part == "all" else [part]
        print(f"set {'B + C' if part == 'all' else part}:")

        def mean(name: str, metric: str, keys: list[str] = keys) -> float:
            return statistics.fmean(v for k in keys for v in scores[(name, f"{k}-{metric}")])

        for name in SYSTEMS + (tuple(ABLATIONS) if ablation else ()):
            print(
                f"  {name:<38} rouge1 R {mean(name, 'rouge1'):.4f}  "
                f"rouge2 R {mean(name, 'rouge2'):.4f}"
            )
        lex = mean("LexRank (new only)", "rouge2")
        for name in SYSTEMS[:2] + (tuple(ABLATIONS) if ablation else ()):
            print(f"  ROUGE-2 recall ratio {name} / LexRank: {mean(name, 'rouge2') / lex:.3f}")
    print(
        f"summary words used (of {words}): mean {statistics.fmean(used):.1f}; "
        f"update brief {statistics.fmean(seconds):.2f} s mean"
    )


def speed(path: str) -> None:
    """The update brief of a large story, and the all-pairs check it replaced (extrapolated)."""
    from storybrief.analyze.facts import similarity
    from storybrief.brief import body_sentences

    clusters = load(path)
    with tempfile.TemporaryDirectory() as folder, open_writer(f"{folder}/s.db") as store:
        old_rows = [d for c in clusters[:-1] for d in c["docs"]]
        ingest(store, [_write(folder, "old", old_rows)], briefs=False)
        ingest(store, [_write(folder, "new", clusters[-1]["docs"])], briefs=False)
        old_docs = query.load_documents(store, _ids_of(store, old_rows))
        new_docs = query.load_documents(store, _ids_of(store, clusters[-1]["docs"]))
    start = time.perf_counter()
    update_from_documents(new_docs, old_docs, "", Options(words=100))
    took = time.perf_counter() - start
    old = [s.text for d in old_docs if not d.duplicate_of for s in body_sentences(d)]
    new = [s.text for d in new_docs for s in body_sentences(d)]
    sample = new[:: max(1, len(new) // 10)]
    start = time.perf_counter()
    for text in sample:
        any(similarity(text, o) >= 0.5 for o in old)
    per_sentence = (time.perf_counter() - start) / len(sample)
    print(
        f"large story: {len(old_docs)} earlier documents ({len(old)} sentences), "
        f"{len(new_docs)} new ({len(new)} sentences)"
    )
    print(f"  update brief (index): {took:.2f} s")
    print(
        f"  old all-pairs repeat check alone: {per_sentence * len(new):.1f} s "
        f"(extrapolated from {len(sample)} sentences)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--words", type=int, default=100)
    parser.add_argument("--speed", metavar="PATH_MAIN", help="also time a large story")
    parser.add_argument("--ablation", action="store_true", help="also each step switched off")
    parser.add_argument("--sentence-folds", help="directory of held-out sentence-prior folds")
    args = parser.parse_args()
    quality(args.path, args.words, args.ablation, args.sentence_folds)
    if args.speed:
        speed(args.speed)


if __name__ == "__main__":
    main()
