"""The pictures drawn into pages: a topic's neighbourhood (an indented tree, drawn here because
it is a small list with links) and a session part's branch picture (drawn by the `svg` export
format, the picture a speaker puts on a slide)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from fomo.model import Session, Topic
from fomo.site.data import SiteData
from fomo.site.links import short, topic_href

PICTURE_CHILDREN = 10  # children drawn per topic in a session's outline picture
NO_COLOUR = "#888888"  # topics outside any branch (the root)


def outline_svg(
    rows: list[tuple[int, str, str | None, str, bool]], label: str, prefix: str
) -> Markup:
    """An indented tree picture: rows of (depth, title, href or None, colour, highlighted).

    Every text is escaped here; hrefs are our own relative URLs."""
    row_h, indent, pad = 30, 26, 10
    width = max((pad + d * indent + 14 + 7.2 * len(t) + 20 for d, t, *_ in rows), default=200)
    height = pad * 2 + row_h * len(rows)
    parts = [
        f'<svg class="outline" xmlns="http://www.w3.org/2000/svg" role="group" '
        f'aria-label="{escape(label)}" viewBox="0 0 {int(width)} {height}" '
        f'width="{int(width)}" height="{height}">'
    ]
    last_at_depth: dict[int, int] = {}
    for position, (depth, title, href, colour, strong) in enumerate(rows):
        y = pad + position * row_h + row_h // 2
        x = pad + depth * indent
        parent_row = last_at_depth.get(depth - 1)
        if depth > 0 and parent_row is not None:
            py = pad + parent_row * row_h + row_h // 2 + 8
            px = pad + (depth - 1) * indent + 6
            parts.append(
                f'<path d="M{px} {py}V{y}H{x}" fill="none" stroke="{escape(colour)}" '
                f'stroke-width="1.5"/>'
            )
        last_at_depth[depth] = position
        for deeper in [d for d in last_at_depth if d > depth]:
            del last_at_depth[deeper]
        weight = ' font-weight="700"' if strong else ""
        dot = f'<circle cx="{x + 6}" cy="{y}" r="5" fill="{escape(colour)}"/>'
        text = f'<text x="{x + 16}" y="{y + 5}"{weight}>{escape(title)}</text>'
        if href:
            parts.append(f'<a href="{escape(prefix + href)}">{dot}{text}</a>')
        else:
            parts.append(dot + text)
    parts.append("</svg>")
    return Markup("".join(parts))


def neighbourhood(
    data: SiteData, topic: Topic, siblings: list[Topic], children: list[Topic]
) -> Markup:
    rows: list[tuple[int, str, str | None, str, bool]] = []
    colour = data.colour.get(topic.id, NO_COLOUR)
    parent = data.kb.parent(topic.id)
    depth = 0
    if parent is not None:
        rows.append((0, short(parent.title, 48), topic_href(parent.id), colour, False))
        depth = 1
        family = data.kb.children(parent.id)  # the siblings and the topic, in map order
        at = family.index(topic)
        window = family[max(0, at - 3) : at + 4]
    else:
        window = [topic]
    for member in window:
        here = member.id == topic.id
        rows.append(
            (
                depth,
                short(member.title, 48),
                None if here else topic_href(member.id),
                data.colour.get(member.id, colour),
                here,
            )
        )
        if here:
            for child in children[:8]:
                rows.append(
                    (
                        depth + 1,
                        short(child.title, 48),
                        topic_href(child.id),
                        data.colour.get(child.id, colour),
                        False,
                    )
                )
            if len(children) > 8:
                rows.append((depth + 1, f"… {len(children) - 8} more", None, colour, False))
    if parent is not None and len(window) < len(siblings) + 1:
        rows.append(
            (1, f"… {len(siblings) + 1 - len(window)} more in this family", None, colour, False)
        )
    return outline_svg(rows, f"Neighbourhood of {topic.title}", "../")


def session_pictures(data: SiteData, session: Session) -> list[dict[str, Any]]:
    """A branch picture per part, drawn by the `svg` export format (the picture a speaker
    puts on a slide): the part as the dark root, its topics as coloured branches, each with
    its children (at most PICTURE_CHILDREN, then "… N more")."""
    from fomo.formats import svg
    from fomo.formats.tree import Node

    pictures = []
    for part in session.parts:
        if not part.topics:
            continue
        heading = f"Part {part.number}: {part.title}"
        root = Node(heading)
        for tid in part.topics:
            topic = data.kb.topics.get(tid)
            if topic is None:
                root.children.append(Node(f"{tid} (not in the map)"))
                continue
            branch = Node(topic.title, id=topic.id, aliases=list(topic.aliases))
            children = data.kb.children(topic.id)
            for child in children[:PICTURE_CHILDREN]:
                branch.children.append(Node(child.title, id=child.id))
            if len(children) > PICTURE_CHILDREN:
                branch.children.append(Node(f"… {len(children) - PICTURE_CHILDREN} more"))
            root.children.append(branch)
        drawing = svg.picture(
            root,
            "right",
            label=f"Topic outline of part {part.number}: {part.title}",
            css_class="branch-picture",
        )
        pictures.append({"part": part, "svg": Markup(drawing)})
    return pictures
