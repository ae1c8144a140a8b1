"""`fomo sessions [N]`: the session series, or one session's parts with the topics they cover."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from fomo.cli.style import paint, print_json, terminal_safe

_STATUS_COLOUR = {"open": "green", "claimed": "yellow", "draft": "magenta", "published": "cyan"}


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "sessions",
        parents=[common],
        help="the session series, or one session's parts and their status",
        description="Without N: every session with its parts' status. With N: each part's "
        "topics drawn as a tree, status, author, article, video and seminar date.",
    )
    parser.add_argument("number", nargs="?", type=int, metavar="N", help="a session number")
    parser.add_argument("--json", action="store_true", help="print the sessions as JSON")
    parser.set_defaults(run=run)


def part_dict(kb: Any, part: Any) -> dict[str, Any]:
    def nested(topic_id: str) -> dict[str, Any]:
        return {
            "id": topic_id,
            "title": kb.topics[topic_id].title,
            "children": [nested(c.id) for c in kb.children(topic_id)],
        }

    return {
        "number": part.number,
        "title": part.title,
        "status": part.status,
        "author": part.author,
        "article": part.article,
        "video": part.video,
        "seminar": part.seminar.isoformat() if part.seminar else None,
        "topics": [nested(t) if t in kb else {"id": t, "missing": True} for t in part.topics],
    }


def session_dict(kb: Any, session: Any, detailed: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "number": session.number,
        "title": session.title,
        "summary": session.summary,
        "audience": session.audience,
        "folder": session.source.file.rsplit("/", 1)[0],
    }
    if detailed:
        data["parts"] = [part_dict(kb, p) for p in session.parts]
    else:
        data["parts"] = [
            {"number": p.number, "title": p.title, "status": p.status, "author": p.author}
            for p in session.parts
        ]
    return data


def _status(status: str) -> str:
    return paint(f"[{status}]", _STATUS_COLOUR.get(status, "dim"))


def _tree(kb: Any, topic_id: str, prefix: str, last: bool, out: list[str]) -> None:
    title = kb.topics[topic_id].title
    out.append(f"{prefix}{'└── ' if last else '├── '}{title} {paint(f'({topic_id})', 'dim')}")
    children = kb.children(topic_id)
    for position, child in enumerate(children):
        _tree(
            kb, child.id, prefix + ("    " if last else "│   "), position == len(children) - 1, out
        )


def run(args: argparse.Namespace) -> int:
    from fomo.errors import FomoError
    from fomo.kb.load import load

    kb = load(args.kb).kb
    if args.number is not None:
        chosen = [s for s in kb.sessions if s.number == args.number]
        if not chosen:
            numbers = ", ".join(str(s.number) for s in kb.sessions) or "none"
            raise FomoError(f"no session {args.number}", hint=f"sessions: {numbers}")
        session = chosen[0]
        if args.json:
            print_json(session_dict(kb, session, True))
            return 0
        out = [paint(f"Session {session.number}: {session.title}", "bold")]
        if session.summary:
            out.append(session.summary)
        if session.audience:
            out.append(paint(f"audience: {session.audience}", "dim"))
        for part in session.parts:
            out.append("")
            out.append(f"Part {part.number}: {paint(part.title, 'bold')} {_status(part.status)}")
            facts = [
                ("author", part.author),
                ("article", part.article),
                ("video", part.video),
                ("seminar", part.seminar.isoformat() if part.seminar else None),
            ]
            for label, value in facts:
                if value:
                    out.append(f"  {label}: {value}")
            for position, topic_id in enumerate(part.topics):
                last = position == len(part.topics) - 1
                if topic_id in kb:
                    _tree(kb, topic_id, "  ", last, out)
                else:
                    out.append(f"  {'└── ' if last else '├── '}{topic_id} (no such topic)")
        if session.parts and any(p.status == "open" for p in session.parts):
            out += [
                "",
                paint(
                    f"claim a part: fomo new-article --session {session.number} "
                    "--part M --author NAME",
                    "dim",
                ),
            ]
        sys.stdout.write(terminal_safe("\n".join(out) + "\n"))
        return 0
    if args.json:
        print_json([session_dict(kb, s, False) for s in kb.sessions])
        return 0
    if not kb.sessions:
        sys.stderr.write("no sessions yet: add sessions/NN-slug/index.md\n")
        return 0
    out = []
    for session in kb.sessions:
        counts: dict[str, int] = {}
        for part in session.parts:
            counts[part.status] = counts.get(part.status, 0) + 1
        summary = ", ".join(f"{n} {status}" for status, n in counts.items()) or "no parts"
        out.append(f"{session.number:>2}. {paint(session.title, 'bold')}  ({summary})")
        for part in session.parts:
            author = f" by {part.author}" if part.author else ""
            out.append(f"    {part.number}. {part.title} {_status(part.status)}{author}")
    out.append(paint("details: fomo sessions N", "dim"))
    sys.stdout.write(terminal_safe("\n".join(out) + "\n"))
    return 0
