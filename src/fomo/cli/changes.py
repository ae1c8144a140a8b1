"""`fomo changes --since DATE`: what was added or changed, as text, a Markdown digest or JSON."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from typing import Any

from fomo.cli.style import paint, print_json, terminal_safe


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "changes",
        parents=[common],
        help="what was added or changed since a date (text, Markdown digest, JSON)",
        description="Topics added or reviewed since DATE (from their `added` / `reviewed` "
        "fields) and, inside a git work tree, map files created, changed, moved or removed "
        "since then according to `git log`.",
    )
    parser.add_argument(
        "--since", required=True, metavar="DATE", help="YYYY-MM-DD, or an age such as 7d"
    )
    parser.add_argument("--format", choices=("text", "md", "json"), default="text")
    parser.add_argument("--json", action="store_true", help="same as --format json")
    parser.add_argument("--no-git", action="store_true", help="ignore git history")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from fomo.kb.load import load
    from fomo.query.freshness import changes, digest_markdown, parse_date

    since = parse_date(args.since)
    loaded = load(args.kb)
    events = changes(loaded.kb, since, loaded.root, use_git=not args.no_git)
    form = "json" if args.json else args.format
    if form == "json":
        print_json({"since": since.isoformat(), "changes": [asdict(e) for e in events]})
    elif form == "md":
        sys.stdout.write(digest_markdown(events, since))
    else:
        if not events:
            sys.stdout.write(f"nothing added or changed since {since.isoformat()}\n")
        for event in events:
            where = paint(f" ({event.branch})", "dim") if event.branch else ""
            detail = f" {event.detail}" if event.detail else ""
            sys.stdout.write(
                terminal_safe(
                    f"{event.date}  {paint(f'{event.kind:<9}', 'cyan')} {event.title} "
                    f"[{event.id}]{where}{detail}\n"
                )
            )
    return 0
