"""`fomo mcp`: the assistant tool, a Model Context Protocol server over stdio."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "mcp",
        parents=[common],
        help="run the MCP server (stdio) for AI assistants: where, search, tree, place, annotate",
        description="Run a Model Context Protocol server on standard input and output. Tools: "
        "where, search, tree, place and annotate (JSON answers, as with --json); resources: "
        "fomo://topics and fomo://topics/{id}. Needs the optional extra: pip install "
        "'llm-fomo[mcp]'. See the README for the configuration of common MCP clients.",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import importlib.util

    from fomo.errors import FomoError

    if importlib.util.find_spec("mcp") is None:
        raise FomoError(
            "the MCP server needs the official `mcp` package, which is not installed",
            hint="pip install 'llm-fomo[mcp]'",
        )
    from fomo.kb.load import open_readable
    from fomo.mcp import serve

    open_readable(args.kb).close()  # a wrong --kb is an error now, not on the first call
    serve(args.kb)
    return 0
