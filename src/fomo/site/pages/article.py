"""A page per article (a session part's write-up, in MkDocs-flavoured Markdown)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import quote

from fomo.model import Article
from fomo.site.data import SiteData
from fomo.site.links import article_output
from fomo.site.pages import ARTICLES, SESSIONS, Page, PageKind, register
from fomo.site.prose import article_body
from fomo.site.renderer import Renderer


def pages(data: SiteData) -> Iterator[Page]:
    for article in data.kb.articles:
        yield Page(article_output(article), article)


def context(renderer: Renderer, page: Page) -> dict[str, Any]:
    article: Article = page.item
    data = renderer.data
    folder = article.path.split("/")[1]
    session = next((s for s in data.kb.sessions if s.folder == folder), None)
    body = article_body(data, article)  # raw HTML sanitized, links resolved
    rendered = body.rendered
    renderer.links_to(rendered.topic_links)
    if rendered.title:  # the body's own H1 is the title (printed once, by the template)
        article = replace(article, title=rendered.title)
    if body.author and not article.author:  # a notebook's metadata names its authors
        article = replace(article, author=body.author)
    if rendered.mermaid:
        renderer.uses_diagrams()
    edit = data.config.edit_url + quote(article.path) if data.config.edit_url else ""
    return {
        "article": article,
        "rendered": rendered,
        "session": session,
        "topics": [(t, data.kb.topics.get(t)) for t in article.topics],
        "edit_url": edit,
    }


def depends(data: SiteData, page: Page) -> Iterable[str]:
    """The topics it names (the links in its text are recorded while rendering)."""
    article: Article = page.item
    return {SESSIONS, ARTICLES, *article.topics}


register(
    PageKind(
        "article",
        pages,
        template="article.html",
        context=context,
        depends=depends,
        sitemap=True,
        parallel=True,
        searchable=True,
    )
)
