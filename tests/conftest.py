"""Fixtures shared by the test modules."""

from __future__ import annotations

from pathlib import Path

import pytest

from storybrief.store import open_writer
from storybrief.store.write import ingest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def clean_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store of the examples and the test inputs, ingested in batches of 3 (read only: the
    tests that use it never write to it)."""
    path = str(tmp_path_factory.mktemp("store") / "clean.db")
    with open_writer(path) as store:
        ingest(
            store, [str(ROOT / "examples"), str(ROOT / "tests" / "data" / "inputs")], batch_size=3
        )
    return path
