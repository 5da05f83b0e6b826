"""What a new user sees on a real pile: labels, document names, web addresses, dates, summary.

Usage::

    python bench/bench_pile.py PILE [PILE...] [--words N]

Each PILE is any input ``storybrief brief`` reads (a JSONL file of records with ``text`` or
``html``, optional ``url``/``title``/``published``, gzipped or not; a directory). It is given
to ``storybrief brief --format json -q`` in a fresh interpreter, as a user runs it, and the
brief is checked for what a reader should never meet:

- labels (events and stories) that do not read as a headline or a lead: a label is a
  *headline* when it is the title of one of its documents (a site name after a dash trimmed),
  a *lead* when it opens a reporting sentence of one of them (cut labels end in " …");
  anything else (key terms such as "1080p, 120hz, 1900r") is counted as *terms*;
- web addresses, plain or tokenised ("http: / / www. pcmag. com /"), in a label, a summary
  sentence or a listed fact;
- documents a reader cannot tell apart: records named by the file's path (every record of a
  JSONL file has the same one), and names shared by several documents;
- records whose ``published`` could not be read (``warnings``), beside those read;
- summary sentences that need their context (``summarize.standalone.needs_context``), and
  how many of them follow the sentence before them in their article (context carried); and
  quotations cut open (a quote mark left unclosed), over the pile's and the stories' summaries.

Nothing about the files is assumed beyond what the CLI reads.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from storybrief.labels import headline  # noqa: E402
from storybrief.links import has_link  # noqa: E402
from storybrief.summarize.extractive import _quote_depth  # noqa: E402
from storybrief.summarize.standalone import lowercase_words, needs_context  # noqa: E402

_SPACES = re.compile(r"\s+")


def run_brief(pile: str, words: int) -> tuple[dict[str, Any], float]:
    command = [sys.executable, "-m", "storybrief", "brief", pile, "--format", "json", "-q"]
    start = time.perf_counter()
    done = subprocess.run(
        [*command, "--words", str(words)], check=False, capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise RuntimeError(f"storybrief brief failed on {pile}: {done.stderr.strip()[-500:]}")
    return json.loads(done.stdout), seconds


def _flat(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def label_kind(label: str, docs: Sequence[dict[str, Any]]) -> str:
    """headline, lead or terms (module docstring)."""
    if any(label == headline(d.get("title")) or label == _flat(d.get("title") or "") for d in docs):
        return "headline"
    opening = label.removesuffix(" …").rstrip(",;:")
    if opening and any(opening in _flat(d["text"]) for d in docs):
        words = opening.split()
        # A lead is prose: a sentence's opening words, not a list of a page's terms.
        if len(words) >= 4 or label.endswith(" …"):
            return "lead"
    return "terms"


def _after_its_antecedent(
    run: Sequence[dict[str, Any]], n: int, docs: dict[str, dict[str, Any]]
) -> bool:
    """Whether summary sentence ``n`` follows, in the summary, the text just before it in its
    document (only white space between): its context is then carried."""
    if n == 0:
        return False
    here, before = run[n]["sources"][0], run[n - 1]["sources"][0]
    if here["document"] != before["document"] or before["end"] > here["start"]:
        return False
    return not docs[here["document"]]["text"][before["end"] : here["start"]].strip()


def check(brief: dict[str, Any]) -> dict[str, Any]:
    docs = {d["id"]: d for d in brief["documents"]}
    labels: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    linked = Counter[str]()
    items = [("event", e["label"], e["documents"]) for e in brief["events"]]
    items += [("story", s["label"], s["documents"]) for s in brief["stories"]]
    for what, label, ids in items:
        kind = label_kind(label, [docs[i] for i in ids])
        labels[f"{what} {kind}"] += 1
        if kind == "terms":
            examples.setdefault(what, []).append(label)
        if has_link(label):
            linked[f"{what} label"] += 1
    runs = [brief["summary"]] + [story["summary"] for story in brief["stories"]]
    summaries = [s["text"] for run in runs for s in run]
    linked["summary"] = sum(has_link(t) for t in summaries)
    linked["fact"] = sum(has_link(f["text"]) for f in brief["facts"])
    common = lowercase_words([d["text"] for d in docs.values()])
    paths = Counter(d["path"] for d in docs.values())
    # Briefs from before ``name`` was written were named by the views as title, path, url.
    name = {i: d.get("name") or d["title"] or d["path"] or d["url"] or i for i, d in docs.items()}
    names = Counter(name.values())
    return {
        "documents": len(docs),
        "labels": labels,
        "terms_examples": {k: v[:3] for k, v in examples.items()},
        "links": linked,
        "named_by_shared_path": sum(
            1 for i, d in docs.items() if name[i] == d["path"] and paths[d["path"]] > 1
        ),
        "names_shared": sum(n for name, n in names.items() if n > 1),
        "published": sum(1 for d in docs.values() if d["published"]),
        "date_warnings": len(brief.get("warnings", [])),
        "summary_sentences": len(summaries),
        "needs_context": sum(needs_context(t, common) for t in summaries),
        "context_carried": sum(
            _after_its_antecedent(run, n, docs)
            for run in runs
            for n, s in enumerate(run)
            if needs_context(s["text"], common)
        ),
        "quote_cut_open": sum(bool(_quote_depth(t)) for t in summaries),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("piles", nargs="+", help="inputs storybrief brief reads")
    parser.add_argument("--words", type=int, default=250, help="summary length in words")
    args = parser.parse_args(argv)
    for pile in args.piles:
        brief, seconds = run_brief(pile, args.words)
        found = check(brief)
        labels = found["labels"]
        print(f"== {Path(pile).name}: {found['documents']} documents, brief in {seconds:.1f} s")
        for what in ("event", "story"):
            total = sum(n for k, n in labels.items() if k.startswith(what))
            print(
                f"  {what} labels {total}: headline {labels[f'{what} headline']}, "
                f"lead {labels[f'{what} lead']}, terms/other {labels[f'{what} terms']}"
                f"  e.g. {found['terms_examples'].get(what, [])}"
            )
        links = found["links"]
        print(
            f"  web addresses in: event labels {links['event label']}, story labels "
            f"{links['story label']}, summary sentences {links['summary']}, facts {links['fact']}"
        )
        print(
            f"  documents named by a shared file path {found['named_by_shared_path']}, "
            f"sharing a name {found['names_shared']}"
        )
        print(f"  published read {found['published']}, date warnings {found['date_warnings']}")
        print(
            f"  summary sentences {found['summary_sentences']}: needing context "
            f"{found['needs_context']} ({found['context_carried']} right after the sentence "
            f"before them in their article), quotation cut open {found['quote_cut_open']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
