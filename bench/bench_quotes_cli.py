"""Quotes as a user gets them: a pile of plain-text files through ``storybrief brief``.

Usage: python bench/bench_quotes_cli.py PATH [--limit N] [--show-missed K]

PATH is a PolNeAR-style ``.jsonl(.gz)`` file (format: ``bench/bench_quotes.py``). Every
article is written, as it is, to its own plain-text file in one temporary directory, and the
directory is given once to ``python -m storybrief brief DIR --format json -q`` in a fresh
interpreter (stories, duplicates, masking, quote merging and entity names all apply). Each
JSON quote cites one span per document that carries it; documents are mapped back to the
articles by their file names, and every cited span is scored against the gold direct quotes
exactly like ``bench_quotes.py`` (trimmed spans, overlap ≥ half of the shorter span,
one-to-one): all the JSON lists (direct quotes, and partial ones of 4+ words with a speaker),
and those of ``kind`` direct alone. In the same run the quote extractor is scored per
article, as ``bench_quotes.py`` runs it (direct quotes; direct + partial).

Speakers: the JSON gives one ``speaker`` per quote (the name a reader sees, after entity
merging). *Named-speaker accuracy* is measured over the matched quotes whose gold source is
named (it holds a capitalised word that is not a function word and that the article never
writes in lower case: "Trump", "Mr. Obama", "Quina Jones, 25,"; not "he", "a source", "The
piece"): the speaker is right when its last word is a word of the gold source. The extractor's
resolved speaker is judged by the same rule on the same kind of quotes, and by
``bench_quotes.py``'s rule (speaker span overlaps the gold source, else the name rule) over all
matched quotes with a gold source.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_quotes import (  # noqa: E402
    Gold,
    Pred,
    gold_quotes,
    match,
    read_jsonl,
    speaker_ok,
    storybrief_preds,
    trim,
)

from storybrief.stopwords import FUNCTION_WORDS  # noqa: E402

_WORD = re.compile(r"[^\W\d_][\w’'.\-]*")


def is_named(source: str, article: str) -> bool:
    """Whether a gold source names someone (see the module docstring)."""
    lower = {_bare(w) for w in _WORD.findall(article) if w.islower()}
    for word in map(_bare, _WORD.findall(source)):
        if word[:1].isupper() and word.lower() not in FUNCTION_WORDS and word.lower() not in lower:
            return True
    return False


def _bare(word: str) -> str:
    return word.rstrip(".’'").removesuffix("’s").removesuffix("'s")


def name_ok(speaker: str | None, gold: Gold) -> bool:
    """The speaker's last word is a word of the gold source."""
    if not speaker or gold.source is None:
        return False
    words = re.findall(r"\w+", speaker.lower())
    return bool(words) and words[-1] in re.findall(r"\w+", gold.source["text"].lower())


@dataclass
class Score:
    n_pred: int = 0
    n_gold: int = 0
    overlap: int = 0
    exact: int = 0
    named_n: int = 0
    named_ok: int = 0
    span_n: int = 0
    span_ok: int = 0
    missed: list[tuple[str, Gold]] = field(default_factory=list)

    def add(self, article_id: str, text: str, preds: list[Pred], golds: list[Gold]) -> None:
        self.n_pred += len(preds)
        self.n_gold += len(golds)
        self.exact += len(match(preds, golds, exact=True))
        pairs = match(preds, golds, exact=False)
        self.overlap += len(pairs)
        found = {id(g) for _p, g in pairs}
        self.missed.extend((article_id, g) for g in golds if id(g) not in found)
        for p, g in pairs:
            if g.source is None:
                continue
            self.span_n += 1
            self.span_ok += speaker_ok(p, g)
            if is_named(g.source["text"], text):
                self.named_n += 1
                self.named_ok += name_ok(p.speaker, g)

    def line(self, name: str, spans: bool = True) -> str:
        def prf(hit: int) -> str:
            p = hit / self.n_pred if self.n_pred else 0.0
            r = hit / self.n_gold if self.n_gold else 0.0
            f = 2 * p * r / (p + r) if p + r else 0.0
            return f"P={p:.3f} R={r:.3f} F1={f:.3f}"

        named = self.named_ok / self.named_n if self.named_n else 0.0
        out = (
            f"{name:<26} pred={self.n_pred:<4} gold={self.n_gold:<4} exact {prf(self.exact)} | "
            f"overlap {prf(self.overlap)} | named-speaker acc={named:.3f} "
            f"({self.named_ok}/{self.named_n})"
        )
        if spans:
            acc = self.span_ok / self.span_n if self.span_n else 0.0
            out += f" | speaker acc (bench_quotes rule)={acc:.3f} ({self.span_ok}/{self.span_n})"
        return out


