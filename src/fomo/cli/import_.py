"""`fomo import FILE`: take a mind map in from XMind, Freeplane/FreeMind, OPML, a Markdown
outline or a FOMO JSON export, as topic files merged into the map."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "import",
        parents=[common],
        help="take in a mind map from XMind, Freeplane, OPML, Markdown or JSON as topic files",
        description="Turn each node of a mind-map file into a topic file, merging nodes that "
        "match an existing topic by id, title or alias. Prints the plan (created / updated / "
        "moved / skipped); --diff shows the change itself. Writes go through the edit layer "
        "(atomic, "
        "undone as a whole on failure, git mv inside a work tree). Existing files change only "
        "with --force.",
    )
    parser.add_argument(
        "file", help=".xmind, .mm, .opml, .md or .json; or an MkDocs project's mkdocs.yml"
    )
    parser.add_argument(
        "--under", metavar="ID", help="place the file's root under this topic (default: map root)"
    )
    parser.add_argument("--dry-run", action="store_true", help="print the plan, write nothing")
    parser.add_argument(
        "--diff", action="store_true", help="also print the change as a diff (with renames)"
    )
    parser.add_argument("--force", action="store_true", help="update existing topic files")
    parser.add_argument("--json", action="store_true", help="print the plan as JSON")
    parser.set_defaults(run=run)


def _plan_and_write(args: argparse.Namespace, root: Any, tree: Any, warnings: list[str]) -> Any:
    """Plan on the latest tree (a killed earlier edit rolled back first) and write, with no
    other edit let in between."""
    from fomo.formats.importer import apply, plan_import
    from fomo.kb.edit import locked, recover
    from fomo.kb.load import load
    from fomo.query.where import resolve

    with locked(root):
        recover(root)
        loaded = load(root)
        under = resolve(loaded.index, args.under).topic_id if args.under else None
        plan = plan_import(
            tree,
            loaded.kb,
            loaded.root,
            file=args.file,
            under=under,
            force=args.force,
            warnings=warnings,
        )
        if not args.dry_run:
            apply(plan, loaded.root)
    return plan


def run(args: argparse.Namespace) -> int:
    from fomo.cli.editing import edit_root
    from fomo.cli.style import paint, print_json, terminal_safe
    from fomo.formats import read_file
    from fomo.formats.mkdocs import is_mkdocs_config
    from fomo.kb.edit.faults import os_error

    if is_mkdocs_config(args.file):  # a whole MkDocs project: sessions and articles
        from fomo.cli.import_mkdocs import run as run_mkdocs

        return run_mkdocs(args)
    root = edit_root(args.kb)  # like the edit commands: never the map inside site-packages
    warnings: list[str] = []
    tree = read_file(args.file, warnings)
    try:
        plan = _plan_and_write(args, root, tree, warnings)
    except OSError as error:  # the edit layer's one message for a full disk, a permission, ...
        raise os_error(error, root, undone=False) from None

    for warning in plan.warnings:
        sys.stderr.write(terminal_safe(f"warning: {warning}") + "\n")
    if args.diff:
        from fomo.cli.editing import colour_diff

        sys.stdout.write(terminal_safe(colour_diff(plan.change().diff())))
    if args.json:
        print_json(
            {
                "dry_run": args.dry_run,
                "actions": [
                    {
                        "action": a.kind,
                        "id": a.topic_id,
                        "title": a.title,
                        "path": a.path,
                        "reason": a.reason,
                    }
                    for a in plan.actions
                ],
                "counts": plan.counts(),
                "warnings": plan.warnings,
            }
        )
        return 0
    colours = {"created": "green", "updated": "yellow", "moved": "cyan", "skipped": "dim"}
    for action in plan.actions:
        line = f"{action.kind:8} {action.path}  ({action.title})"
        if action.reason:
            line += f": {action.reason}"
        sys.stdout.write(paint(terminal_safe(line), colours[action.kind]) + "\n")
    counts = ", ".join(f"{n} {kind}" for kind, n in plan.counts().items())
    prefix = "dry run, nothing written: " if args.dry_run else ""
    sys.stdout.write(f"{prefix}{counts}\n")
    return 0
