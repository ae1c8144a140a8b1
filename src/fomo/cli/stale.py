"""`fomo stale`: what needs a maintainer's look (exit 1 when anything is stale)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from fomo.cli.style import paint, print_json, terminal_safe


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "stale",
        parents=[common],
        help="topics not reviewed for long, quiet branches, emerging topics never promoted",
        description="Topics whose `reviewed` date is older than the age (or missing), top-level "
        "branches with nothing added for that long, and `status: emerging` topics added "
        "longer ago. Exit 1 when anything is listed. Mark a topic checked with `fomo review`.",
    )
    parser.add_argument(
        "--older-than", default="180d", metavar="AGE", help="e.g. 180d, 26w, 6m, 1y (default 180d)"
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.set_defaults(run=run)


def _age(days: int | None) -> str:
    return "never" if days is None else f"{days} days ago"


def run(args: argparse.Namespace) -> int:
    from fomo.kb.load import load
    from fomo.query.freshness import parse_age, stale

    age = parse_age(args.older_than)
    report = stale(load(args.kb).kb, age)
    if args.json:
        print_json(report.as_dict())
        return 1 if not report.empty else 0
    out = [paint(f"Not reviewed in {age.days} days ({len(report.topics)})", "bold")]
    out += [f"  {t.title} ({t.id}): reviewed {_age(t.days)}" for t in report.topics]
    out += [
        "",
        paint(f"Branches with nothing added in {age.days} days ({len(report.branches)})", "bold"),
    ]
    out += [f"  {b.title} ({b.id}): last added {_age(b.days)}" for b in report.branches]
    out += ["", paint(f"Emerging topics never promoted ({len(report.emerging)})", "bold")]
    out += [f"  {e.title} ({e.id}): added {_age(e.days)}" for e in report.emerging]
    if report.topics:
        out += ["", paint("after checking a topic: fomo review ID", "dim")]
    sys.stdout.write(terminal_safe("\n".join(out) + "\n"))
    return 1 if not report.empty else 0
