"""`fomo timeline [ID]`: the topics of a branch (or the map) by the year, and within it the
month, they appeared."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from fomo.cli.style import paint, print_json, terminal_safe


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "timeline",
        parents=[common],
        help="topics by year for a branch, from the map's `released` / `year` fields",
        description="List the topics of the branch ID (an id, title or alias; default the whole "
        "map) by year, oldest first, with a bar of how many appeared each year; within a year "
        "by month (`released: YYYY-MM`), then those known only by their year, then by title.",
    )
    parser.add_argument("id", nargs="?", help="the branch (default: the whole map)")
    parser.add_argument(
        "--json", action="store_true", help="print [{year, topics: [{id, title, released}]}]"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from fomo.kb.load import load
    from fomo.query.freshness import timeline
    from fomo.query.where import resolve

    loaded = load(args.kb)
    kb = loaded.kb
    topic_id = None
    if args.id:
        topic_id = args.id if args.id in kb else resolve(loaded.index, args.id).topic_id
    years = timeline(kb, topic_id)
    if args.json:
        print_json(
            [
                {
                    "year": year,
                    "topics": [
                        {"id": i, "title": kb.topics[i].title, "released": kb.topics[i].released}
                        for i in ids
                    ],
                }
                for year, ids in years.items()
            ]
        )
        return 0
    scope = kb.topics[topic_id].title if topic_id else "the whole map"
    out = [paint(f"Timeline of {scope}", "bold")]
    if not years:
        out.append("no topic here has a `year` yet")
    widest = max((len(ids) for ids in years.values()), default=1)
    for year, ids in years.items():
        bar = "█" * max(1, round(len(ids) / widest * 20))
        out.append(f"{paint(str(year), 'bold')} {paint(bar, 'cyan')} {len(ids)}")
        for topic_id_ in ids:
            topic = kb.topics[topic_id_]
            month = paint(topic.released[5:], "dim") if topic.released else "  "
            out.append(f"  {month} {topic.title} ({topic_id_})")
    sys.stdout.write(terminal_safe("\n".join(out) + "\n"))
    return 0
