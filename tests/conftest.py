"""Fixtures shared by the test modules."""

from __future__ import annotations

from pathlib import Path

import pytest
from parallel_support import inputs_in

from storybrief.store import open_writer
from storybrief.store.write import IngestResult, ingest

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


@pytest.fixture(scope="session")
def parallel_inputs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Real inputs for the parallel ingests' tests (``parallel_support.inputs_in``)."""
    return inputs_in(tmp_path_factory.mktemp("inputs"))


@pytest.fixture(scope="session")
def in_process(
    parallel_inputs: list[str], tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, IngestResult]:
    """``parallel_inputs`` ingested in one process: the store a parallel ingest must equal
    (read only: the tests that use it never write to it)."""
    path = str(tmp_path_factory.mktemp("local") / "in_process.db")
    with open_writer(path) as store:
        result = ingest(store, parallel_inputs)
    return path, result
