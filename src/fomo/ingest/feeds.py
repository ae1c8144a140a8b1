"""Any RSS or Atom feed (arXiv's included) through feedparser, entry by entry: a broken entry is
reported and skipped, the others still come through."""

from __future__ import annotations

import html
import io
import re
from typing import Any

from fomo.errors import FomoError
from fomo.ingest import arxiv
from fomo.ingest.items import Batch, Item, Problem
from fomo.kb.urls import is_web_url

_TAG = re.compile(r"<[^>]+>")


def plain(text: str) -> str:
    """Feed HTML -> one line of text."""
    return re.sub(r"\s+", " ", html.unescape(_TAG.sub(" ", text or ""))).strip()


def _year(entry: Any) -> int | None:
    for key in ("published_parsed", "updated_parsed"):
        stamp = entry.get(key)
        if stamp:
            return int(stamp.tm_year)
    return None


def read_feed(data: bytes, name: str) -> Batch:
    """Items of an RSS/Atom document; FomoError when it holds no entries at all."""
    import feedparser

    feed = feedparser.parse(io.BytesIO(data))
    entries = feed.get("entries", [])
    if not entries:
        reason = feed.get("bozo_exception")
        raise FomoError(
            f"{name} has no feed entries" + (f" ({reason})" if reason else ""),
            file=name,
            hint="pass an RSS or Atom feed, a BibTeX file or a plain list of titles or URLs",
        )
    from_arxiv = arxiv.is_arxiv(feed)
    batch = Batch(kind="arxiv" if from_arxiv else "feed")
    if feed.get("bozo"):
        batch.notices.append(
            f"{name} is not well-formed ({feed.get('bozo_exception')}); read what could be read"
        )
    for number, entry in enumerate(entries, start=1):
        where = f"entry {number}"
        title = plain(entry.get("title", ""))
        if from_arxiv:
            title = arxiv.clean_title(title)
        if not title:
            batch.problems.append(Problem(where, "entry has no title; skipped"))
            continue
        summary = plain(entry.get("summary", ""))
        link = entry.get("link") or entry.get("id") or ""
        if from_arxiv:
            summary = arxiv.clean_summary(summary)
            link = arxiv.abs_url(link)
        authors = [a.get("name", "") for a in entry.get("authors", []) if a.get("name")]
        batch.items.append(
            Item(
                title=title,
                summary=summary,
                url=link.strip() if is_web_url(link) else None,
                year=_year(entry),
                authors=authors,
                where=where,
            )
        )
    return batch
