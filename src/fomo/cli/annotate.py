"""`fomo annotate [FILE | URL | -]`: every term of the map in a text, with its place and essence."""

from __future__ import annotations

import argparse
import json
import re
import sys
from typing import Any

from fomo.cli.style import note, paint, print_json, terminal_safe

# NUL and the other C0 control bytes but tab, line feed, form feed and carriage return, and DEL.
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_HTML = re.compile(rb"^\s*(?:<!doctype\s+html|<html\b|<head\b|<body\b)", re.I)


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "annotate",
        parents=[common],
        help="find every term of the map in a text, with its place and essence",
        description="Find every name, alias and acronym of the map in a text (a file, '-' for "
        "standard input, an http(s) URL whose HTML is turned to text, or --text) and show "
        "each topic with its path and essence, grouped by branch. Names that are ordinary "
        "English words ('Attention', 'Memory') count only as proper nouns or in their "
        "multi-word forms; short acronyms only as written; nothing inside URLs or code.",
    )
    parser.add_argument(
        "source", nargs="?", default="-", help="file, '-' (stdin, the default) or http(s) URL"
    )
    parser.add_argument("--text", help="annotate this text instead of SOURCE")
    parser.add_argument(
        "--format",
        choices=("text", "md", "json"),
        default="text",
        help="text (grouped list), md (the text with links and a glossary) or json",
    )
    parser.add_argument("--json", action="store_true", help="same as --format json")
    parser.add_argument(
        "--base-url", help="site address for --format md links (default: base_url in site.yml)"
    )
    parser.add_argument(
        "--timeout", type=float, default=20.0, metavar="S", help="seconds to wait for a URL"
    )
    parser.set_defaults(run=run)


def read_text(source: str, timeout: float) -> tuple[str, list[str]]:
    """The text to annotate and notices about it; FomoError when nothing could be read."""
    from fomo.errors import FomoError
    from fomo.ingest.fetch import is_url
    from fomo.ingest.read import decode, load_source, utf16_to_utf8
    from fomo.query.annotate import html_to_text

    if timeout <= 0:
        raise FomoError("--timeout must be a positive number of seconds", hint="e.g. --timeout 20")
    name = "<stdin>" if source == "-" else source
    data, notices = load_source(source, timeout=timeout)
    data = utf16_to_utf8(data)
    control = _CONTROL.search(data[:1_000_000])
    if control is not None:
        line = data.count(b"\n", 0, control.start()) + 1
        raise FomoError(
            f"not text: it holds the control byte 0x{control.group()[0]:02x}, which text never "
            "does (binary data?)",
            file=name,
            line=line,
            hint="pass a plain text, Markdown or HTML file, or save the document as text first",
        )
    if _HTML.match(data[:2048].lstrip(b"\xef\xbb\xbf")) or (
        is_url(source) and data.lstrip()[:1] == b"<"
    ):
        text = html_to_text(data)
    else:
        text = decode(data)
    if not text.strip():
        raise FomoError(f"{name} holds no text", hint="pass a file, URL or --text with words in it")
    return text, notices


def run(args: argparse.Namespace) -> int:
    from fomo.errors import FomoError
    from fomo.kb.load import load
    from fomo.query.annotate import annotate, by_branch, to_markdown

    if args.text is not None:
        if not args.text.strip():
            raise FomoError("--text is empty", hint="give the text to annotate")
        text, notices = args.text, []
    else:
        text, notices = read_text(args.source, args.timeout)
    for notice in notices:
        note(notice)
    loaded = load(args.kb)
    found = annotate(loaded.kb, text)
    form = "json" if args.json else args.format
    if form == "json":
        rows = found.as_list()
        if sys.stdout.isatty():
            print_json(rows)
        else:  # one line: the C encoder, ten times faster than an indented dump of a long text
            sys.stdout.write(json.dumps(rows, ensure_ascii=False) + "\n")
    elif form == "md":
        sys.stdout.write(to_markdown(found, _href(args.base_url, loaded.root)))
    else:
        sys.stdout.write(terminal_safe(render(found, by_branch(found))) + "\n")
    return 0


def _href(base_url: str | None, kb_root: Any) -> Any:
    from urllib.parse import quote

    from fomo.site.config import load_config

    base = base_url if base_url is not None else load_config(kb_root).base_url
    if base and not base.endswith("/"):
        base += "/"
    if not base:
        note("no base_url in site.yml (or --base-url): links are relative to the site's root")
    return lambda topic_id: f"{base}topics/{quote(topic_id)}.html"


def render(found: Any, groups: list[tuple[str, list[tuple[Any, list[Any]]]]]) -> str:
    if not found.mentions:
        return paint("no term of the map in this text", "dim")
    topics = sum(len(items) for _, items in groups)
    lines = [
        paint(f"{len(found.mentions)} mention(s) of {topics} topic(s)", "dim"),
    ]
    for branch, items in groups:
        lines.append("")
        lines.append(paint(branch, "bold"))
        for item, mentions in items:
            written = sorted({m.text for m in mentions})
            count = f" ×{len(mentions)}" if len(mentions) > 1 else ""
            lines.append(
                f"  {paint(item.title, 'green')} ({item.id}){count}  "
                + paint("as " + ", ".join(repr(w) for w in written), "dim")
            )
            lines.append("    " + paint(" › ".join(item.path), "cyan"))
            if item.essence:
                lines.append("    " + item.essence)
            others = [c for c in mentions[0].candidates if c != item.id]
            if others:
                names = ", ".join(f"{found.topics[c].title} ({c})" for c in others)
                lines.append("    " + paint(f"ambiguous: also {names}", "yellow"))
    return "\n".join(lines)
