"""`fomo add ID --under PARENT --title T --essence E`: a new topic, written safely."""

from __future__ import annotations

import argparse
from typing import Any

from fomo.cli.editing import add_dry_run, run_edit


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "add",
        parents=[common],
        help="add a topic under a parent (validated, atomic, keeps formatting)",
        description="Create the topic file ID under PARENT with added/reviewed set to today. "
        "A leaf parent becomes a folder. Refused (nothing written) when the parent is unknown, "
        "the id exists or a name reads the same as another topic's.",
    )
    parser.add_argument("id", help="the new topic's id: lowercase kebab-case, e.g. simpo")
    parser.add_argument("--under", required=True, metavar="PARENT", help="the parent topic id")
    parser.add_argument("--title", required=True, help="the topic's title")
    parser.add_argument(
        "--essence", required=True, help="one sentence: what it is and why it exists"
    )
    parser.add_argument(
        "--alias", action="append", default=[], metavar="NAME", help="another name (repeatable)"
    )
    parser.add_argument("--year", type=int, help="the year it appeared")
    add_dry_run(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from fomo.kb.edit import add_topic

    return run_edit(
        args,
        lambda root: add_topic(
            root,
            args.under,
            args.id,
            title=args.title,
            essence=args.essence,
            aliases=args.alias,
            year=args.year,
        ),
    )
