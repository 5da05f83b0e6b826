"""The MinHash signature the store keeps of a document (near-duplicate detection).

The same values as datasketch's ``MinHash(num_perm=NUM_PERM, seed=SEED)`` after
``update_batch`` of the UTF-8 shingles (its default "affine32" scheme since datasketch 2.0:
SHA-1's first 4 bytes, the MurmurHash3 finalizer, then ``a * h + b`` mod 2³² per permutation,
``a`` odd; ``tests/test_minhash.py`` checks them equal), computed with numpy alone: importing
datasketch imports scipy, ~0.6 s of every CLI ingest. The brief's own duplicate finding
(``clean.duplicates``, with its LSH index) still uses datasketch.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Collection

import numpy as np

from storybrief.clean.duplicates import NUM_PERM, SEED

__all__ = ["minhash_signature"]

_EMPTY = np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)


@functools.lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """datasketch's permutation parameters for ``SEED`` (drawn in the same order)."""
    gen = np.random.RandomState(SEED)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def _fmix32(hv: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer (uint32 arithmetic wraps, as it should)."""
    hv = hv ^ (hv >> np.uint32(16))
    hv = hv * np.uint32(0x85EBCA6B)
    hv = hv ^ (hv >> np.uint32(13))
    hv = hv * np.uint32(0xC2B2AE35)
    return hv ^ (hv >> np.uint32(16))


def minhash_signature(items: Collection[str]) -> bytes:
    """The MinHash of ``items`` as ``NUM_PERM`` little-endian uint32."""
    hashes = np.fromiter(
        (
            int.from_bytes(hashlib.sha1(item.encode("utf-8", "surrogatepass")).digest()[:4], "little")
            for item in items
        ),
        dtype=np.uint32,
        count=len(items),
    )
    if not len(hashes):
        return _EMPTY.astype("<u4").tobytes()
    a, b = _permutations()
    permuted = _fmix32(hashes).reshape(-1, 1) * a + b
    return permuted.min(axis=0).astype("<u4").tobytes()
