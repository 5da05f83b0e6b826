"""A real story store for the web UI's tests: the bundled examples plus a hostile document
(``data/serve_hostile.jsonl``: ``<script>``, ``onerror=``, ``javascript:`` links in its title,
site, address, reporting and comments), ingested once per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

from storybrief.store import open_writer
from storybrief.store.write import ingest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
HOSTILE = ROOT / "tests" / "data" / "serve_hostile.jsonl"


def _built(directory: str) -> str:
    path = str(Path(directory) / "serve.db")
    with open_writer(path) as store:
        ingest(store, [str(EXAMPLES), str(HOSTILE)])
    return path


_BUILT: list[str] = []


def build_store(directory: Path) -> str:
    """The test store, built once per process (in the first ``directory`` asked for)."""
    if not _BUILT:
        _BUILT.append(_built(str(directory)))
    return _BUILT[0]


def copy_store(source: str, target: Path) -> str:
    """A private copy of a store (its writer closed, so the file alone is the whole store)."""
    path = target / "copy.db"
    shutil.copyfile(source, path)
    return str(path)
