"""``storybrief ingest``: add documents to the story store (deduplicated, assigned to stories)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from storybrief.cli.common import (
    EXIT_NOTHING,
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    add_inputs,
    progress_bar,
    report_errors,
    report_warnings,
)
from storybrief.cli.store_common import add_db, db_path, dump, fail, positive, store_errors
from storybrief.options import Options


def register(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "ingest",
        help="add documents to the story store",
        description="Read documents (every format `brief` reads), clean and analyse each, and "
        "add them to the store: copies of stored documents are marked, each document joins a "
        "story (or opens one). Idempotent: what is stored already is skipped.",
    )
    add_inputs(command)
    add_db(command)
    command.add_argument(
        "--format", choices=("text", "json"), default="text", help="summary format"
    )
    command.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    command.add_argument(
        "--wait",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="wait this long for another ingest on the same store to end (default: say busy)",
    )
    command.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="run the per-document work on a Dask cluster: a scheduler (tcp://host:8786) or "
        '"local" (a LocalCluster on this machine); needs pip install "storybrief[dask]"',
    )
    command.add_argument(
        "--workers",
        type=positive,
        metavar="N",
        help="worker processes reading and analysing documents while this one writes "
        "(default: one per core; 1: everything in this process); with --dask local, the "
        "cluster's size",
    )
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.dask is None:
        return store_errors(_run_local)(args)
    from storybrief.scale import DaskRunner, DaskUnavailable, connect

    try:
        with connect(args.dask, args.workers) as client:
            return store_errors(lambda args: _run(args, DaskRunner(client)))(args)
    except DaskUnavailable as exc:
        return fail(str(exc), EXIT_USAGE)


def _run_local(args: argparse.Namespace) -> int:
    """In this process with ``--workers 1``, else on local workers (when there is enough
    work for them: ``scale.pool.MIN_WORK``)."""
    from storybrief.scale.pool import default_workers, process_pool

    workers = args.workers or default_workers()
    if workers == 1:
        return _run(args, None)
    with process_pool(workers) as runner:
        return _run(args, runner)


def _run(args: argparse.Namespace, runner: Any) -> int:
    from storybrief.scale.pool import WorkerDied
    from storybrief.store.db import open_writer

    options = Options(duplicate_threshold=args.duplicate_threshold)
    path = db_path(args)
    with open_writer(path, wait=args.wait) as store, progress_bar(not args.quiet) as progress:
        try:
            result = _ingest(store, args.paths, runner, options, progress)
        except WorkerDied as exc:
            return fail(str(exc))
    report_errors(result.errors)
    report_warnings(result.warnings)
    if args.format == "json":
        sys.stdout.write(dump({"db": path, **result.to_dict()}))
    else:
        print(
            f"{result.added} added, {result.already_stored} already stored, "
            f"{result.near_duplicates} near-duplicates, {len(result.errors)} errors; "
            f"stories: {len(result.stories_new)} new, {len(result.stories_updated)} updated "
            f"({path})"
        )
    if result.added + result.already_stored == 0:
        return EXIT_NOTHING
    return EXIT_PARTIAL if result.errors else EXIT_OK


def _ingest(store: Any, paths: list[str], runner: Any, options: Options, progress: Any) -> Any:
    if runner is None:
        from storybrief.store.write import ingest

        return ingest(store, paths, options, stdin=sys.stdin.buffer, progress=progress)
    from storybrief.scale import ingest_parallel

    return ingest_parallel(store, paths, runner, options, stdin=sys.stdin.buffer, progress=progress)
