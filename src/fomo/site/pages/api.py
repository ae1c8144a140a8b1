"""The site's static JSON API, so others can build on the map without scraping its pages:
`api/terms.json` (the compact term index the browser extension carries, `fomo.site.terms`),
`api/topics/<id>.json` (a topic with its path, family and relations) and a JSON Schema for
each under `api/schema/`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from fomo.model import RELATION_KINDS, Topic
from fomo.site.data import SiteData
from fomo.site.links import Output, topic_href
from fomo.site.pages import Page, PageKind, register, site_wide
from fomo.site.renderer import Renderer
from fomo.site.terms import term_index_json

VERSION = 1
SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"


def _dump(value: Any) -> str:
    """Compact: indented output goes through the json module's pure-Python encoder, which
    made the API a fifth of a big build's rendering time."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"


def _terms_pages(data: SiteData) -> Iterator[Page]:
    yield Page(Output.at("api/terms.json"))


def _terms_text(renderer: Renderer, page: Page) -> str:
    data = renderer.data
    return term_index_json(data.kb, data.config.base_url) + "\n"


def _schema_pages(data: SiteData) -> Iterator[Page]:
    for name in ("terms", "topic"):
        yield Page(Output.at(f"api/schema/{name}.schema.json"), name)


def _schema_text(renderer: Renderer, page: Page) -> str:
    return (SCHEMAS / f"{page.item}.schema.json").read_text(encoding="utf-8")


def _topic_pages(data: SiteData) -> Iterator[Page]:
    for topic in data.order:
        yield Page(Output.at(f"api/topics/{topic.id}.json"), topic)


def topic_document(data: SiteData, topic: Topic) -> dict[str, Any]:
    """A topic as the API serves it (`schemas/topic.schema.json`)."""
    kb = data.kb

    def ref(topic_id: str) -> dict[str, str]:
        other = kb.get(topic_id)
        return {"id": topic_id, "title": other.title if other else topic_id}

    def refs(ids: Iterable[str]) -> list[dict[str, str]]:
        return [ref(i) for i in ids if i in kb]

    parent = kb.parent(topic.id)
    return {
        "version": VERSION,
        "id": topic.id,
        "title": topic.title,
        "essence": topic.essence,
        "url": data.config.absolute(topic_href(topic.id)),
        "aliases": list(topic.aliases),
        "year": topic.year,
        "status": topic.status,
        "tags": list(topic.tags),
        "paper": (
            {"title": topic.paper.title, "year": topic.paper.year, "url": topic.paper.url}
            if topic.paper
            else None
        ),
        "path": refs(t.id for t in kb.path(topic.id)),
        "parent": ref(parent.id) if parent else None,
        "children": refs(t.id for t in kb.children(topic.id)),
        "siblings": refs(t.id for t in kb.siblings(topic.id)),
        "also_under": refs(topic.also_under),
        "relations": {kind: refs(getattr(topic, kind)) for kind in RELATION_KINDS},
        "incoming": [
            {"kind": kind, **ref(source)}
            for kind, source in data.incoming.get(topic.id, ())
            if source in kb
        ],
        "references": [{"title": r.title, "url": r.url, "kind": r.kind} for r in topic.references],
    }


def _topic_text(renderer: Renderer, page: Page) -> str:
    return _dump(topic_document(renderer.data, page.item))


def _topic_depends(data: SiteData, page: Page) -> Iterable[str]:
    """Its path, family, children and relations both ways (`SiteData.near`)."""
    return data.near(page.item.id)


register(PageKind("api-terms", _terms_pages, text=_terms_text, depends=site_wide))
register(PageKind("api-schema", _schema_pages, text=_schema_text))
register(
    PageKind("api-topic", _topic_pages, text=_topic_text, depends=_topic_depends, parallel=True)
)
