"""`fomo alias ID NAME`: give a topic another name."""

from __future__ import annotations

import argparse
from typing import Any

from fomo.cli.editing import add_dry_run, run_edit


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "alias",
        parents=[common],
        help="add an alias to a topic",
        description="Append NAME to the topic's aliases, keeping the file's formatting. Refused "
        "when another topic already answers to a name that reads the same.",
    )
    parser.add_argument("id", help="the topic id")
    parser.add_argument("name", help="the new alias, e.g. an acronym")
    add_dry_run(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from fomo.kb.edit import add_alias

    return run_edit(args, lambda root: add_alias(root, args.id, args.name))
