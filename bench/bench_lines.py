"""Benchmark the plain-text line labeller.

Usage:
    python bench/bench_lines.py PATH [PATH ...]

Each PATH is either
- a seed-label file (``line_labels.tsv``: file, line, label, text; the labelled text files
  beside it) or the folder holding it: per-line accuracy over all five labels, and
- a JSON Lines file (gzipped or not) of pages with ``lines: [{text, label}]`` labelled
  body/comment (Dragnet format): comment-vs-body per-line precision/recall/F1 for storybrief and,
  in the same run, for the baselines a user has — trafilatura and jusText run on the same lines
  wrapped as HTML paragraphs.

With ``--cv`` (Dragnet-format files only) storybrief is also scored the honest way when the
file is the one the shipped model was trained on: page-grouped 5-fold cross-validation, each
page labelled by a model trained without it (``--news`` as in training; see
``scripts/train_line_model.py``). That takes a few minutes.

For body/comment scoring a line storybrief labels title/heading/body counts as body, and one it
labels boilerplate counts as neither (so furniture calls can only lower our figures).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import html
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from storybrief.clean.lines import LineModel, label_lines

REPORTING = {"title", "heading", "body"}


def _open_text(path: Path):  # type: ignore[no-untyped-def]
    return (
        gzip.open(path, "rt", encoding="utf-8")
        if path.suffix == ".gz"
        else path.open(encoding="utf-8")
    )


def line_labels(text: str, model: LineModel | None = None) -> dict[int, str]:
    """storybrief's label for each 1-based line number of ``text``."""
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    out = {}
    for block in label_lines(text, model):
        line_no = next(i for i in range(len(starts) - 1, -1, -1) if starts[i] <= block.start) + 1
        out[line_no] = block.label
    return out


def bench_seeds(tsv: Path) -> None:
    with tsv.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    by_file: dict[str, dict[int, str]] = {}
    for row in rows:
        by_file.setdefault(row["file"], {})[int(row["line"])] = row["label"]
    confusion: Counter[tuple[str, str]] = Counter()
    started = time.perf_counter()
    for name, gold in sorted(by_file.items()):
        predicted = line_labels((tsv.parent / name).read_text(encoding="utf-8"))
        for line_no, label in gold.items():
            confusion[(label, predicted.get(line_no, "missing"))] += 1
    elapsed = time.perf_counter() - started
    total = sum(confusion.values())
    correct = sum(n for (g, p), n in confusion.items() if g == p)
    print(f"## seeds: {tsv}")
    print(
        f"storybrief per-line accuracy: {correct / total:.4f} ({correct}/{total} lines, {elapsed:.2f} s)"
    )
    for (g, p), n in sorted(confusion.items()):
        if g != p:
            print(f"  gold {g:<11} -> {p:<11} x{n}")


