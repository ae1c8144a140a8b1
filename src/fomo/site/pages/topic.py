"""A page per topic: its path, essence, body, relations both ways, references, the sessions
and articles that cover it, and a picture of its neighbourhood."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from fomo.kb.schema import RELATIONS
from fomo.model import REFERENCE_KINDS, Topic
from fomo.site.data import SiteData
from fomo.site.links import topic_output
from fomo.site.pages import ARTICLES, SESSIONS, Page, PageKind, register
from fomo.site.pictures import NO_COLOUR, neighbourhood
from fomo.site.renderer import Renderer

REFERENCE_LABELS = {
    "paper": "Papers",
    "blog": "Blog posts",
    "video": "Videos",
    "post": "Posts",
    "code": "Code",
    "docs": "Documentation",
    "course": "Courses",
}


def pages(data: SiteData) -> Iterator[Page]:
    for topic in data.order:
        yield Page(topic_output(topic.id), topic)


def reading_path(data: SiteData, topic: Topic) -> list[Topic]:
    """What to understand before `topic`: its builds_on chain, transitively, each topic after
    everything it builds on (a depth-first post-order; a cycle is cut where it closes)."""
    kb = data.kb
    order: list[Topic] = []
    seen = {topic.id}
    stack = [(topic.id, iter(topic.builds_on))]
    while stack:
        current, todo = stack[-1]
        for target in todo:
            if target not in seen and target in kb.topics:
                seen.add(target)
                stack.append((target, iter(kb.topics[target].builds_on)))
                break
        else:
            stack.pop()
            if current != topic.id:
                order.append(kb.topics[current])
    return order


def context(renderer: Renderer, page: Page) -> dict[str, Any]:
    topic: Topic = page.item
    data = renderer.data
    kb = data.kb
    path = [kb.topics[i] for i in data.path_ids.get(topic.id, [topic.id])]
    body = Markup(renderer.markdown(topic.body, "../").html) if topic.body.strip() else ""
    relations: list[tuple[str, list[tuple[str, Topic | None]]]] = []
    for relation in RELATIONS:
        targets = list(getattr(topic, relation.kind))
        sources = [s for k, s in data.incoming.get(topic.id, []) if k == relation.kind]
        if relation.inverse_heading is None:
            targets += [s for s in sources if s not in targets]
            sources = []
        if targets:
            relations.append(
                (relation.heading.capitalize(), [(t, kb.topics.get(t)) for t in targets])
            )
        if sources and relation.inverse_heading:
            heading = relation.inverse_heading.capitalize()
            relations.append((heading, [(s, kb.topics.get(s)) for s in sources]))
    references: dict[str, list[Any]] = {}
    for ref in topic.references:
        kind = ref.kind if ref.kind in REFERENCE_KINDS else "docs"
        references.setdefault(REFERENCE_LABELS[kind], []).append(ref)
    children = kb.children(topic.id)
    siblings = kb.siblings(topic.id) if topic.parent else []
    edit = (
        data.config.edit_url + quote(topic.source.file)
        if data.config.edit_url and topic.source.file
        else ""
    )
    return {
        "topic": topic,
        "path": path,
        "body": body,
        "children": children,
        "siblings": siblings,
        "relations": relations,
        "references": references,
        "also_under": [(t, kb.topics.get(t)) for t in topic.also_under],
        "coverage": data.coverage.get(topic.id, []),
        "articles": data.articles_of.get(topic.id, []),
        "neighbourhood": neighbourhood(data, topic, siblings, children),
        "colour": data.colour.get(topic.id, NO_COLOUR),
        "edit_url": edit,
        "reading_path": reading_path(data, topic),
        "built_on_by": [
            kb.topics[s] for k, s in data.incoming.get(topic.id, []) if k == "builds_on"
        ],
    }


def depends(data: SiteData, page: Page) -> Iterable[str]:
    """The topics whose titles or places the page shows (`SiteData.near`, and its reading
    path), and the sessions and articles when it lists some."""
    topic: Topic = page.item
    found = data.near(topic.id)
    if topic.builds_on:
        found = found.union(t.id for t in reading_path(data, topic))
    if topic.id in data.coverage or topic.id in data.articles_of:
        found = found | {SESSIONS, ARTICLES}
    return found


register(
    PageKind(
        "topic",
        pages,
        template="topic.html",
        context=context,
        depends=depends,
        sitemap=True,
        parallel=True,
        searchable=True,
    )
)
