"""arXiv specifics on top of the generic feed reader: the API (Atom) and the listing RSS feeds
wrap titles over lines, prefix abstracts with "arXiv:ID Announce Type: ... Abstract:", and name
papers by versioned ids; this turns those into clean titles, abstracts and stable abs URLs."""

from __future__ import annotations

import re
from typing import Any

_ID = re.compile(r"arxiv\.org/(?:abs|pdf)/([^\s?#]+?)(?:v\d+)?(?:\.pdf)?$", re.IGNORECASE)
_ANNOUNCE = re.compile(
    r"^\s*arXiv:\S+\s+Announce Type:\s*\S+\s*(?:Abstract:\s*)?", re.IGNORECASE | re.DOTALL
)


def is_arxiv(feed: Any) -> bool:
    """Whether a parsed feed came from arXiv (API or listing feeds)."""
    head = feed.get("feed", {})
    text = " ".join(str(head.get(k, "")) for k in ("id", "link", "title", "title_detail"))
    namespaces = " ".join(feed.get("namespaces", {}).values())
    return "arxiv" in (text + " " + namespaces).lower()


def paper_id(link: str) -> str | None:
    """The version-free arXiv id in a link, if it is an arXiv abs or pdf link."""
    match = _ID.search(link.strip())
    return match.group(1) if match else None


def abs_url(link: str) -> str:
    """The version-free abstract page of an arXiv link; other links pass through."""
    match = _ID.search(link.strip())
    return f"https://arxiv.org/abs/{match.group(1)}" if match else link.strip()


def clean_summary(summary: str) -> str:
    return _ANNOUNCE.sub("", summary).strip()


def clean_title(title: str) -> str:
    title = re.sub(r"\s+", " ", title).strip()
    return re.sub(r"\s*\(arXiv:[^)]*\)\s*$", "", title)
