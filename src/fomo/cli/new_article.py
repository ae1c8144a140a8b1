"""`fomo new-article --session N --part M`: scaffold an article for a part and claim it."""

from __future__ import annotations

import argparse
import subprocess
from typing import Any

from fomo.cli.editing import add_dry_run, run_edit


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "new-article",
        parents=[common],
        help="scaffold an article for a session part and mark the part claimed",
        description="Write the article file in the session folder (front matter and a "
        "skeleton that follows the style guide in CONTRIBUTING.md) and mark the part "
        "`claimed` with the author and the article's file name in the session's index.md.",
    )
    parser.add_argument("--session", type=int, required=True, metavar="N")
    parser.add_argument("--part", type=int, required=True, metavar="M")
    parser.add_argument("--author", help="your name (default: git config user.name)")
    add_dry_run(parser)
    parser.set_defaults(run=run)


def _git_user() -> str | None:
    try:
        result = subprocess.run(
            ["git", "config", "user.name"], capture_output=True, text=True, check=False
        )
    except OSError:
        return None
    return result.stdout.strip() or None


def run(args: argparse.Namespace) -> int:
    from fomo.errors import FomoError
    from fomo.kb.articles import plan_article

    author = (args.author or _git_user() or "").strip()
    if not author:
        raise FomoError("who is writing it?", hint="pass --author 'Your Name'")
    return run_edit(args, lambda root: plan_article(root, args.session, args.part, author))
