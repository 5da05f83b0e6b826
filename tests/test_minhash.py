"""The store's MinHash signature equals datasketch's on real documents' shingles."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from datasketch import MinHash

from storybrief.clean.duplicates import NUM_PERM, SEED, normalised_words, shingles
from storybrief.store.minhash import minhash_signature

ROOT = Path(__file__).resolve().parent.parent


def _datasketch(items: set[str]) -> bytes:
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED)
    minhash.update_batch([item.encode("utf-8", "surrogatepass") for item in items])
    return np.asarray(minhash.hashvalues, dtype="<u4").tobytes()


EXAMPLES = sorted((ROOT / "examples").glob("*.txt"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_signature_equals_datasketch_on_examples(path: Path) -> None:
    items = shingles(normalised_words(path.read_text(encoding="utf-8", errors="replace")))
    assert items
    assert minhash_signature(items) == _datasketch(items)


def test_signature_of_unusual_text_and_no_items() -> None:
    words = normalised_words("Zürich’s 北京 café — naïve 😀 text\ud800 with a lone surrogate")
    items = shingles(words) | {"x"}
    assert minhash_signature(items) == _datasketch(items)
    assert minhash_signature(set()) == _datasketch(set())
