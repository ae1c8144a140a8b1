"""`fomo where TERM`: what a term is and where it sits."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from fomo.cli.style import error, paint, paragraph, print_json, rows, width, wrap


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "where",
        parents=[common],
        help="resolve a name, alias, acronym or misspelling to its place in the map",
        description="Resolve a term to a topic and show its path, essence, family, relations, "
        "references and the sessions and articles that cover it.",
    )
    parser.add_argument(
        "term", nargs="+", help="the name to look up (or a paper's title), e.g. dpo or 'D.P.O.'"
    )
    parser.add_argument("--json", action="store_true", help="print the answer as JSON")
    parser.set_defaults(run=run)


# Also-under links are not relations of the schema; they read as placement.
ALSO_UNDER = ("also under", "also holds")


def _headings(kind: str) -> tuple[str, str]:
    """(heading for links a topic makes, heading for links to it), from the schema; a
    symmetric kind reads the same both ways, so each of its links is listed once."""
    from fomo.kb.schema import RELATIONS

    if kind == "also_under":
        return ALSO_UNDER
    for relation in RELATIONS:
        if relation.kind == kind:
            return relation.heading, relation.inverse_heading or relation.heading
    return kind, kind


def run(args: argparse.Namespace) -> int:
    from fomo.kb.load import open_readable
    from fomo.query.where import NoAnswer, answer

    term = " ".join(args.term)
    index = open_readable(args.kb)
    try:
        found = answer(index, term)
    except NoAnswer as problem:
        if args.json:
            print_json(
                {
                    "error": problem.message,
                    "match": problem.why,
                    "candidates": [{"id": i, "title": t} for i, t in problem.suggestions],
                    "suggestions": [{"id": i, "title": t} for i, t in problem.suggestions],
                }
            )
        elif problem.why == "none":
            error(problem.message, problem.hint)
        else:
            sys.stdout.write("\n".join(candidates(problem, index)) + "\n")
        return 1
    if args.json:
        print_json(found.as_dict())
        return 0
    sys.stdout.write(render(found) + "\n")
    return 0


def candidates(problem: Any, index: Any) -> list[str]:
    """The topics to choose from when a term names none of them exactly."""
    if problem.why == "ambiguous":
        head = f"{problem.term!r} is a name in {len(problem.suggestions)} topics:"
    else:
        head = f"no topic is named {problem.term!r}; closest matches:"
    lines = paragraph(paint(head, "yellow"))
    pairs = [(topic_id, title) for topic_id, title in problem.suggestions]
    lines += ["  " + line for line in rows(pairs, "cyan")]
    lines += paragraph(paint(f"see one with: fomo where {pairs[0][0]}", "dim"))
    return lines


def relation_rows(found: Any) -> list[tuple[str, str]]:
    """One row per label, each related topic once (a symmetric relation stated from both
    ends is one relation)."""
    grouped: dict[str, list[Any]] = {}
    for kind, other in found.relations:
        grouped.setdefault(_headings(kind)[0], []).append(other)
    for kind, other in found.incoming:
        grouped.setdefault(_headings(kind)[1], []).append(other)
    out = []
    for label, topics in grouped.items():
        unique = list({t.id: t for t in topics}.values())
        out.append((label, ", ".join(f"{t.title} ({t.id})" for t in unique)))
    return out


def _names(topics: list[Any]) -> str:
    return ", ".join(t.title for t in topics)


def render(found: Any) -> str:
    topic = found.topic
    columns = width()
    extras = [", ".join(topic.aliases)] if topic.aliases else []
    if topic.year:
        extras.append(str(topic.year))
    if topic.status and topic.status != "stable":
        extras.append(topic.status)
    lines = wrap(
        ("(" + " · ".join(extras) + ")") if extras else "",
        2,
        paint(topic.title, "bold") + ("  " if extras else ""),
        columns,
    )
    if found.match.how in ("fuzzy", "partial"):
        label = "closest match" if found.match.how == "fuzzy" else "partial match"
        lines += paragraph(paint(f"({label} for {found.term!r}: {found.match.name})", "yellow"))
    elif found.match.how == "paper":
        lines += paragraph(paint(f"(the topic of the paper {found.term!r})", "yellow"))
    lines += wrap(" › ".join(t.title for t in found.path), 2, "", columns)
    lines.append("")
    lines += paragraph(topic.essence or "(no essence yet)", 2)
    lines.append("")
    pairs: list[tuple[str, str]] = []
    if topic.paper:
        year = f" ({topic.paper.year})" if topic.paper.year else ""
        pairs.append(("paper", topic.paper.title + year))
    parent = found.path[-2].title if len(found.path) > 1 else None
    if found.siblings:
        family = f"({parent}) " if parent else ""
        pairs.append(("family", family + _names(found.siblings)))
    if found.children:
        pairs.append(("children", _names(found.children)))
    pairs += relation_rows(found)
    for reference in topic.references:
        pairs.append((reference.kind, f"{reference.title}  {reference.url}"))
    for session, part in found.coverage:
        pairs.append(("session", f"{session.number}.{part.number} {part.title} [{part.status}]"))
    for article in found.articles:
        pairs.append(("article", f"{article.title}  ({article.path})"))
    lines += rows(pairs)
    lines += paragraph(paint(f"file: {topic.source.file}", "dim"))
    return "\n".join(lines)
