"""SOURCE -> Batch: fetch or read it, decode it, sniff its kind and hand it to that reader."""

from __future__ import annotations

import sys
from pathlib import Path

from fomo.errors import FomoError
from fomo.ingest.bibtex import looks_like_bibtex, read_bibtex
from fomo.ingest.feeds import read_feed
from fomo.ingest.fetch import SIZE_LIMIT, fetch, is_url
from fomo.ingest.items import Batch
from fomo.ingest.text import read_text

KINDS = ("auto", "feed", "bibtex", "text")


def load_source(source: str, *, timeout: float = 20.0, limit: int = SIZE_LIMIT) -> bytes:
    """The raw bytes of a file, '-' (standard input) or an http(s) URL."""
    if is_url(source):
        return fetch(source, timeout=timeout, limit=limit)
    if source == "-":
        return sys.stdin.buffer.read(limit + 1)[:limit]
    path = Path(source)
    if not path.is_file():
        raise FomoError(
            f"{source!r} is not a file or an http(s) URL",
            hint="pass a feed, BibTeX or text file, '-' for standard input, or a URL",
        )
    if path.stat().st_size > limit:
        raise FomoError(f"{source} is over the size limit of {limit:,} bytes", file=source)
    try:
        return path.read_bytes()
    except OSError as error:
        raise FomoError(f"cannot read {source}: {error.strerror}", file=source) from error


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def sniff(data: bytes) -> str:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<"):
        return "feed"
    if looks_like_bibtex(decode(data[:200_000])):
        return "bibtex"
    return "text"


def read(source: str, *, kind: str = "auto", timeout: float = 20.0) -> Batch:
    """Every item of SOURCE; entries that cannot be read are listed in `problems`."""
    if kind not in KINDS:
        raise FomoError(f"unknown source kind {kind!r}", hint="one of " + ", ".join(KINDS))
    data = load_source(source, timeout=timeout)
    name = "<stdin>" if source == "-" else source
    if not data.strip():
        raise FomoError(f"{name} is empty", hint="pass a feed, BibTeX file or list of titles")
    chosen = sniff(data) if kind == "auto" else kind
    if chosen == "feed":
        return read_feed(data, name)
    if chosen == "bibtex":
        return read_bibtex(decode(data), name)
    return read_text(decode(data), name)
