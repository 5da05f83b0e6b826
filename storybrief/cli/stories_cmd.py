"""``storybrief stories``: the store's stories by latest activity."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from storybrief.cli.common import EXIT_OK
from storybrief.cli.store_common import add_db, add_listing, db_path, dump, iso_date, store_errors


def register(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "stories",
        help="list the stories in the store",
        description="Stories by latest activity: id, label, first and last date, documents, "
        "independent sources, events, and documents dated after --since.",
    )
    add_db(command)
    command.add_argument(
        "--since",
        type=iso_date,
        metavar="DATE",
        help="only stories with documents dated after DATE (YYYY-MM-DD)",
    )
    add_listing(command, limit=50, what="stories")
    command.set_defaults(run=run)


@store_errors
def run(args: argparse.Namespace) -> int:
    from storybrief.store import query
    from storybrief.store.db import open_reader

    with open_reader(db_path(args)) as store:
        found = query.stories(store, since=args.since, limit=args.limit)
    sys.stdout.write(dump(found) if args.format == "json" else render(found, args.since))
    return EXIT_OK


def _cell(text: Any) -> str:
    return " ".join(str(text or "").split()).replace("|", "\\|")


def render(found: list[dict[str, Any]], since: str | None) -> str:
    if not found:
        return "No stories" + (f" with documents dated after {since}" if since else "") + ".\n"
    new = "new" if since is None else f"new since {since}"
    lines = [
        f"| story | label | first | last | documents | sources | events | {new} |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for s in found:
        lines.append(
            f"| {s['id']} | {_cell(s['label'])} | {s['first_date'] or '—'} | "
            f"{s['last_date'] or '—'} | {s['size']} | {s['sources']} | {s['events']} | "
            f"{s['new_documents']} |"
        )
    return "\n".join(lines) + "\n"
