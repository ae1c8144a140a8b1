"""Judge each item against the map: already known (-> its topic), new (with its top suggested
parents), or unrelated to LLMs (the rule of `fomo place`: nothing in the map gathers support
and no LLM vocabulary is used).

An item whose arXiv id, DOI or URL a topic already cites (its `paper` or a `references` entry)
is known as that topic before any text is compared: the map's own citations are the strongest
evidence there is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from fomo.errors import FomoError
from fomo.ingest import arxiv
from fomo.ingest.items import Item
from fomo.kb.names import name_key
from fomo.model import KnowledgeBase
from fomo.query.place import Candidate, Existing, PlacementModel, speaks_of_llms

__all__ = ["KNOWN", "NEW", "UNRELATED", "Verdict", "cited", "judge", "speaks_of_llms", "triage"]

KNOWN, NEW, UNRELATED = "known", "new", "unrelated"
_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)", re.IGNORECASE)


@dataclass
class Verdict:
    item: Item
    status: str
    existing: Existing | None = None
    candidates: list[Candidate] = field(default_factory=list)
    duplicate_of: str | None = None  # `where` of an earlier item with the same title
    notices: list[str] = field(default_factory=list)

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None

    @property
    def guessed_known(self) -> bool:
        """Known only by a paraphrase more likely wrong than right (`Existing.tentative`)."""
        return self.status == KNOWN and self.existing is not None and self.existing.tentative

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.item.as_dict(),
            "status": self.status,
            "existing": self.existing.as_dict() if self.existing else None,
            "candidates": [c.as_dict() for c in self.candidates],
            "duplicate_of": self.duplicate_of,
            "notices": self.notices,
        }


def citation_keys(link: str) -> list[str]:
    """What identifies a cited work in a link or text: its arXiv id, DOI and bare URL."""
    link = link.strip()
    keys = []
    paper_id = arxiv.paper_id(link)
    if paper_id:
        keys.append("arxiv:" + paper_id.lower())
    doi = _DOI.search(link)
    if doi:
        keys.append("doi:" + doi.group(1).rstrip(".,;)").lower())
    parsed = urlparse(link)
    if parsed.scheme in ("http", "https") and parsed.netloc:
        host = parsed.netloc.lower().removeprefix("www.")
        keys.append(
            "url:" + host + parsed.path.rstrip("/") + (f"?{parsed.query}" if parsed.query else "")
        )
    return keys


def cited(kb: KnowledgeBase) -> dict[str, str]:
    """citation key -> the topic that cites it (the first, in map order)."""
    found: dict[str, str] = {}
    for topic in kb.topics.values():
        links = [r.url for r in topic.references]
        if topic.paper and topic.paper.url:
            links.append(topic.paper.url)
        for link in links:
            for key in citation_keys(link):
                found.setdefault(key, topic.id)
    return found


def _cited_as(model: PlacementModel, item: Item, citations: dict[str, str]) -> Existing | None:
    for link in (item.url or "", item.title):
        for key in citation_keys(link):
            topic_id = citations.get(key)
            if topic_id is not None:
                topic = model.kb.topics[topic_id]
                return Existing(topic.id, topic.title, 1.0, "citation")
    return None


def judge(
    model: PlacementModel,
    item: Item,
    *,
    top: int = 3,
    citations: dict[str, str] | None = None,
    embedding: Any = None,
) -> Verdict:
    by_citation = _cited_as(model, item, citations if citations is not None else cited(model.kb))
    if by_citation is not None:
        return Verdict(item, KNOWN, existing=by_citation)
    method = "lexical" if embedding is None else "semantic"
    try:
        placement = model.place(
            item.title, item.summary, top=top, method=method, embedding=embedding
        )
    except FomoError as error:
        return Verdict(item, UNRELATED, notices=[error.message])
    if placement.existing is not None:
        status = KNOWN
    elif placement.unrelated:
        status = UNRELATED
    else:
        status = NEW
    return Verdict(
        item,
        status,
        existing=placement.existing,
        candidates=placement.candidates if status != UNRELATED else [],
        notices=placement.notices,
    )


def triage(
    model: PlacementModel,
    items: Iterable[Item],
    *,
    top: int = 3,
    method: str = "lexical",
    progress: Callable[[int], None] | None = None,
) -> list[Verdict]:
    """A verdict per item, in order; repeated titles point at their first occurrence. With the
    semantic method the whole feed is encoded in one call."""
    items = list(items)
    citations = cited(model.kb)
    embeddings: list[Any] = [None] * len(items)
    if method == "semantic" and items:
        embeddings = list(model.semantic().embed_many([(i.title, i.summary) for i in items]))
    verdicts: list[Verdict] = []
    seen: dict[str, str] = {}
    for done, (item, embedding) in enumerate(zip(items, embeddings, strict=True), start=1):
        verdict = judge(model, item, top=top, citations=citations, embedding=embedding)
        key = name_key(item.title)
        if key and key in seen:
            verdict.duplicate_of = seen[key]
        elif key:
            seen[key] = item.where
        verdicts.append(verdict)
        if progress is not None:
            progress(done)
    return verdicts
