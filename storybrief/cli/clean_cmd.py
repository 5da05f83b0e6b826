"""``storybrief clean``: show how each document was read and labelled."""

from __future__ import annotations

import argparse
import json
import sys

from storybrief.cli.common import (
    add_inputs,
    add_output,
    check_output,
    finish,
    progress_bar,
    report_warnings,
)
from storybrief.options import Options
from storybrief.render.clean_text import render_clean_text


def register(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "clean",
        help="show how each document was read and labelled",
        description="Read documents (text, HTML, JSON Lines, WARC, .gz, directories, - for stdin) "
        "and print each one's metadata and labelled blocks "
        "(title, heading, body, comment, boilerplate).",
    )
    add_inputs(command)
    add_output(command, formats=("text", "json"))
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    options = Options(duplicate_threshold=args.duplicate_threshold)
    check_output(args.output)
    from storybrief.pipeline import clean  # on first use: other commands never need it

    with progress_bar(not args.quiet) as progress:
        result = clean(args.paths, options, stdin=sys.stdin.buffer, progress=progress)

    def text() -> str:
        if args.format == "json":
            return json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"
        return render_clean_text(result.documents)

    report_warnings(result.warnings)
    return finish(result.errors, len(result.documents), text, args.output)
