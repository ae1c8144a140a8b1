"""`fomo where TERM`: what a term is and where it sits."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from fomo.cli.style import paint, print_json, terminal_safe


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "where",
        parents=[common],
        help="resolve a name, alias, acronym or misspelling to its place in the map",
        description="Resolve a term to a topic and show its path, essence, family, relations, "
        "references and the sessions and articles that cover it.",
    )
    parser.add_argument("term", nargs="+", help="the name to look up, e.g. dpo or 'D.P.O.'")
    parser.add_argument("--json", action="store_true", help="print the answer as JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from fomo.errors import UnknownTopicError
    from fomo.kb.load import open_readable
    from fomo.query.where import answer

    term = " ".join(args.term)
    index = open_readable(args.kb)
    try:
        found = answer(index, term)
    except UnknownTopicError as error:
        if args.json:
            print_json(
                {
                    "error": error.message,
                    "suggestions": [{"id": i, "title": t} for i, t in error.suggestions],
                }
            )
        else:
            sys.stderr.write(f"{error}\n")
        return 1
    if args.json:
        print_json(found.as_dict())
        return 0
    sys.stdout.write(terminal_safe(render(found)) + "\n")
    return 0


def _names(topics: list[Any]) -> str:
    return ", ".join(t.title for t in topics)


def render(found: Any) -> str:
    topic = found.topic
    lines = []
    heading = paint(topic.title, "bold")
    extras = [", ".join(topic.aliases)] if topic.aliases else []
    if topic.year:
        extras.append(str(topic.year))
    if topic.status and topic.status != "stable":
        extras.append(topic.status)
    lines.append(heading + (paint("  (" + " · ".join(extras) + ")", "dim") if extras else ""))
    if found.match.how == "fuzzy":
        lines.append(paint(f"(closest match for '{found.term}')", "yellow"))
    lines.append(paint(" › ".join(t.title for t in found.path), "cyan"))
    lines.append("")
    lines.append("  " + (topic.essence or paint("(no essence yet)", "dim")))
    lines.append("")
    rows: list[tuple[str, str]] = []
    if topic.paper:
        year = f" ({topic.paper.year})" if topic.paper.year else ""
        rows.append(("paper", topic.paper.title + year))
    parent = found.path[-2].title if len(found.path) > 1 else None
    if found.siblings:
        family = f"({parent}) " if parent else ""
        rows.append(("family", family + _names(found.siblings)))
    if found.children:
        rows.append(("children", _names(found.children)))
    for kind, other in found.relations:
        rows.append((kind.replace("_", " "), f"{other.title} ({other.id})"))
    for kind, other in found.incoming:
        rows.append((f"{kind.replace('_', ' ')} by", f"{other.title} ({other.id})"))
    for reference in topic.references:
        rows.append((reference.kind, f"{reference.title}  {reference.url}"))
    for session, part in found.coverage:
        rows.append(("session", f"{session.number}.{part.number} {part.title} [{part.status}]"))
    for article in found.articles:
        rows.append(("article", f"{article.title}  ({article.path})"))
    width = max((len(label) for label, _ in rows), default=0)
    for label, value in rows:
        lines.append(f"{paint(label.ljust(width), 'green')}  {value}")
    lines.append(paint(f"file: {topic.source.file}", "dim"))
    return "\n".join(lines)
