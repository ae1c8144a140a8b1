"""`fomo extension --out DIR`: the browser extension that marks the map's terms on any page."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "extension",
        parents=[common],
        help="write the browser extension (Chromium and Firefox) carrying this map's terms",
        description="Write an unpacked Manifest V3 extension into DIR (load it with 'Load "
        "unpacked' in chrome://extensions, or about:debugging in Firefox) and DIR.zip for the "
        "stores. It marks the first mention of each term of the map on any http(s) page and "
        "shows its place and essence on hover or focus; it makes no network request.",
    )
    parser.add_argument("--out", required=True, metavar="DIR", help="folder to write")
    parser.add_argument(
        "--base-url",
        help="site the cards link to (default: base_url in site.yml; no links without one)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from fomo.cli.style import note
    from fomo.errors import FomoError
    from fomo.kb.load import load
    from fomo.kb.urls import is_web_url
    from fomo.site.config import load_config
    from fomo.site.extension import write_extension

    loaded = load(args.kb)
    config = load_config(loaded.root)
    site = config.base_url if args.base_url is None else args.base_url
    if site and not is_web_url(site):
        raise FomoError(f"{site!r} is not an http(s) URL", hint="e.g. --base-url https://x.org/")
    if site and not site.endswith("/"):
        site += "/"
    written = write_extension(
        loaded.kb,
        Path(args.out),
        name=config.name,
        description=config.description,
        site=site,
    )
    if not site:
        note("no base_url in site.yml (or --base-url): the cards carry no links")
    sys.stdout.write(
        f"wrote {written.folder} ({len(written.files)} files; term index "
        f"{written.index_bytes / 1024:.0f} KB) and {written.archive}\n"
    )
    return 0
