"""What the store commands share: ``--db``, dates, and store errors as one-line messages."""

from __future__ import annotations

import argparse
import datetime
import sqlite3
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any

from storybrief.cli.common import EXIT_NOTHING

#: Exit code when the store cannot be used (missing, not a store, newer, damaged, busy):
#: nothing could be read or written.
EXIT_STORE = EXIT_NOTHING


def add_db(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--db",
        metavar="FILE",
        default=None,
        help="the story store (default $STORYBRIEF_DB, else storybrief.db here)",
    )


def db_path(args: argparse.Namespace) -> str:
    from storybrief.store.db import default_db_path

    return str(args.db or default_db_path())


def iso_date(value: str) -> str:
    """An argparse type: YYYY-MM-DD."""
    try:
        return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def add_listing(command: argparse.ArgumentParser, limit: int, what: str) -> None:
    """``--limit N`` (at least 1) and ``--format md|json``, for commands that list results."""
    command.add_argument(
        "--limit", type=positive, default=limit, metavar="N", help=f"at most N {what}"
    )
    command.add_argument("--format", choices=("md", "json"), default="md", help="output format")


def positive(value: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1: {value!r}")
    return number


def store_errors(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Store failures become one line on stderr and ``EXIT_STORE``, never a traceback."""

    @wraps(run)
    def wrapped(args: argparse.Namespace) -> int:
        # Imported on use: every command's start-up (``brief`` too) would pay for the store.
        from storybrief.store.db import StoreError, translate_error

        try:
            return run(args)
        except StoreError as exc:
            print(f"storybrief: error: {exc}", file=sys.stderr)
        except sqlite3.DatabaseError as exc:
            print(f"storybrief: error: {translate_error(exc, db_path(args))}", file=sys.stderr)
        return EXIT_STORE

    return wrapped


def fail(message: str, code: int = EXIT_STORE) -> int:
    print(f"storybrief: error: {message}", file=sys.stderr)
    return code


def dump(data: Any) -> str:
    import json

    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def add_story_options(command: argparse.ArgumentParser) -> None:
    """``brief --db FILE --story ID [--since DATE]``: a story's brief from the store."""
    add_db(command)
    command.add_argument("--story", metavar="ID", help="brief this story of the store (--db)")
    command.add_argument(
        "--since",
        type=iso_date,
        metavar="DATE",
        help="with --story: the update brief, only what is new after DATE (YYYY-MM-DD)",
    )


def run_story_brief(
    args: argparse.Namespace, options: Any, render: Callable[[dict[str, Any]], str]
) -> int:
    """The brief of one stored story (``brief --story``), written as ``brief`` writes."""
    from storybrief.cli.common import EXIT_OK, EXIT_USAGE, write_output

    if args.story is None:
        return fail("--since needs --story ID (see `storybrief stories`)", EXIT_USAGE)
    if args.paths:
        return fail("give either PATH... or --story ID, not both", EXIT_USAGE)

    @store_errors
    def brief_from_store(args: argparse.Namespace) -> int:
        from storybrief.store.briefs import StoryNotFound, story_brief
        from storybrief.store.db import open_reader

        with open_reader(db_path(args)) as store:
            try:
                result = story_brief(store, args.story, options, since=args.since)
            except StoryNotFound as exc:
                return fail(str(exc))
        write_output(render(result), args.output)
        return EXIT_OK

    return brief_from_store(args)
