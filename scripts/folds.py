"""Cross-validation folds grouped by DUC topic, shared by the training scripts.

A topic's main cluster and its update sets (``D0703A``, ``D0703A-B``…) share their first six
characters and always land in one fold, so a held-out figure never saw the topic."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def topic_folds(ids: Iterable[str], folds: int) -> dict[str, int]:
    """Each id's fold (0 … ``folds`` - 1), topics dealt round-robin in sorted order."""
    ids = list(ids)
    topics = sorted({i[:6] for i in ids})
    fold_of_topic = {t: n % folds for n, t in enumerate(topics)}
    return {i: fold_of_topic[i[:6]] for i in ids}


def write_fold_models(
    ids: Sequence[str],
    examples: Sequence[T],
    folds: int,
    fold_dir: str,
    trained_json: Callable[[list[T], int], str],
) -> dict[str, int]:
    """For each fold k, ``trained_json(examples of the other folds, k)`` written as
    ``fold-k.json`` in ``fold_dir``, and the folds themselves as ``folds.json``; returns
    each id's fold."""
    fold_of = topic_folds(ids, folds)
    out = Path(fold_dir)
    out.mkdir(parents=True, exist_ok=True)
    for k in range(folds):
        train = [e for i, e in zip(ids, examples, strict=True) if fold_of[i] != k]
        (out / f"fold-{k}.json").write_text(trained_json(train, k), encoding="utf-8")
    (out / "folds.json").write_text(json.dumps(fold_of, indent=1) + "\n", encoding="utf-8")
    return fold_of