def _normalise(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / max(tp + fp, 1)
    r = tp / max(tp + fn, 1)
    return p, r, 2 * p * r / max(p + r, 1e-9)


def _as_html(lines: list[str]) -> str:
    paragraphs = "\n".join(f"<p>{html.escape(line)}</p>" for line in lines)
    return f"<html><head><title></title></head><body>{paragraphs}</body></html>"


def trafilatura_body(lines: list[str]) -> list[bool]:
    import trafilatura

    extracted = (
        trafilatura.extract(_as_html(lines), include_comments=False, favor_recall=False) or ""
    )
    kept = _normalise(extracted)
    return [bool(_normalise(line)) and _normalise(line) in kept for line in lines]


def justext_body(lines: list[str]) -> list[bool]:
    import justext

    paragraphs = justext.justext(_as_html(lines).encode("utf-8"), justext.get_stoplist("English"))
    kept = _normalise(" ".join(p.text for p in paragraphs if not p.is_boilerplate))
    return [bool(_normalise(line)) and _normalise(line) in kept for line in lines]


def storybrief_labels(lines: list[str], model: LineModel | None = None) -> list[str]:
    """storybrief's label of each line (boilerplate for a line it drops)."""
    labels = line_labels("\n".join(lines), model)
    return [labels.get(i, "boilerplate") for i in range(1, len(lines) + 1)]


def _as_body(labels: list[str]) -> list[bool | None]:
    """True = body, False = comment, None = boilerplate (neither)."""
    return [None if label == "boilerplate" else label in REPORTING for label in labels]


def storybrief_body(lines: list[str], model: LineModel | None = None) -> list[bool | None]:
    return _as_body(storybrief_labels(lines, model))


def bench_pages(path: Path, cv: bool = False, news: Path | None = None) -> None:
    pages = []
    with _open_text(path) as handle:
        for raw in handle:
            row = json.loads(raw)
            lines = [item for item in row["lines"] if item["text"].strip()]
            pages.append(
                (
                    [item["text"].replace("\n", " ") for item in lines],
                    [item["label"] for item in lines],
                )
            )
    systems: dict[
        str, Callable[[list[str]], list[bool | None]] | Callable[[list[str]], list[bool]]
    ] = {
        "storybrief": storybrief_body,
        "trafilatura": trafilatura_body,
        "justext": justext_body,
    }
    # What storybrief calls the gold comment lines (one read as a heading is reporting).
    gold_of = {id(lines): gold for lines, gold in pages}
    comment_labels: dict[str, Counter[str]] = {}

    def labelled(
        name: str, model_of: Callable[[list[str]], LineModel | None]
    ) -> Callable[[list[str]], list[bool | None]]:
        counter = comment_labels.setdefault(name, Counter())

        def run(lines: list[str]) -> list[bool | None]:
            labels = storybrief_labels(lines, model_of(lines))
            gold = gold_of[id(lines)]
            counter.update(lab for lab, g in zip(labels, gold, strict=True) if g == "comment")
            return _as_body(labels)

        return run

    systems["storybrief"] = labelled("storybrief", lambda lines: None)
    if cv:
        from storybrief.clean.line_training import (
            choose_switch_costs,
            cross_validation_models,
            fold_costs,
            load_news,
            out_of_fold,
        )

        news_pages = load_news(str(news)) if news else []
        zones = [[int(label == "comment") for label in gold] for _, gold in pages]
        zoned = [(lines, z) for (lines, _), z in zip(pages, zones, strict=True)]
        models = cross_validation_models(zoned, news_pages)
        # The switch costs too are chosen without the held-out pages, on the other folds'
        # out-of-fold probabilities; "sb-cv-shipped" uses the shipped costs (chosen on all).
        scored = out_of_fold(zoned, models)
        chosen = fold_costs(scored, models)
        for fold, (model, _) in enumerate(chosen):
            print(f"fold {fold}: switch costs chosen on the other folds: {model.costs}")
        print(f"switch costs chosen on all folds (ship these): {choose_switch_costs(scored)}")
        for name, fold_models in (("storybrief-cv", chosen), ("sb-cv-shipped", models)):
            by_page = {id(pages[i][0]): m for m, held_out in fold_models for i in held_out}
            systems[name] = labelled(name, lambda lines, by_page=by_page: by_page[id(lines)])
    print(
        f"## body/comment lines: {path} ({len(pages)} pages, {sum(len(p[0]) for p in pages)} lines)"
    )
    print(
        f"{'system':<12} {'comment P':>9} {'R':>6} {'F1':>6} | {'body P':>6} {'R':>6} {'F1':>6} | {'acc':>6} {'s':>6}"
    )
    for name, system in systems.items():
        counts = Counter()
        started = time.perf_counter()
        for lines, gold in pages:
            for predicted, label in zip(system(lines), gold, strict=True):
                is_comment = label == "comment"
                counts["c_tp"] += predicted is False and is_comment
                counts["c_fp"] += predicted is False and not is_comment
                counts["c_fn"] += predicted is not False and is_comment
                counts["b_tp"] += predicted is True and not is_comment
                counts["b_fp"] += predicted is True and is_comment
                counts["b_fn"] += predicted is not True and not is_comment
                counts["correct"] += (predicted is True and not is_comment) or (
                    predicted is False and is_comment
                )
                counts["total"] += 1
        elapsed = time.perf_counter() - started
        cp, cr, cf = _prf(counts["c_tp"], counts["c_fp"], counts["c_fn"])
        bp, br, bf = _prf(counts["b_tp"], counts["b_fp"], counts["b_fn"])
        acc = counts["correct"] / max(counts["total"], 1)
        print(
            f"{name:<12} {cp:9.4f} {cr:6.4f} {cf:6.4f} | {bp:6.4f} {br:6.4f} {bf:6.4f} | {acc:6.4f} {elapsed:6.1f}"
        )
    for name, counter in comment_labels.items():
        shown = ", ".join(f"{label} {n}" for label, n in counter.most_common())
        print(f"{name}: gold comment lines labelled {shown}")


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark the line labeller.")
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--cv", action="store_true", help="also score held-out pages (slow)")
    parser.add_argument("--news", type=Path, help="news articles used in training (for --cv)")
    args = parser.parse_args()
    for path in args.paths:
        if path.is_dir():
            path = path / "line_labels.tsv"
        if not path.exists():
            sys.exit(f"bench_lines: no such file: {path}")
        if path.suffix == ".tsv":
            bench_seeds(path)
        else:
            bench_pages(path, cv=args.cv, news=args.news)
        print()


if __name__ == "__main__":
    main()
