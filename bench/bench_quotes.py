"""Benchmark direct-quote extraction and speaker attribution on PolNeAR-style JSONL.

Usage: python bench/bench_quotes.py PATH [--limit N]

PATH is a gzipped (or plain) JSON Lines file of ``{"id", "text", "attributions": [{"source",
"cue", "content"}]}`` where each role is ``{"text", "start", "end"}`` or null.

Gold direct quotes are the attributions whose ``content`` starts with an opening quotation mark
and ends with a closing one (trailing punctuation allowed). Spans on both sides are compared
after trimming quotation marks, punctuation and spaces from their ends, and a quote split by an
attribution is compared from its first to its last part (as PolNeAR annotates it).

Reported, for storybrief (direct and partial quotes; ``sb-direct``: direct quotes only) and for
a baseline (every quoted string, speaker = the nearest capitalised name outside quotes):
- exact: trimmed spans identical (one-to-one);
- overlap: the shared characters cover at least half of the shorter span (one-to-one, greedy by
  largest overlap);
- in-attributed-content: share of predictions lying inside any gold attribution's content
  (quoted fragments of reported speech, which PolNeAR does not annotate as direct quotes);
- speaker accuracy over overlap-matched quotes whose gold source is given: the predicted speaker
  span overlaps the gold source span, or the resolved speaker's last word is a word of the gold
  source text.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from storybrief.analyze.quotes import extract_quotes

OPENERS = "\"“„«‘'"
CLOSERS = "\"”»’'"
TRIM = " \t\n.,;:!?…\"“”„«»‘’'—–-"
#: Overlap match: shared characters / length of the shorter span.
OVERLAP_MIN = 0.5


@dataclass
class Pred:
    start: int
    end: int
    speaker_span: tuple[int, int] | None
    speaker: str | None


@dataclass
class Gold:
    start: int
    end: int
    source: dict[str, Any] | None


def read_jsonl(path: str) -> Iterator[dict[str, Any]]:
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in TRIM:
        start += 1
    while end > start and text[end - 1] in TRIM:
        end -= 1
    return start, end


def gold_quotes(doc: dict[str, Any]) -> list[Gold]:
    text = doc["text"]
    out = []
    for att in doc["attributions"]:
        content = att.get("content")
        if not content:
            continue
        body = content["text"].strip()
        if body[:1] in '"“„«' and body.rstrip(".,;:!? ")[-1:] in '"”»':
            s, e = trim(text, content["start"], content["end"])
            if e > s:
                out.append(Gold(s, e, att.get("source")))
    return out


def storybrief_preds(text: str, kinds: tuple[str, ...] = ("direct", "partial")) -> list[Pred]:
    preds = []
    for q in extract_quotes(text):
        if q.kind not in kinds:
            continue
        s, e = trim(text, q.start, q.end)
        if e <= s:
            continue
        span = (
            (q.speaker_start, q.speaker_end)
            if q.speaker_start is not None and q.speaker_end is not None
            else None
        )
        preds.append(Pred(s, e, span, q.speaker))
    return preds


_BASE_QUOTE = re.compile(r"“([^”\n]+)”|\"([^\"\n]+)\"")
_BASE_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*")


def baseline_preds(text: str) -> list[Pred]:
    """Every quoted string; speaker = the nearest capitalised name outside any quote."""
    quotes = [(m.start(), m.end()) for m in _BASE_QUOTE.finditer(text)]
    inside = [False] * len(text)
    for s, e in quotes:
        for i in range(s, e):
            inside[i] = True
    names = [(m.start(), m.end()) for m in _BASE_NAME.finditer(text) if not inside[m.start()]]
    preds = []
    for s, e in quotes:
        ts, te = trim(text, s, e)
        if te <= ts:
            continue
        best = min(names, key=lambda n: min(abs(n[0] - e), abs(s - n[1])), default=None)
        preds.append(Pred(ts, te, best, text[best[0] : best[1]] if best else None))
    return preds


def match(preds: list[Pred], golds: list[Gold], exact: bool) -> list[tuple[Pred, Gold]]:
    pairs = []
    for pi, p in enumerate(preds):
        for gi, g in enumerate(golds):
            if exact:
                if (p.start, p.end) == (g.start, g.end):
                    pairs.append((p.end - p.start, pi, gi))
                continue
            shared = min(p.end, g.end) - max(p.start, g.start)
            shorter = min(p.end - p.start, g.end - g.start)
            if shared > 0 and shared / shorter >= OVERLAP_MIN:
                pairs.append((shared, pi, gi))
    pairs.sort(key=lambda x: (-x[0], x[1], x[2]))
    used_p: set[int] = set()
    used_g: set[int] = set()
    out = []
    for _shared, pi, gi in pairs:
        if pi not in used_p and gi not in used_g:
            used_p.add(pi)
            used_g.add(gi)
            out.append((preds[pi], golds[gi]))
    return out


def speaker_ok(pred: Pred, gold: Gold) -> bool:
    src = gold.source
    assert src is not None
    span = pred.speaker_span
    if span and span[0] < src["end"] and src["start"] < span[1]:
        return True
    if pred.speaker:
        last = re.findall(r"\w+", pred.speaker.lower())
        return bool(last) and last[-1] in re.findall(r"\w+", src["text"].lower())
    return False


@dataclass
class Score:
    n_pred: int = 0
    n_gold: int = 0
    exact: int = 0
    overlap: int = 0
    speaker_n: int = 0
    speaker_ok: int = 0
    attributed: int = 0
    seconds: float = 0.0

    def line(self, name: str) -> str:
        def prf(hit: int) -> str:
            p = hit / self.n_pred if self.n_pred else 0.0
            r = hit / self.n_gold if self.n_gold else 0.0
            f = 2 * p * r / (p + r) if p + r else 0.0
            return f"P={p:.3f} R={r:.3f} F1={f:.3f}"

        acc = self.speaker_ok / self.speaker_n if self.speaker_n else 0.0
        return (
            f"{name:<11} pred={self.n_pred:<5} gold={self.n_gold:<5} "
            f"exact {prf(self.exact)} | overlap {prf(self.overlap)} | "
            f"speaker acc={acc:.3f} ({self.speaker_ok}/{self.speaker_n}) | "
            f"in-attributed-content={self.attributed / max(self.n_pred, 1):.3f} | "
            f"{self.seconds:.2f}s"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", help="PolNeAR-style .jsonl(.gz) file")
    parser.add_argument("--limit", type=int, default=0, help="only the first N documents")
    args = parser.parse_args(argv)
    systems = {
        "storybrief": storybrief_preds,
        "sb-direct": lambda text: storybrief_preds(text, kinds=("direct",)),
        "baseline": baseline_preds,
    }
    scores = {name: Score() for name in systems}
    n_docs = 0
    for doc in read_jsonl(args.path):
        if args.limit and n_docs >= args.limit:
            break
        n_docs += 1
        golds = gold_quotes(doc)
        contents = [
            (a["content"]["start"], a["content"]["end"])
            for a in doc["attributions"]
            if a.get("content")
        ]
        for name, system in systems.items():
            t0 = time.perf_counter()
            preds = system(doc["text"])
            sc = scores[name]
            sc.seconds += time.perf_counter() - t0
            sc.n_pred += len(preds)
            sc.n_gold += len(golds)
            sc.attributed += sum(
                any(s - 2 <= p.start and p.end <= e + 2 for s, e in contents) for p in preds
            )
            sc.exact += len(match(preds, golds, exact=True))
            pairs = match(preds, golds, exact=False)
            sc.overlap += len(pairs)
            for p, g in pairs:
                if g.source:
                    sc.speaker_n += 1
                    sc.speaker_ok += speaker_ok(p, g)
    print(f"{args.path}: {n_docs} documents")
    for name, sc in scores.items():
        print(sc.line(name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
