"""CPU seconds of one in-process ingest, by stage (where ``storybrief ingest`` spends its time).

Usage:
  python bench/bench_ingest_cpu.py PAGES.jsonl.gz     (extraction format: id, url, html)
  python bench/bench_ingest_cpu.py DIR                (any folder ``ingest`` reads)

Writes the pages as .html files (as ``bench_store.py html`` does), ingests them into an empty
store in this process and prints the process CPU time of the whole ingest, of each step of
``store.prepare`` (per document), of the brief refresh and of each of its stages (the
``Isolation`` stage names of ``brief.build_brief``). CPU time, not wall time: on a shared
machine it moves less with other people's load, though a busy sibling core still slows it.
To compare two versions, run it with ``PYTHONPATH`` set to each checkout, alternately.
"""

from __future__ import annotations

import argparse
import collections
import functools
import gzip
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from storybrief import isolation
from storybrief.store import analysis, briefs, prepare
from storybrief.store.db import open_writer
from storybrief.store.write import ingest

SPENT: collections.defaultdict[str, float] = collections.defaultdict(float)


def _timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        begin = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            SPENT[name] += time.process_time() - begin

    return wrapper


def _instrument() -> None:
    """Wrap the prepare steps and the brief stages with CPU timers (module attributes)."""
    for step in ("_date", "_sketch", "_sentences", "_date_mentions", "_mentions", "story_terms"):
        setattr(prepare, step, _timed(f"prepare: {step.lstrip('_')}", getattr(prepare, step)))
    import storybrief.analyze.document_analysis as document_analysis
    import storybrief.brief as brief
    import storybrief.clean as clean

    clean.clean_document = _timed("prepare: clean_document", clean.clean_document)
    document_analysis.analyse_document = _timed(
        "prepare: analyse_document", document_analysis.analyse_document
    )
    analysis.encode = _timed("prepare: encode analysis", analysis.encode)
    analysis.decode_kept = _timed("brief: decode kept analysis", analysis.decode_kept)
    brief._start = _timed("brief: entities", brief._start)
    briefs.refresh_result = _timed("brief refresh: refresh_result", briefs.refresh_result)
    run, each = isolation.Isolation.run, isolation.Isolation.each

    def staged(stage: str, function: Callable[..., Any], *args: Any) -> Any:
        return _timed(f"brief: {stage}", function)(*args)

    isolation.Isolation.run = lambda self, stage, *a: staged(stage, run, self, stage, *a)  # type: ignore[method-assign]
    isolation.Isolation.each = lambda self, stage, *a: staged(stage, each, self, stage, *a)  # type: ignore[method-assign]


def _folder(path: Path, tmp: Path) -> Path:
    if path.is_dir():
        return path
    folder = tmp / "pages"
    folder.mkdir()
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for n, line in enumerate(handle):
            (folder / f"{n:04d}.html").write_text(json.loads(line)["html"], encoding="utf-8")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    args = parser.parse_args()
    _instrument()
    with tempfile.TemporaryDirectory() as tmp:
        folder = _folder(Path(args.path), Path(tmp))
        with open_writer(str(Path(tmp) / "store.db")) as store:
            begin = time.process_time()
            result = ingest(store, [str(folder)])
            total = time.process_time() - begin
    print(f"{result.added} documents: ingest {total:.2f} s CPU")
    for name, spent in sorted(SPENT.items()):
        print(f"  {name:32s} {spent:6.2f} s")


if __name__ == "__main__":
    main()
