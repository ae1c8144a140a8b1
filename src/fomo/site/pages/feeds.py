"""The machine-read files: the Atom feed of what is new, the sitemap and the map's data.

A sitemap holds absolute URLs only, so without a `base_url` it lists no page (the build warns)
rather than relative or empty `<loc>`s."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from typing import Any

from markupsafe import escape

from fomo.model import Topic
from fomo.site.data import SiteData
from fomo.site.links import Output, article_href, script_json, topic_href
from fomo.site.pages import Page, PageKind, kinds, register, site_wide
from fomo.site.pages.listings import recent
from fomo.site.pictures import NO_COLOUR
from fomo.site.renderer import Renderer


def _only(path: str) -> Callable[[SiteData], Iterator[Page]]:
    def pages(data: SiteData) -> Iterator[Page]:
        yield Page(Output.at(path))

    return pages


def feed_context(renderer: Renderer, page: Page) -> dict[str, Any]:
    data = renderer.data
    config = data.config
    topics, articles = recent(data)
    entries = [
        {
            "title": topic.title,
            "url": config.absolute(topic_href(topic.id)),
            "date": topic.added,
            "summary": topic.essence,
        }
        for topic in topics
    ]
    entries += [
        {
            "title": article.title,
            "url": config.absolute(article_href(article)),
            "date": article.published,
            "summary": f"Article by {article.author}" if article.author else "Article",
        }
        for article in articles
    ]
    entries.sort(key=lambda e: e["date"] or dt.date.min, reverse=True)
    return {
        "config": config,
        "entries": entries,
        "updated": entries[0]["date"] if entries else dt.date(2000, 1, 1),
        "feed_id": config.absolute("feed.xml")
        if config.base_url
        else "urn:fomo:" + hashlib.sha1(config.name.encode()).hexdigest(),
    }


def sitemap_text(renderer: Renderer, page: Page) -> str:
    """Every page of the kinds that are in the sitemap: the single pages first, then one per
    topic, session and article; the home page as the site's own URL."""
    data = renderer.data
    listed = sorted((k for k in kinds() if k.sitemap), key=lambda k: k.parallel)
    urls = [p.output.url for k in listed for p in k.pages(data)] if data.config.base_url else []
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    lines += [
        f"<url><loc>{escape(data.config.absolute('' if url == 'index.html' else url))}</loc></url>"
        for url in urls
    ]
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def last_changed(topic: Topic) -> str:
    """The day a topic appeared or was last reviewed ("" if neither is known): the map marks
    what is newer than the reader's last visit."""
    days = [day for day in (topic.added, topic.reviewed) if day]
    return max(days).isoformat() if days else ""


def map_data_js(renderer: Renderer, page: Page) -> str:
    """The map in a compact columnar form, loaded by <script> so it works from file://."""
    data = renderer.data
    index = {t.id: i for i, t in enumerate(data.order)}
    colours = [data.colour.get(c.id, NO_COLOUR) for c in data.kb.children(data.order[0].id)]
    payload = {
        "v": 1,
        "id": [t.id for t in data.order],
        "t": [t.title for t in data.order],
        "p": [index.get(t.parent, -1) if t.parent else -1 for t in data.order],
        "e": [t.essence for t in data.order],
        "a": ["|".join(t.aliases) for t in data.order],
        "c": colours,
        "d": [last_changed(t) for t in data.order],
    }
    return "window.FOMO_MAP=" + script_json(payload) + ";\n"


register(
    PageKind(
        "feed", _only("feed.xml"), template="feed.xml", context=feed_context, depends=site_wide
    )
)
register(PageKind("sitemap", _only("sitemap.xml"), text=sitemap_text, depends=site_wide))
register(PageKind("map-data", _only("assets/map-data.js"), text=map_data_js, depends=site_wide))
