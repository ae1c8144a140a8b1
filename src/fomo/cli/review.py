"""`fomo review ID`: record that a maintainer checked the topic today."""

from __future__ import annotations

import argparse
from typing import Any

from fomo.cli.editing import add_dry_run, run_edit


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "review",
        parents=[common],
        help="set a topic's reviewed date to today",
        description="Set `reviewed` to today's date (see `fomo stale` for what needs review).",
    )
    parser.add_argument("id", nargs="+", help="the topic id(s)")
    add_dry_run(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from fomo.kb.edit import merge, review_topic
    from fomo.kb.load import load

    def plan(root: Any) -> Any:
        kb = load(root).kb
        changes = [review_topic(root, topic_id, kb=kb) for topic_id in args.id]
        return merge("review " + ", ".join(args.id), changes)

    return run_edit(args, plan)
