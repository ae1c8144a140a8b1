"""A plain list, one title or URL per line ('#' starts a comment). A URL's words come from its
path ("…/blog/simpo-explained" -> "simpo explained"): nothing is fetched per line."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlparse

from fomo.ingest import arxiv
from fomo.ingest.items import Batch, Item, Problem
from fomo.kb.urls import is_web_url

MAX_LINE = 2_000


def title_from_url(url: str) -> str:
    """Readable words from a URL's path, or its host when the path says nothing."""
    parsed = urlparse(url)
    arxiv_id = arxiv.paper_id(url)
    if arxiv_id:
        return f"arXiv {arxiv_id}"
    segments = [unquote(s) for s in parsed.path.split("/") if s]
    words = ""
    for segment in reversed(segments):
        segment = re.sub(r"\.(html?|pdf|php|aspx?)$", "", segment, flags=re.IGNORECASE)
        candidate = re.sub(r"[-_+]+", " ", segment).strip()
        if re.search(r"[A-Za-z]{3,}", candidate) and not re.fullmatch(r"[0-9a-f]{8,}", segment):
            words = candidate
            break
    return words or parsed.netloc


def read_text(text: str, name: str) -> Batch:
    batch = Batch(kind="text")
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        where = f"{name}:{number}"
        if len(line) > MAX_LINE:
            batch.notices.append(f"{where}: line cut to {MAX_LINE:,} characters")
            line = line[:MAX_LINE]
        if re.match(r"^https?://", line, re.IGNORECASE):
            url = line.split()[0]
            try:
                title = title_from_url(url) if is_web_url(url) else None
            except ValueError:  # urlparse: a broken host such as "[::1"
                title = None
            if title is None:
                batch.problems.append(Problem(where, f"{url!r} is not a valid URL; skipped"))
                continue
            batch.items.append(Item(title=title, url=arxiv.abs_url(url), where=where))
        else:
            batch.items.append(Item(title=line, where=where))
    return batch
