"""Real text from the evaluation data, read at test time (never copied into the repository).

The data lives beside the repository (``../shared/eval``; ``$STORYBRIEF_EVAL`` elsewhere); a
test that needs it is skipped when it is absent."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
_PLACES = [
    Path(os.environ.get("STORYBRIEF_EVAL", ROOT.parent / "shared" / "eval")),
    ROOT.parent.parent / "shared" / "eval",  # a worktree one level further down
]


def eval_rows(name: str) -> list[dict[str, Any]]:
    """The records of ``name`` (e.g. ``stories/ecbplus-val.jsonl.gz``); skips the test when
    the evaluation data is not on this machine."""
    path = next((place / name for place in _PLACES if (place / name).exists()), None)
    if path is None:
        pytest.skip(f"evaluation data {name} not found")
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]
