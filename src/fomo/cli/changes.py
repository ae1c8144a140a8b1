"""`fomo changes --since DATE`: what was added to or changed in the map; `fomo changes
--appeared-since MONTH`: what appeared in the field since then (by `released` / `year`). Text,
a Markdown digest or JSON."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from typing import Any

from fomo.cli.style import paint, print_json, terminal_safe
from fomo.errors import FomoError


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "changes",
        parents=[common],
        help="what changed in the map since a date, or what appeared since a month",
        description="With --since DATE: topics added or reviewed since DATE (from their "
        "`added` / `reviewed` fields) and, inside a git work tree, map files created, changed, "
        "moved or removed since then according to `git log`. With --appeared-since MONTH: "
        "the topics whose subject appeared in or after MONTH (their `released: YYYY-MM`, else "
        "their `year`), newest first; a topic known only by its year is listed when the whole "
        "year is in range (so --appeared-since 2026 lists all of 2026), and the topics of "
        "MONTH's year that have no month are counted apart.",
    )
    when = parser.add_mutually_exclusive_group(required=True)
    when.add_argument(
        "--since", metavar="DATE", help="changed in the map: YYYY-MM-DD, or an age such as 7d"
    )
    when.add_argument(
        "--appeared-since",
        metavar="MONTH",
        help="appeared in the field: YYYY-MM (e.g. 2026-06) or YYYY",
    )
    parser.add_argument("--format", choices=("text", "md", "json"), default="text")
    parser.add_argument("--json", action="store_true", help="same as --format json")
    parser.add_argument("--no-git", action="store_true", help="with --since: ignore git history")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from fomo.kb.load import load
    from fomo.query.freshness import changes, digest_markdown, parse_date, parse_month

    if args.appeared_since is not None:
        return _appeared(args, parse_month(args.appeared_since))
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


def _appeared(args: argparse.Namespace, month: tuple[int, int]) -> int:
    from fomo.kb.load import load
    from fomo.query.freshness import appeared_markdown, appeared_since

    if args.no_git:
        raise FomoError(
            "--no-git goes with --since (the map's history); --appeared-since reads no history",
            hint="drop --no-git",
        )
    since = f"{month[0]}-{month[1]:02d}"
    found, month_unknown = appeared_since(load(args.kb).kb, month)
    form = "json" if args.json else args.format
    if form == "json":
        print_json(
            {
                "appeared_since": since,
                "topics": [asdict(item) for item in found],
                "month_unknown": month_unknown,
            }
        )
        return 0
    if form == "md":
        sys.stdout.write(appeared_markdown(found, month))
        return 0
    if not found:
        sys.stdout.write(f"nothing in the map appeared since {since}\n")
    for item in found:
        where = paint(f" ({item.branch})", "dim") if item.branch else ""
        sys.stdout.write(terminal_safe(f"{item.appeared:<7}  {item.title} [{item.id}]{where}\n"))
    if month_unknown:
        note = (
            f"{len(month_unknown)} topics of {month[0]} have no month and are left out "
            f"(`fomo timeline` lists them)"
        )
        sys.stdout.write(paint(note, "dim") + "\n")
    return 0