def run_brief(directory: Path) -> tuple[dict[str, Any], float]:
    begin = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "storybrief", "brief", str(directory), "--format", "json", "-q"],
        check=False,
        capture_output=True,
        text=True,
        env=dict(os.environ),
    )
    seconds = time.perf_counter() - begin
    if done.returncode not in (0, 1):
        raise RuntimeError(f"storybrief brief failed: {done.stderr.strip()}")
    return json.loads(done.stdout), seconds


def cli_preds(
    brief: dict[str, Any], articles: dict[str, dict[str, Any]], kinds: tuple[str, ...] = ()
) -> dict[str, list[Pred]]:
    """Every cited quote span of the brief (of the given ``kinds``, else all), by article id,
    with its quote's speaker."""
    article_of = {}
    for doc in brief["documents"]:
        article_id = Path(doc["path"]).stem
        if doc["text"] != articles[article_id]["text"]:
            raise RuntimeError(f"{article_id}: the document's text is not the article's")
        article_of[doc["id"]] = article_id
    preds: dict[str, list[Pred]] = {a: [] for a in articles}
    for quote in brief["quotes"]:
        if kinds and quote.get("kind") not in kinds:
            continue
        for src in quote["sources"]:
            article_id = article_of[src["document"]]
            s, e = trim(articles[article_id]["text"], src["start"], src["end"])
            if e > s:
                preds[article_id].append(Pred(s, e, None, quote["speaker"]))
    return preds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", help="PolNeAR-style .jsonl(.gz) file")
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles")
    parser.add_argument(
        "--show-missed", type=int, default=0, help="print K gold quotes the CLI misses"
    )
    args = parser.parse_args(argv)
    articles: dict[str, dict[str, Any]] = {}
    for n, doc in enumerate(read_jsonl(args.path)):
        if args.limit and n >= args.limit:
            break
        articles[f"{n:04d}"] = doc
    with tempfile.TemporaryDirectory() as tmp:
        for article_id, doc in articles.items():
            (Path(tmp) / f"{article_id}.txt").write_text(doc["text"], encoding="utf-8")
        brief, seconds = run_brief(Path(tmp))
    from_cli = cli_preds(brief, articles)
    direct_cli = cli_preds(brief, articles, kinds=("direct",))
    systems = {
        "CLI (JSON quotes)": Score(),
        "CLI, kind direct": Score(),
        "extractor, direct": Score(),
        "extractor, direct+partial": Score(),
    }
    for article_id, doc in articles.items():
        text, golds = doc["text"], gold_quotes(doc)
        systems["CLI (JSON quotes)"].add(article_id, text, from_cli[article_id], golds)
        systems["CLI, kind direct"].add(article_id, text, direct_cli[article_id], golds)
        systems["extractor, direct"].add(
            article_id, text, storybrief_preds(text, kinds=("direct",)), golds
        )
        systems["extractor, direct+partial"].add(article_id, text, storybrief_preds(text), golds)
    print(
        f"{args.path}: {len(articles)} articles as one pile; brief took {seconds:.1f} s, "
        f"{len(brief['stories'])} stories, {len(brief['quotes'])} quotes, "
        f"{len(brief['errors'])} errors"
    )
    for name, score in systems.items():
        print(score.line(name, spans=not name.startswith("CLI")))
    cli, component = systems["CLI (JSON quotes)"], systems["extractor, direct"]
    gap = (component.overlap - cli.overlap) / max(cli.n_gold, 1)
    print(f"recall gap (extractor direct - CLI, overlap): {gap:+.3f}")
    if args.show_missed:
        found_by_component = {(a, g.start) for a, g in component.missed}
        shown = 0
        for article_id, gold in cli.missed:
            if (article_id, gold.start) in found_by_component or shown >= args.show_missed:
                continue
            shown += 1
            text = articles[article_id]["text"]
            said = text[gold.start : gold.end].replace("\n", " ")
            print(f"  missed {article_id} {gold.start}-{gold.end}: {said[:120]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
