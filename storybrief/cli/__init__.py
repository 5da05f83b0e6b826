"""Command line: parse arguments, run one command, set the exit code.

Each command is a module with ``register(commands)`` (its arguments; it sets ``run``) and
``run(args) -> exit code``; this module only assembles them. Commands call the library
(``pipeline``, ``render``, ...) and nothing here holds logic of its own.

Exit codes (also in the README):
  0  every input was read
  1  some inputs failed (each error is printed on stderr and listed in JSON output)
  2  the command line was wrong
  3  nothing could be read (no document at all)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from storybrief import __version__
from storybrief.cli import brief_cmd, clean_cmd, ingest_cmd, search_cmd, serve_cmd, stories_cmd
from storybrief.cli.common import (
    EXIT_NOTHING,
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    OutputError,
)

__all__ = ["EXIT_NOTHING", "EXIT_OK", "EXIT_PARTIAL", "EXIT_USAGE", "build_parser", "main"]

#: The commands, in the order ``--help`` lists them.
COMMANDS = (brief_cmd, clean_cmd, ingest_cmd, stories_cmd, search_cmd, serve_cmd)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="storybrief",
        description="Turn raw news pages about a story into a brief you can trust.",
    )
    parser.add_argument("--version", action="version", version=f"storybrief {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except OutputError as exc:  # an -o path that cannot be written: one line, exit 2
        print(f"storybrief: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
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
