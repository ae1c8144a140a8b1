"""`fomo export FORMAT`: a branch of the map in another tool's format, or as a picture."""

from __future__ import annotations

import argparse
import sys
from typing import Any

FORMATS = ("xmind", "freeplane", "opml", "markdown", "mermaid", "dot", "json", "svg", "png")


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "export",
        parents=[common],
        help="write the map or a branch as XMind, Freeplane, OPML, Markdown, Mermaid, DOT, "
        "JSON, SVG or PNG",
        description="Export the map (or the branch under --root) for another mind-map tool, "
        "or draw it as an SVG or PNG picture. Text formats go to standard output unless -o "
        "is given.",
    )
    parser.add_argument("format", choices=FORMATS, metavar="FORMAT", help=", ".join(FORMATS))
    parser.add_argument("--root", metavar="ID", help="the branch to export: an id, title or alias")
    parser.add_argument("--depth", type=int, metavar="N", help="levels below the root to keep")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE (required for xmind)")
    parser.add_argument(
        "--layout",
        choices=("right", "both"),
        default="right",
        help="svg/png: branches to the right of the root, or balanced left and right",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from fomo import formats
    from fomo.errors import FomoError
    from fomo.formats import mermaid
    from fomo.formats.tree import from_kb
    from fomo.kb.edit import atomic_write
    from fomo.kb.load import load
    from fomo.query.where import resolve

    if args.depth is not None and args.depth < 0:
        raise FomoError("--depth must be 0 or more", hint="e.g. --depth 2")
    module = formats.module(args.format)
    if module.BINARY and not args.output:
        raise FomoError(
            f"{args.format} is a binary file; say where to write it",
            hint=f"fomo export {args.format} -o map.{args.format}",
        )
    target = Path(args.output) if args.output else None
    if target is not None and not target.parent.is_dir():
        raise FomoError(
            f"the folder {str(target.parent)!r} does not exist",
            file=str(target),
            hint="create the folder first, or pass -o a path in an existing folder",
            code="no-folder",
        )
    loaded = load(args.kb)
    root_id = resolve(loaded.index, args.root).topic_id if args.root else None
    tree = from_kb(loaded.kb, root_id, args.depth)
    if args.format == "mermaid":
        tree, warning = mermaid.fit(tree, args.depth)
        if warning:
            sys.stderr.write(f"warning: {warning}\n")
    pictures = ("svg", "png")
    output = module.write(tree, args.layout) if args.format in pictures else module.write(tree)
    if target is not None:
        try:
            atomic_write(target, output)
        except OSError as error:
            raise FomoError(f"cannot write: {error.strerror}", file=str(target)) from None
        sys.stderr.write(f"wrote {target}\n")
    else:
        sys.stdout.write(output)
    return 0
