"""The `fomo` command line: parse arguments, call the library, print. One module per command
(as MkDocs splits its commands), each exposing `register(subparsers, common)`; they import
their heavy dependencies inside the command so that `fomo where` starts fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from fomo import __version__
from fomo.errors import FomoError

# Listed in the order `fomo --help` shows them.
COMMANDS = (
    "where",
    "tree",
    "search",
    "check",
    "place",
    "ingest",
    "add",
    "move",
    "alias",
    "review",
    "stale",
    "changes",
    "timeline",
    "sessions",
    "new-article",
    "coverage",
    "import",
    "export",
    "build",
    "serve",
    "annotate",
    "extension",
    "mcp",
)

# Commands whose module name differs (`import` is a Python keyword).
_MODULES = {"import": "import_"}

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors with exit code 2 and a hint, never a traceback."""

    def error(self, message: str) -> None:  # type: ignore[override]
        from fomo.cli.style import error

        self.print_usage(sys.stderr)
        error(message, f"see `{self.prog} --help`")
        raise SystemExit(EXIT_BAD_INPUT)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The full parser, or (with `only`) one that knows just that command: importing every
    command module costs more than a warm `fomo where` itself."""
    parser = _Parser(
        prog="fomo",
        description="The LLM field as a living mind map: look up a term, browse the map, "
        "keep it fresh and publish it.",
    )
    parser.add_argument("--version", action="version", version=f"fomo {__version__}")
    common = _Parser(add_help=False)
    common.add_argument(
        "--kb",
        metavar="DIR",
        help="knowledge base folder (default: ./knowledge if present, else the bundled map)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in (only,) if only in COMMANDS else COMMANDS:
        module = _MODULES.get(name, name.replace("-", "_"))
        importlib.import_module(f"fomo.cli.{module}").register(subparsers, common)
    return parser


def nearest_command(word: str) -> str | None:
    """The command a mistyped one most likely meant ("wher" -> "where")."""
    import difflib

    found = difflib.get_close_matches(word, COMMANDS, n=1, cutoff=0.6)
    return found[0] if found else None


def main(argv: Sequence[str] | None = None) -> int:
    from fomo.cli.style import error

    arguments = list(sys.argv[1:] if argv is None else argv)
    first = next((a for a in arguments if not a.startswith("-")), None)
    if first is not None and first not in COMMANDS:
        guess = nearest_command(first)
        error(
            f"unknown command {first!r}",
            f"did you mean `fomo {guess}`?" if guess else "see `fomo --help` for the commands",
        )
        return EXIT_BAD_INPUT
    parser = build_parser(first)
    args = parser.parse_args(arguments)
    if not getattr(args, "run", None):
        parser.print_help()
        return EXIT_BAD_INPUT
    try:
        return int(args.run(args) or 0)
    except FomoError as problem:
        where = ""
        if problem.file:
            where = f"{problem.file}:{problem.line}: " if problem.line else f"{problem.file}: "
        error(where + problem.message, problem.hint)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
