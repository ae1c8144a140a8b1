"""A page per session: its parts (topics, article, video, status) and a branch picture per
part."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from fomo.model import Session
from fomo.site.data import SiteData
from fomo.site.links import session_output
from fomo.site.markdown import web_url
from fomo.site.pages import ARTICLES, SESSIONS, Page, PageKind, register
from fomo.site.pictures import session_pictures
from fomo.site.renderer import Renderer


def pages(data: SiteData) -> Iterator[Page]:
    for session in data.kb.sessions:
        yield Page(session_output(session), session)


def context(renderer: Renderer, page: Page) -> dict[str, Any]:
    session: Session = page.item
    data = renderer.data
    parts = [
        {
            "part": part,
            "topics": [(t, data.kb.topics.get(t)) for t in part.topics],
            "article": data.part_article(session, part),
            "video": web_url(part.video),
        }
        for part in session.parts
    ]
    return {"session": session, "parts": parts, "pictures": session_pictures(data, session)}


def depends(data: SiteData, page: Page) -> Iterable[str]:
    """Its parts' topics and, drawn in the pictures, their children."""
    session: Session = page.item
    found = {SESSIONS, ARTICLES}
    for part in session.parts:
        for topic_id in part.topics:
            found.add(topic_id)
            if topic_id in data.kb.topics:
                found.update(child.id for child in data.kb.children(topic_id))
    return found


register(
    PageKind(
        "session",
        pages,
        template="session.html",
        context=context,
        depends=depends,
        sitemap=True,
        parallel=True,
        searchable=True,
    )
)
