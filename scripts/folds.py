"""Cross-validation folds grouped by DUC topic, shared by the training scripts.

A topic's main cluster and its update sets (``D0703A``, ``D0703A-B``…) share their first six
characters and always land in one fold, so a held-out figure never saw the topic."""

from __future__ import annotations

from collections.abc import Iterable


def topic_folds(ids: Iterable[str], folds: int) -> dict[str, int]:
    """Each id's fold (0 … ``folds`` - 1), topics dealt round-robin in sorted order."""
    ids = list(ids)
    topics = sorted({i[:6] for i in ids})
    fold_of_topic = {t: n % folds for n, t in enumerate(topics)}
    return {i: fold_of_topic[i[:6]] for i in ids}
