"""`fomo import mkdocs.yml`: an MkDocs project's pages as sessions, parts and articles (see
`fomo.formats.mkdocs`), planned under the edit lock and written through the edit layer."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def run(args: argparse.Namespace) -> int:
    from fomo.cli.editing import edit_root
    from fomo.cli.style import paint, print_json, terminal_safe
    from fomo.formats.mkdocs import plan_mkdocs
    from fomo.kb.edit import apply, locked
    from fomo.kb.load import load

    root = edit_root(args.kb)
    with locked(root):
        loaded = load(root)
        plan = plan_mkdocs(Path(args.file), loaded.root, loaded.kb)
        if not args.dry_run and plan.change.writes:
            apply(plan.change, loaded.root)
    warnings = list(plan.warnings)
    if args.under or args.force:
        warnings.insert(
            0, "--under and --force do not apply to an MkDocs import (it never overwrites)"
        )
    for warning in warnings:
        sys.stderr.write(terminal_safe(f"warning: {warning}") + "\n")
    if args.json:
        print_json(
            {
                "dry_run": args.dry_run,
                "actions": [
                    {"action": a.action, "path": a.path, "source": a.source, "title": a.title}
                    for a in plan.actions
                ],
                "counts": plan.counts(),
                "warnings": warnings,
            }
        )
        return 0
    colours = {
        "session": "green",
        "article": "green",
        "file": "cyan",
        "settings": "cyan",
        "skip": "dim",
    }
    for action in plan.actions:
        line = f"{action.action:8} {action.path or action.source}"
        if action.source and action.path:
            line += f"  (from {action.source})"
        if action.title:
            line += f"  {action.title}"
        sys.stdout.write(paint(terminal_safe(line), colours[action.action]) + "\n")
    counts = ", ".join(f"{n} {kind}" for kind, n in plan.counts().items()) or "nothing to import"
    prefix = "dry run, nothing written: " if args.dry_run else ""
    sys.stdout.write(f"{prefix}{counts}\n")
    return 0
