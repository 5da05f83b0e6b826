"""Command line: parse arguments into ``Options``, run the pipeline, render, set the exit code.

Exit codes (also in the README):
  0  every input was read
  1  some inputs failed (each error is printed on stderr and listed in JSON output)
  2  the command line was wrong
  3  nothing could be read (no document at all)
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from storybrief import __version__
from storybrief.model import ReadError
from storybrief.options import Options
from storybrief.pipeline import ProgressCallback, brief, clean
from storybrief.render.clean_text import render_clean_text

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_NOTHING = 0, 1, 2, 3


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="storybrief",
        description="Turn raw news pages about a story into a brief you can trust.",
    )
    parser.add_argument("--version", action="version", version=f"storybrief {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    brief_cmd = commands.add_parser(
        "brief",
        help="write the cited brief of a story",
        description="Read documents and write a brief: a cited summary, events and timeline, "
        "who said what, people and organisations, corroboration, conflicts, reader reaction and "
        "source notes.",
    )
    _add_common(brief_cmd, formats=("md", "json", "html"))
    brief_cmd.add_argument(
        "--words",
        type=int,
        default=Options.words,
        metavar="N",
        help="summary length (default %(default)s)",
    )
    brief_cmd.add_argument(
        "--focus", metavar="TEXT", help="a question or topic to lean the summary towards"
    )

    clean_cmd = commands.add_parser(
        "clean",
        help="show how each document was read and labelled",
        description="Read documents (text, HTML, JSON Lines, WARC, .gz, directories, - for stdin) "
        "and print each one's metadata and labelled blocks "
        "(title, heading, body, comment, boilerplate).",
    )
    _add_common(clean_cmd, formats=("text", "json"))
    return parser


def _add_common(command: argparse.ArgumentParser, formats: tuple[str, ...]) -> None:
    """Options every command takes: inputs, output format and file, quiet, duplicates."""
    command.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="files (text, HTML, JSON Lines, WARC, optionally .gz), directories, or - for stdin",
    )
    command.add_argument(
        "--format", choices=formats, default=formats[0], help="output format (default %(default)s)"
    )
    command.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    command.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    command.add_argument(
        "--duplicate-threshold",
        type=float,
        default=Options.duplicate_threshold,
        metavar="J",
        help="similarity (0-1] above which a document is a copy of an earlier one "
        "(default %(default)s)",
    )


@contextmanager
def progress_bar(enabled: bool) -> Iterator[ProgressCallback | None]:
    """A progress bar on stderr for multi-file runs; nothing when disabled or not a terminal."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("reading", total=None)

        def advance(source: str, total: int) -> None:
            bar.update(task, total=total, advance=1, description=f"reading {source[-40:]}")

        yield advance


def _report_errors(errors: Sequence[ReadError]) -> None:
    for error in errors:
        print(f"storybrief: error: {error}", file=sys.stderr)


def _write(text: str, output: str | None) -> None:
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        sys.stdout.write(text)


def run_clean(args: argparse.Namespace) -> int:
    options = Options(duplicate_threshold=args.duplicate_threshold)
    with progress_bar(not args.quiet) as progress:
        result = clean(args.paths, options, stdin=sys.stdin.buffer, progress=progress)
    if args.format == "json":
        text = json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"
    else:
        text = render_clean_text(result.documents)
    _write(text, args.output)
    _report_errors(result.errors)
    if not result.documents:
        return EXIT_NOTHING
    return EXIT_PARTIAL if result.errors else EXIT_OK


def run_brief(args: argparse.Namespace) -> int:
    options = Options(
        duplicate_threshold=args.duplicate_threshold, words=args.words, focus=args.focus
    )
    with progress_bar(not args.quiet) as progress:
        result = brief(args.paths, options, stdin=sys.stdin.buffer, progress=progress)
    if args.format == "json":
        text = json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    elif args.format == "html":
        from storybrief.render.html import render_html

        text = render_html(result)
    else:
        from storybrief.render.markdown import render_markdown

        text = render_markdown(result)
    _write(text, args.output)
    errors = [ReadError(e["source"], e["reason"]) for e in result["errors"]]
    _report_errors(errors)
    if not result["documents"]:
        return EXIT_NOTHING
    return EXIT_PARTIAL if errors else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "clean":
            return run_clean(args)
        if args.command == "brief":
            return run_brief(args)
    except ValueError as exc:  # invalid option values
        parser.error(str(exc))
    except BrokenPipeError:  # `storybrief ... | head` is not an error
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
