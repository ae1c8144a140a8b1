"""`fomo search QUERY`: ranked full-text search."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from fomo.cli.style import paint, print_json, terminal_safe


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "search",
        parents=[common],
        help="ranked full-text search over titles, aliases, essences, bodies and references",
        description="Search the map (BM25); every word must match, the last one as a prefix.",
    )
    parser.add_argument("query", nargs="+", help="words to search for")
    parser.add_argument("--limit", type=int, default=10, metavar="N", help="at most N hits")
    parser.add_argument("--json", action="store_true", help="print hits as JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from fomo.errors import FomoError
    from fomo.kb.load import open_readable
    from fomo.query.search import search

    if args.limit < 1:
        raise FomoError("--limit must be at least 1", hint="e.g. --limit 20")
    hits = search(open_readable(args.kb), " ".join(args.query), args.limit)
    if args.json:
        print_json([hit.__dict__ for hit in hits])
        return 0
    if not hits:
        sys.stderr.write("no matches\n")
        return 1
    for hit in hits:
        line = f"{paint(hit.title, 'bold')} {paint('(' + hit.id + ')', 'dim')}\n    {hit.essence}"
        sys.stdout.write(terminal_safe(line) + "\n")
    return 0
