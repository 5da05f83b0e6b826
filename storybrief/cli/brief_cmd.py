"""``storybrief brief``: write the cited brief of the inputs."""

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
    warn,
)
from storybrief.model import ReadError
from storybrief.options import Options


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
    check_output(args.output)
    if args.story is not None or args.since is not None:
        from storybrief.cli.store_common import run_story_brief

        return run_story_brief(args, options, lambda result: render(result, args.format))
    if not args.paths:
        raise ValueError("give the documents to brief (PATH...) or --story ID")
    from storybrief.pipeline import brief  # on first use: the store commands never need it

    with progress_bar(not args.quiet) as progress:
        result = brief(args.paths, options, stdin=sys.stdin.buffer, progress=progress)
    errors = [ReadError(e["source"], e["reason"]) for e in result["errors"]]
    report_warnings(result["warnings"])
    if result["documents"]:
        _warn_about_options(result, options)
    return finish(errors, len(result["documents"]), lambda: render(result, args.format), args.output)


def _warn_about_options(result: dict, options: Options) -> None:
    """Say when an option had no effect a reader would expect."""
    if options.focus and not focus_matches(options.focus, result):
        warn(f"--focus {options.focus!r} matches nothing in the documents; summary not focused")
    notes = result["source_notes"]
    if not result["summary"] and any(n.get("counts", {}).get("body") for n in notes):
        warn(f"--words {options.words} is shorter than any sentence; the summary is empty")


def focus_matches(focus: str, result: dict) -> bool:
    """Whether any content term of ``focus`` occurs in a document's text (same terms as the
    summarizer's focus: stemmed content words, question words dropped)."""
    from storybrief.summarize.scoring import FOCUS_STOP_WORDS, content_terms, tokens

    wanted = set(content_terms(tokens(focus))) - FOCUS_STOP_WORDS
    if not wanted:
        return False
    return any(wanted & set(content_terms(tokens(d["text"]))) for d in result["documents"])
