"""What every command shares: exit codes, common options, the progress bar, writing output."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from storybrief.model import ReadError
from storybrief.options import Options
from storybrief.pipeline import ProgressCallback

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_NOTHING = 0, 1, 2, 3


def add_inputs(command: argparse.ArgumentParser, required: bool = True) -> None:
    """The input paths and the duplicate threshold, for commands that read documents
    (``required=False``: the paths may be left out, as ``brief --story`` does)."""
    command.add_argument(
        "paths",
        nargs="+" if required else "*",
        metavar="PATH",
        help="files (text, HTML, JSON Lines, WARC, optionally .gz), directories, or - for stdin",
    )
    command.add_argument(
        "--duplicate-threshold",
        type=float,
        default=Options.duplicate_threshold,
        metavar="J",
        help="similarity (0-1] above which a document is a copy of an earlier one "
        "(default %(default)s)",
    )


def add_output(command: argparse.ArgumentParser, formats: tuple[str, ...]) -> None:
    """Output format and file, and quiet."""
    command.add_argument(
        "--format", choices=formats, default=formats[0], help="output format (default %(default)s)"
    )
    command.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    command.add_argument("-q", "--quiet", action="store_true", help="no progress bar")


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


def report_errors(errors: Sequence[ReadError]) -> None:
    for error in errors:
        print(f"storybrief: error: {error}", file=sys.stderr)


def write_output(text: str, output: str | None) -> None:
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        sys.stdout.write(text)
