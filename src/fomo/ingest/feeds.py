"""Any RSS or Atom feed (arXiv's included) through feedparser, and JSON Feed
(https://jsonfeed.org, versions 1 and 1.1, which feedparser does not read) with the standard
json module, entry by entry: a broken entry is reported and skipped, the others still come
through."""

from __future__ import annotations

import html
import io
import json
import re
from typing import Any

from fomo.errors import FomoError
from fomo.ingest import arxiv
from fomo.ingest.items import Batch, Item, Problem
from fomo.kb.urls import is_web_url

_TAG = re.compile(r"<[^<>]+>")  # not across another "<": linear on a run of them
JSON_FEED_VERSION = "https://jsonfeed.org/version/"
_NO_ENTRIES_HINT = "pass an RSS, Atom or JSON feed, a BibTeX file or a plain list of titles or URLs"


def plain(text: str) -> str:
    """Feed HTML -> one line of text."""
    return re.sub(r"\s+", " ", html.unescape(_TAG.sub(" ", text or ""))).strip()


def _year(entry: Any) -> int | None:
    for key in ("published_parsed", "updated_parsed"):
        stamp = entry.get(key)
        if stamp:
            return int(stamp.tm_year)
    return None


def looks_like_json_feed(data: bytes) -> bool:
    """A JSON object naming a JSON Feed version (the spec puts `version` first, but any order
    is valid JSON, so the head is searched rather than parsed)."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{") and b"jsonfeed.org/version" in data[:65536]


def read_feed(data: bytes, name: str) -> Batch:
    """Items of an RSS, Atom or JSON Feed document; FomoError when it holds no entries."""
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return read_json_feed(data, name)
    import feedparser

    feed = feedparser.parse(io.BytesIO(data))
    entries = feed.get("entries", [])
    if not entries:
        reason = feed.get("bozo_exception")
        raise FomoError(
            f"{name} has no feed entries" + (f" ({reason})" if reason else ""),
            file=name,
            hint=_NO_ENTRIES_HINT,
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


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def read_json_feed(data: bytes, name: str) -> Batch:
    """Items of a JSON Feed: each item's title, url (else external_url), summary (else its
    text or HTML content as plain text), year of date_published and authors."""
    try:
        feed = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise FomoError(
            "JSON but not UTF-8, which JSON Feed requires",
            file=name,
            hint="save the feed as UTF-8",
        ) from error
    except json.JSONDecodeError as error:
        raise FomoError(
            f"not valid JSON: {error.msg}",
            file=name,
            line=error.lineno,
            hint=_NO_ENTRIES_HINT,
        ) from None
    except ValueError as error:  # a number past Python's 4,300-digit limit
        raise FomoError(f"not valid JSON: {error}", file=name, hint=_NO_ENTRIES_HINT) from None
    except RecursionError:
        raise FomoError(
            "JSON nested too deeply to be a feed", file=name, hint=_NO_ENTRIES_HINT
        ) from None
    version = feed.get("version") if isinstance(feed, dict) else None
    items = feed.get("items") if isinstance(feed, dict) else None
    if not _text(version).startswith(JSON_FEED_VERSION) or not isinstance(items, list) or not items:
        raise FomoError(
            "no feed entries (a JSON Feed needs a version "
            f"'{JSON_FEED_VERSION}...' and a list of items)",
            file=name,
            hint=_NO_ENTRIES_HINT,
        )
    batch = Batch(kind="feed")
    for number, entry in enumerate(items, start=1):
        where = f"item {number}"
        if not isinstance(entry, dict):
            batch.problems.append(Problem(where, "item is not a JSON object; skipped"))
            continue
        title = plain(_text(entry.get("title")))
        if not title:
            batch.problems.append(Problem(where, "item has no title; skipped"))
            continue
        summary = plain(
            _text(entry.get("summary"))
            or _text(entry.get("content_text"))
            or _text(entry.get("content_html"))
        )
        link = _text(entry.get("url")) or _text(entry.get("external_url"))
        year = re.match(r"(\d{4})-", _text(entry.get("date_published")))
        people = entry.get("authors")
        if not isinstance(people, list):  # version 1 had one `author` object
            people = [entry.get("author")]
        authors = [plain(_text(a.get("name"))) for a in people if isinstance(a, dict)]
        batch.items.append(
            Item(
                title=title,
                summary=summary,
                url=link.strip() if is_web_url(link) else None,
                year=int(year.group(1)) if year else None,
                authors=[a for a in authors if a],
                where=where,
            )
        )
    return batch
