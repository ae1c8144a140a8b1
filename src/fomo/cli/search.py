"""`fomo search QUERY`: ranked full-text search."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from fomo.cli.style import error, paint, paragraph, print_json


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "search",
        parents=[common],
        help="ranked full-text search over titles, aliases, essences, bodies and references",
        description="Search the map. A topic named by the query comes first, then topics whose "
        "title or alias holds the words (as a phrase, then in any order), then text with the "
        "phrase, then text with every word (the last may be the start of a word), each ranked "
        "by BM25. When no topic has every word, topics with any of them are listed and the "
        "output says so.",
    )
    parser.add_argument("query", nargs="+", help="words to search for")
    parser.add_argument("--limit", type=int, default=10, metavar="N", help="at most N hits")
    parser.add_argument("--json", action="store_true", help="print hits as JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from fomo.errors import FomoError
    from fomo.kb.load import open_readable
    from fomo.query.search import ANY_WORD, search

    if args.limit < 1:
        raise FomoError("--limit must be at least 1", hint="e.g. --limit 20")
    query = " ".join(args.query)
    hits = search(open_readable(args.kb), query, args.limit)
    if args.json:
        print_json([hit.__dict__ for hit in hits])
        return 0
    if not hits:
        error(f"no topic matches {query!r}", "try fewer or other words")
        return 1
    lines: list[str] = []
    if hits[0].match == ANY_WORD:
        lines += paragraph(paint("no topic has every word; these have some of them:", "yellow"))
    for hit in hits:
        lines.append(f"{paint(hit.title, 'bold')} {paint('(' + hit.id + ')', 'dim')}")
        lines += paragraph(hit.essence, 4)
    sys.stdout.write("\n".join(lines) + "\n")
    return 0
