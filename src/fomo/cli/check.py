"""`fomo check`: validate the knowledge base (exit 0 clean, 1 findings, 2 unusable)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from fomo.cli.style import paint, print_json, terminal_safe


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "check",
        parents=[common],
        help="validate every file of the knowledge base (for CI and pre-commit)",
        description="Report every problem with its code, file, line and a hint to fix it. "
        "Exit 0 when clean, 1 with findings, 2 when the knowledge base cannot be read.",
    )
    parser.add_argument("--json", action="store_true", help="print [{code, file, line, ...}]")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from fomo.kb.index import open_index
    from fomo.kb.load import Loaded, build
    from fomo.kb.location import resolve_kb
    from fomo.kb.validate import check
    from fomo.site.config import config_findings

    root = resolve_kb(args.kb)
    index = open_index(root)
    findings = check(Loaded(build(index, strict=False), root, index)) + config_findings(root)
    if args.json:
        print_json([finding.as_dict() for finding in findings])
    else:
        for finding in findings:
            location = paint(f"{finding.file}:{finding.line}", "bold")
            sys.stdout.write(
                terminal_safe(
                    f"{location}: {paint(finding.code, 'red')} {finding.message}\n"
                    f"    {paint('fix:', 'green')} {finding.hint}\n"
                )
            )
        count = len(findings)
        summary = f"{count} finding{'s' if count != 1 else ''}" if count else "no findings"
        sys.stderr.write(f"{summary} in {root}\n")
    return 1 if findings else 0
