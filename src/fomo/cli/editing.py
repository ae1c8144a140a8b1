"""Shared by the edit commands (add, move, alias, review, new-article): find the knowledge base,
plan under the lock, print the change as a diff, and write it unless `--dry-run`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fomo.cli.style import paint, terminal_safe


def add_dry_run(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dry-run", action="store_true", help="print the change without writing anything"
    )


def edit_root(kb: str | None) -> Path:
    """The knowledge base to edit; the map bundled inside an installed package is refused."""
    from fomo.errors import FomoError
    from fomo.kb.location import resolve_kb

    root = resolve_kb(kb)
    if kb is None and "site-packages" in root.parts:
        raise FomoError(
            "refusing to edit the map bundled inside the installed package",
            hint="run inside a repository with a knowledge/ folder, or pass --kb DIR",
        )
    return root


def colour_diff(diff: str) -> str:
    out = []
    for line in diff.splitlines(keepends=True):
        if line.startswith(("+++", "---")):
            out.append(paint(line.rstrip("\n"), "bold") + "\n")
        elif line.startswith("+"):
            out.append(paint(line.rstrip("\n"), "green") + "\n")
        elif line.startswith("-"):
            out.append(paint(line.rstrip("\n"), "red") + "\n")
        elif line.startswith(("@@", "rename")):
            out.append(paint(line.rstrip("\n"), "cyan") + "\n")
        else:
            out.append(line)
    return "".join(out)


def run_edit(args: argparse.Namespace, plan: Callable[[Path], Any]) -> int:
    """Recover, plan (under the lock, so the plan sees the latest tree), print, apply. Every OS
    failure (a full disk, a read-only folder, a permission) ends in the same clear message."""
    from fomo.kb.edit import apply, locked, recover
    from fomo.kb.edit.faults import os_error

    root = edit_root(args.kb)
    try:
        with locked(root):
            recover(root)  # a killed earlier edit is rolled back before this one is planned
            change = plan(root)
            diff = change.diff()
            out = terminal_safe(colour_diff(diff)) + ("" if diff.endswith("\n") else "\n")
            sys.stdout.write(out)
            sys.stdout.flush()
            if not change.writes and not change.moves:
                sys.stderr.write(f"{change.summary}\n")
                return 0
            if getattr(args, "dry_run", False):
                sys.stderr.write(f"dry run: {change.summary}; nothing written\n")
                return 0
            apply(change, root)
    except OSError as error:  # reading or planning: the same message as a failed write
        raise os_error(error, root, undone=False) from None
    sys.stderr.write(f"done: {change.summary}\n")
    return 0
