"""``storybrief ingest``: add documents to the story store (deduplicated, assigned to stories)."""

from __future__ import annotations

import argparse
import sys

from storybrief.cli.common import (
    EXIT_NOTHING,
    EXIT_OK,
    EXIT_PARTIAL,
    add_inputs,
    progress_bar,
    report_errors,
)
from storybrief.cli.store_common import add_db, db_path, dump, store_errors
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
    command.set_defaults(run=run)


@store_errors
def run(args: argparse.Namespace) -> int:
    from storybrief.store.db import open_writer
    from storybrief.store.write import ingest

    options = Options(duplicate_threshold=args.duplicate_threshold)
    path = db_path(args)
    with open_writer(path, wait=args.wait) as store, progress_bar(not args.quiet) as progress:
        result = ingest(store, args.paths, options, stdin=sys.stdin.buffer, progress=progress)
    report_errors(result.errors)
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
