"""Wall time of a whole brief, interpreter start-up included, beside sumy's LexRank.

Usage:
    python bench/bench_speed.py DUC_JSONL_GZ [--clusters N] [--repeat 3]

For each of the first N clusters (DUC format: ``docs: [{id, date, title, text}]``), the
articles are written to a JSON Lines file and timed as a user runs them:
``python -m storybrief brief FILE --format json`` (best of ``--repeat`` runs), and, in the same
run, a fresh interpreter that imports sumy and summarizes the same articles with LexRank to
250 words. The floor is 2 s for storybrief on a 25-article cluster.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LEXRANK = r"""
import json, re, sys
from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.utils import get_stop_words
from storybrief.analyze.sentences import split_sentences

class Tokenizer:
    language = "english"
    def to_words(self, text):
        return re.findall(r"\w+", text)
    def to_sentences(self, text):
        return [s.text for s in split_sentences(text)]

tokenizer = Tokenizer()
paragraphs = []
for line in open(sys.argv[1], encoding="utf-8"):
    text = json.loads(line)["text"]
    paragraphs.append(Paragraph([Sentence(s.text, tokenizer) for s in split_sentences(text)]))
summarizer = LexRankSummarizer(Stemmer("english"))
summarizer.stop_words = get_stop_words("english")
words = 0
for sentence in summarizer(ObjectDocumentModel(paragraphs), 30):
    words += len(str(sentence).split())
    if words >= 250:
        break
"""


def best_time(command: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description="Time a whole brief against sumy LexRank.")
    parser.add_argument("path", type=Path)
    parser.add_argument("--clusters", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    ours, theirs = [], []
    with gzip.open(args.path, "rt", encoding="utf-8") as handle:
        clusters = [json.loads(line) for _, line in zip(range(args.clusters), handle, strict=False)]
    print(f"{'cluster':<10} {'articles':>8} {'storybrief s':>13} {'lexrank s':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        for cluster in clusters:
            path = Path(tmp) / f"{cluster['id']}.jsonl"
            with path.open("w", encoding="utf-8") as out:
                for doc in cluster["docs"]:
                    record = {"text": doc["text"], "title": doc.get("title"), "url": doc["id"]}
                    out.write(json.dumps(record) + "\n")
            ours.append(
                best_time(
                    [
                        sys.executable,
                        "-m",
                        "storybrief",
                        "brief",
                        str(path),
                        "--format",
                        "json",
                        "-q",
                    ],
                    args.repeat,
                )
            )
            theirs.append(best_time([sys.executable, "-c", LEXRANK, str(path)], args.repeat))
            print(
                f"{cluster['id']:<10} {len(cluster['docs']):>8} {ours[-1]:>13.2f} {theirs[-1]:>10.2f}"
            )
    print(
        f"{'median':<10} {'':>8} {statistics.median(ours):>13.2f} {statistics.median(theirs):>10.2f}"
        f"   (max storybrief {max(ours):.2f} s; floor 2 s)"
    )


if __name__ == "__main__":
    main()
