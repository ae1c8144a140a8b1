"""`fomo serve`: build the site, serve it locally and reload the browser on every edit."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "serve",
        parents=[common],
        help="preview the website locally, rebuilding and reloading on every edit",
        description="Build the site, serve it on http://127.0.0.1:8000/ and watch the "
        "knowledge base: after an edit only the affected pages are rebuilt and the browser "
        "reloads. Serves only the built folder.",
    )
    parser.add_argument(
        "--out", default="site", metavar="DIR", help="output folder (default: site)"
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks one)")
    parser.add_argument("--no-search", action="store_true", help="skip the search index")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import threading

    from fomo.cli.style import terminal_safe
    from fomo.errors import FomoError
    from fomo.site.serve import Preview

    def report(message: str) -> None:
        sys.stdout.write(terminal_safe(message) + "\n")
        sys.stdout.flush()

    if not 0 <= args.port <= 65535:
        raise FomoError(
            f"--port {args.port} is not a port", hint="use 0 to 65535, e.g. --port 8001"
        )
    preview = Preview(
        args.kb, args.out, host=args.host, port=args.port, search=not args.no_search, report=report
    )
    try:
        preview.start()
    except OSError as error:
        raise FomoError(
            f"cannot listen on {args.host}:{args.port}: {error.strerror or error}",
            hint="another server may use that port; try --port 8001",
        ) from None
    report(f"serving {preview.builder.out} at {preview.url} (Ctrl-C to stop)")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        preview.stop()
    return 0
