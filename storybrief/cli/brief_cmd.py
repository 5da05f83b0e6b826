"""``storybrief brief``: write the cited brief of the inputs."""

from __future__ import annotations

import argparse
import json
import sys

from storybrief.cli.common import (
    EXIT_NOTHING,
    EXIT_OK,
    EXIT_PARTIAL,
    add_inputs,
    add_output,
    progress_bar,
    report_errors,
    write_output,
)
from storybrief.model import ReadError
from storybrief.options import Options
from storybrief.pipeline import brief


def register(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "brief",
        help="write the cited brief of a story",
        description="Read documents and write a brief: a cited summary, events and timeline, "
        "who said what, people and organisations, corroboration, conflicts, reader reaction and "
        "source notes.",
    )
    add_inputs(command, required=False)
    add_output(command, formats=("md", "json", "html"))
    command.add_argument(
        "--words",
        type=int,
        default=Options.words,
        metavar="N",
        help="summary length (default %(default)s)",
    )
    command.add_argument(
        "--focus", metavar="TEXT", help="a question or topic to lean the summary towards"
    )
    from storybrief.cli import store_common

    store_common.add_story_options(command)
    command.set_defaults(run=run)


def render(result: dict, fmt: str) -> str:
    """The brief dict in the asked format."""
    if fmt == "json":
        return json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    if fmt == "html":
        from storybrief.render.html import render_html

        return render_html(result)
    from storybrief.render.markdown import render_markdown

    return render_markdown(result)


def run(args: argparse.Namespace) -> int:
    options = Options(
        duplicate_threshold=args.duplicate_threshold, words=args.words, focus=args.focus
    )
    if args.story is not None or args.since is not None:
        from storybrief.cli.store_common import run_story_brief

        return run_story_brief(args, options, lambda result: render(result, args.format))
    if not args.paths:
        raise ValueError("give the documents to brief (PATH...) or --story ID")
    with progress_bar(not args.quiet) as progress:
        result = brief(args.paths, options, stdin=sys.stdin.buffer, progress=progress)
    write_output(render(result, args.format), args.output)
    errors = [ReadError(e["source"], e["reason"]) for e in result["errors"]]
    report_errors(errors)
    if not result["documents"]:
        return EXIT_NOTHING
    return EXIT_PARTIAL if errors else EXIT_OK
