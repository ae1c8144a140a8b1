"""`fomo build`: render the knowledge base into a static website."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "build",
        parents=[common],
        help="build the static website (mind map, topic pages, sessions, search)",
        description="Render the knowledge base into a self-contained static site: the "
        "interactive mind map, a page per topic, sessions, articles, timeline, feed, sitemap "
        "and a Pagefind search index.",
    )
    parser.add_argument(
        "--out", default="site", metavar="DIR", help="output folder (default: site)"
    )
    parser.add_argument("--base-url", metavar="URL", help="absolute URL the site is served from")
    parser.add_argument("--no-search", action="store_true", help="skip the search index")
    parser.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="processes that render pages (default: one per CPU, up to 4, for big sites)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from fomo.cli.style import terminal_safe
    from fomo.errors import FomoError
    from fomo.site.build import build_site

    if args.workers is not None and args.workers < 1:
        raise FomoError(f"--workers {args.workers} is not a count", hint="use 1 or more")
    result = build_site(
        args.kb,
        args.out,
        search=not args.no_search,
        base_url=args.base_url,
        workers=args.workers,
    )
    search = f", search indexed in {result.search_seconds:.1f}s" if result.search else ""
    sys.stdout.write(
        terminal_safe(
            f"built {result.pages} files into {result.out} in {result.seconds:.1f}s (reading "
            f"the knowledge base {result.load_seconds:.1f}s){search}\n"
            f"open {result.out / 'index.html'}\n"
        )
    )
    for warning in result.warnings:
        sys.stderr.write(terminal_safe(f"warning: {warning}") + "\n")
    return 0
