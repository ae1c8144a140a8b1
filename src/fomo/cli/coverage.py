"""`fomo coverage`: how much of each branch has an article, a body and references."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from fomo.cli.style import paint, print_json, terminal_safe


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "coverage",
        parents=[common],
        help="per branch: share of topics with an article, a body, references; open parts",
        description="Per top-level branch, the share of topics an article covers, that have a "
        "body and that have references; the session parts still open; topics no article covers.",
    )
    parser.add_argument("--json", action="store_true", help="print the same data as JSON")
    parser.add_argument(
        "--limit", type=int, default=20, metavar="N", help="uncovered topics to list (default 20)"
    )
    parser.set_defaults(run=run)


def _pct(share: float) -> str:
    return f"{share * 100:5.1f}%"


def run(args: argparse.Namespace) -> int:
    from fomo.errors import FomoError
    from fomo.kb.load import load
    from fomo.query.coverage import coverage

    if args.limit < 0:
        raise FomoError("--limit must be 0 or more", hint="e.g. --limit 50")
    kb = load(args.kb).kb
    report = coverage(kb)
    if args.json:
        print_json(report.as_dict())
        return 0
    width = max([len(b.title) for b in report.branches] + [10])
    out = [paint(f"{'branch':<{width}}  topics  article    body  refs", "bold")]
    for row in [*report.branches, report.total]:
        out.append(
            f"{row.title:<{width}}  {row.topics:>6} {_pct(row.share(row.with_article))} "
            f"{_pct(row.share(row.with_body))} {_pct(row.share(row.with_references))}"
        )
    out += ["", paint(f"Open parts ({len(report.open_parts)})", "bold")]
    for part in report.open_parts:
        topics = ", ".join(part.topics)
        out.append(f"  session {part.session} part {part.part}: {part.title} [{topics}]")
    if report.open_parts:
        out.append(paint("  claim one: fomo new-article --session N --part M", "dim"))
    uncovered = report.uncovered
    out += ["", paint(f"Topics no article covers ({len(uncovered)})", "bold")]
    for topic_id in uncovered[: args.limit]:
        out.append(f"  {kb.topics[topic_id].title} ({topic_id})")
    if len(uncovered) > args.limit:
        out.append(paint(f"  ... and {len(uncovered) - args.limit} more (--limit, --json)", "dim"))
    sys.stdout.write(terminal_safe("\n".join(out) + "\n"))
    return 0
