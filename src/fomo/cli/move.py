"""`fomo move ID --under NEW`: move a topic (and its subtree) under another parent."""

from __future__ import annotations

import argparse
from typing import Any

from fomo.cli.editing import add_dry_run, run_edit


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "move",
        parents=[common],
        help="move a topic under another parent (git mv inside a work tree)",
        description="Move the topic's file or folder under NEW. A leaf parent becomes a folder "
        "with index.md; a folder left with only its index.md becomes a leaf again. Uses "
        "`git mv` inside a git work tree. A move into the topic's own subtree is refused.",
    )
    parser.add_argument("id", help="the topic to move")
    parser.add_argument("--under", required=True, metavar="NEW", help="the new parent's id")
    add_dry_run(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from fomo.kb.edit import move_topic

    return run_edit(args, lambda root: move_topic(root, args.id, args.under))
