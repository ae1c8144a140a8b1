"""Scaffold an article for a session part, following the contributor style guide in
CONTRIBUTING.md: introduction, one section per main topic of the part, conclusion, references.

The skeleton states what each section should do (as HTML comments a reader never sees) and
lists the map's own facts (essence, subtopics, references) so the writer starts from the map.
"""

from __future__ import annotations

from pathlib import Path

from fomo.errors import FomoError
from fomo.kb.edit import Change, create_file, merge, render_front_matter, update_part
from fomo.kb.records import slugify
from fomo.model import KnowledgeBase, Part, Session


def article_name(part: Part) -> str:
    return f"{part.number:02d}-{slugify(part.title or f'part-{part.number}')}.md"


def skeleton(kb: KnowledgeBase, session: Session, part: Part, author: str) -> str:
    """The article file's text: front matter and a Markdown skeleton."""
    topics = [t for t in part.topics if t in kb]
    fields = {
        "title": part.title or f"{session.title}, part {part.number}",
        "author": author,
        "topics": list(part.topics),
        "status": "draft",
    }
    lines = [
        f"<!-- Session {session.number} ({session.title}), part {part.number}. Style guide: "
        "CONTRIBUTING.md. Preview with `fomo serve`, validate with `fomo check`. -->",
        "",
        "## Introduction",
        "",
        "<!-- The problem these methods solve and why a reader should care, in a paragraph. "
        "Say where they sit in the map. -->",
        "",
    ]
    references: list[str] = []
    for topic_id in topics:
        topic = kb.topics[topic_id]
        path = " > ".join(t.title for t in kb.path(topic_id))
        lines += [f"## {topic.title}", "", f"<!-- In the map: {path}. Essence: {topic.essence} -->"]
        children = kb.children(topic_id)
        if children:
            lines += ["", "<!-- Cover, in the map's order: -->"]
            lines += [f"<!-- - {c.title} ([[{c.id}]]): {c.essence} -->" for c in children]
        lines += ["", f"[[{topic_id}]]", ""]
        for member in kb.subtree(topic_id):
            if member.paper:
                year = f" ({member.paper.year})" if member.paper.year else ""
                link = f"<{member.paper.url}>" if member.paper.url else ""
                references.append(f"- {member.paper.title}{year} {link}".rstrip())
            for reference in member.references:
                references.append(f"- [{reference.title}]({reference.url}) ({reference.kind})")
    lines += [
        "## Conclusion",
        "",
        "<!-- What to remember, how the methods compare, and what to read or watch next. -->",
        "",
        "## References",
        "",
        *(dict.fromkeys(references) or ["<!-- Papers, docs and posts you used, with links. -->"]),
        "",
    ]
    return render_front_matter(fields, "\n" + "\n".join(lines))


def plan_article(
    root: Path, session_number: int, part_number: int, author: str, kb: KnowledgeBase | None = None
) -> Change:
    """The article file plus the session edit that claims the part (status, author, article)."""
    from fomo.kb.load import load

    kb = kb if kb is not None else load(root).kb
    session = next((s for s in kb.sessions if s.number == session_number), None)
    if session is None:
        raise FomoError(f"no session {session_number}", hint="see `fomo sessions`")
    part = next((p for p in session.parts if p.number == part_number), None)
    if part is None:
        numbers = ", ".join(str(p.number) for p in session.parts) or "none"
        raise FomoError(
            f"session {session_number} has no part {part_number}",
            file=session.source.file,
            hint=f"parts: {numbers}",
        )
    if part.status != "open":
        who = f" by {part.author}" if part.author else ""
        raise FomoError(
            f"part {part_number} of session {session_number} is already {part.status}{who}",
            file=session.source.file,
            hint="pick an open part (`fomo sessions " + str(session_number) + "`)",
            code="part-taken",
        )
    folder = session.source.file.rsplit("/", 1)[0]
    name = article_name(part)
    text = skeleton(kb, session, part, author)
    article = create_file(root, f"{folder}/{name}", text, f"article {folder}/{name}")
    claim = update_part(
        root,
        session_number,
        part_number,
        {"status": "claimed", "author": author, "article": name},
        kb=kb,
    )
    return merge(
        f"scaffold {folder}/{name} and claim part {part_number} of session {session_number}",
        [article, claim],
    )
