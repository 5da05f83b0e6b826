"""``storybrief search``: full-text search of the store (reporting text, or comments)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from storybrief.cli.common import EXIT_OK, EXIT_USAGE
from storybrief.cli.store_common import (
    add_db,
    add_listing,
    db_path,
    dump,
    fail,
    iso_date,
    store_errors,
)


def register(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "search",
        help="search the store",
        description="Full-text search over the stored reporting text (titles weighted up), "
        "ranked by bm25; --comments searches reader comments instead. The query is words to "
        "find, all of them: quotes, operators and punctuation are not syntax.",
    )
    command.add_argument("query", metavar="QUERY", help="words to search for")
    add_db(command)
    command.add_argument("--since", type=iso_date, metavar="DATE", help="documents dated after")
    command.add_argument("--story", metavar="ID", help="only this story's documents")
    command.add_argument("--comments", action="store_true", help="search reader comments")
    add_listing(command, limit=20, what="results")
    command.set_defaults(run=run)


@store_errors
def run(args: argparse.Namespace) -> int:
    from storybrief.store import query
    from storybrief.store.db import open_reader

    with open_reader(db_path(args)) as store:
        try:
            hits = query.search(
                store, args.query, since=args.since, story_id=args.story,
                comments=args.comments, limit=args.limit,
            )  # fmt: skip
        except query.QueryError as exc:
            return fail(str(exc), EXIT_USAGE)
    sys.stdout.write(dump(hits) if args.format == "json" else render(hits))
    return EXIT_OK


def render(hits: list[dict[str, Any]]) -> str:
    if not hits:
        return "No results.\n"
    out = []
    for n, hit in enumerate(hits, start=1):
        where = hit["url"] or hit["path"] or hit["id"]
        title = " ".join((hit["title"] or "(untitled)").split())
        out.append(
            f"{n}. {title} — {hit['date'] or 'undated'} — story {hit['story'] or '—'}\n"
            f"   {where} (document {hit['id']}, chars {hit['start']}–{hit['end']})\n"
            f"   {hit['snippet']}"
        )
    return "\n".join(out) + "\n"
