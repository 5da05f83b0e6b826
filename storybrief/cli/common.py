"""What every command shares: exit codes, common options, the progress bar, writing output."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from storybrief.isolation import ProgressCallback
from storybrief.model import ReadError
from storybrief.options import Options
from storybrief.read import display_path

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

        current = ["reading"]

        def advance(source: str, total: int, stage: str = "reading") -> None:
            if stage != current[0]:  # a new stage (cleaning, stories, ...) starts its own count
                current[0] = stage
                bar.reset(task, total=total)
            what = f"{stage} {source[-40:]}" if source != stage else stage
            bar.update(task, total=total, advance=1, description=what)

        yield advance


def report_errors(errors: Sequence[ReadError]) -> None:
    for error in errors:
        print(f"storybrief: error: {error}", file=sys.stderr)


def report_warnings(warnings: Sequence[object]) -> None:
    """Each thing an input was read past (``ReadWarning``, or its JSON form), on stderr."""
    for warning in warnings:
        if isinstance(warning, dict):
            warning = f"{warning['source']}: {warning['reason']}"
        warn(str(warning))


def warn(message: str) -> None:
    print(f"storybrief: warning: {message}", file=sys.stderr)


class OutputError(Exception):
    """The output file cannot be written; a one-line reason."""


def check_output(output: str | None) -> None:
    """Refuse an unwritable ``-o`` path before any work is done (raises OutputError)."""
    if not output or output == "-":
        return
    shown = display_path(output)
    if os.path.isdir(output):
        raise OutputError(f"cannot write output {shown}: it is a directory")
    parent = os.path.dirname(os.path.abspath(output))
    if not os.path.isdir(parent):
        raise OutputError(f"cannot write output {shown}: no such directory {display_path(parent)}")
    if os.path.exists(output) and not os.access(output, os.W_OK):
        raise OutputError(f"cannot write output {shown}: permission denied")
    if not os.path.exists(output) and not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write output {shown}: permission denied in {display_path(parent)}")


def write_output(text: str, output: str | None) -> None:
    """Write ``text`` as UTF-8 (always valid: a lone surrogate becomes an escape) to the file
    or stdout. The bytes are made before the file is opened, so a failure leaves no 0-byte
    file; a write that still fails (disk full) raises OutputError."""
    data = text.encode("utf-8", "backslashreplace")
    if not output or output == "-":
        binary = getattr(sys.stdout, "buffer", None)
        if binary is None:  # a text-only stream put in place of stdout (embedding, tests)
            sys.stdout.write(data.decode("utf-8"))
            return
        sys.stdout.flush()
        binary.write(data)
        binary.flush()
        return
    try:
        with open(output, "wb") as handle:
            handle.write(data)
    except OSError as exc:
        raise OutputError(f"cannot write output {display_path(output)}: {exc.strerror or exc}") from None


def finish(errors: Sequence[ReadError], documents: int, text: Callable[[], str], output: str | None) -> int:
    """Write the output and the errors; the exit code. When nothing was read no empty result
    is written: stderr says so (each error, then why nothing came out)."""
    report_errors(errors)
    if not documents:
        if not errors:
            print("storybrief: error: no input given", file=sys.stderr)
        print("storybrief: error: nothing could be read, no output written", file=sys.stderr)
        return EXIT_NOTHING
    write_output(text(), output)
    return EXIT_PARTIAL if errors else EXIT_OK
