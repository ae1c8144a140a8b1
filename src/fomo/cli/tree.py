"""`fomo tree [ID]`: the map or a branch as a tree in the terminal."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from fomo.cli.style import paint, print_json, terminal_safe


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "tree",
        parents=[common],
        help="show the map or one branch as a tree",
        description="Draw the map, or the branch under ID (an id, title or alias), as a tree.",
    )
    parser.add_argument("id", nargs="?", help="the branch to show (default: the whole map)")
    parser.add_argument("--depth", type=int, metavar="N", help="show at most N levels below it")
    parser.add_argument(
        "--no-ids", action="store_true", help="titles only (ids are what `fomo tree ID` takes)"
    )
    parser.add_argument("--json", action="store_true", help="print nested {id, title, children}")
    parser.set_defaults(run=run)


def nested(kb: Any, topic_id: str, depth: int | None) -> dict[str, Any]:
    children = [] if depth == 0 else kb.children(topic_id)
    below = None if depth is None else depth - 1
    return {
        "id": topic_id,
        "title": kb.topics[topic_id].title,
        "children": [nested(kb, child.id, below) for child in children],
    }


def lines(kb: Any, topic_id: str, depth: int | None, ids: bool = True) -> list[str]:
    """The tree drawing: each topic's title and (with `ids`) its id; a folded branch says how
    many topics it hides."""

    def label(tid: str) -> str:
        title = terminal_safe(kb.topics[tid].title)
        return title + (paint(f"  {tid}", "dim") if ids and tid != title else "")

    out = [
        paint(kb.topics[topic_id].title, "bold") + (paint(f"  {topic_id}", "dim") if ids else "")
    ]

    def walk(parent: str, prefix: str, level: int) -> None:
        if depth is not None and level > depth:
            return
        children = kb.children(parent)
        for position, child in enumerate(children):
            last = position == len(children) - 1
            count = len(kb.children(child.id))
            folded = depth is not None and level == depth and count
            suffix = paint(f"  ({count} more)", "yellow") if folded else ""
            out.append(f"{prefix}{'└── ' if last else '├── '}{label(child.id)}{suffix}")
            walk(child.id, prefix + ("    " if last else "│   "), level + 1)

    walk(topic_id, "", 1)
    return out


def run(args: argparse.Namespace) -> int:
    from fomo.errors import FomoError
    from fomo.kb.load import build_outline, open_readable
    from fomo.query.where import resolve

    if args.depth is not None and args.depth < 0:
        raise FomoError("--depth must be 0 or more", hint="e.g. fomo tree --depth 2")
    index = open_readable(args.kb)
    kb = build_outline(index, set())
    if args.id:
        start = resolve(index, args.id).topic_id
    elif kb.root is not None:
        start = kb.root.id
    else:
        raise FomoError("the map is empty", hint="add map/index.md with a title and essence")
    if args.json:
        print_json(nested(kb, start, args.depth))
    else:
        drawing = lines(kb, start, args.depth, ids=not args.no_ids)
        sys.stdout.write("\n".join(drawing) + "\n")
    return 0
