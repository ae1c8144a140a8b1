"""Where each page lives and how it is linked: one `Output(path, url)` per page.

The path is the file written under the output folder (Unicode, `/`-separated, as the file
system shows it); the URL is the same location percent-encoded, as a link needs it. Keeping the
two apart is what makes an article file named `café notes.md` land at `café notes.html` while its
links read `caf%C3%A9%20notes.html`, which a browser decodes back to that file.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from fomo.model import Article, Session


@dataclass(frozen=True, slots=True)
class Output:
    """One page: `path` on disk (relative to the output folder) and `url` (relative to the
    site's root, percent-encoded)."""

    path: str
    url: str

    @classmethod
    def at(cls, path: str) -> Output:
        return cls(path, quote(path))


@functools.lru_cache(maxsize=65536)
def topic_href(topic_id: str) -> str:
    """Cached: every page links many topics, and `quote` is most of a link's cost."""
    return f"topics/{quote(topic_id)}.html"


def topic_output(topic_id: str) -> Output:
    return Output(f"topics/{topic_id}.html", topic_href(topic_id))


def session_output(session: Session) -> Output:
    return Output.at(f"sessions/{session.folder}.html")


def session_href(session: Session) -> str:
    return session_output(session).url


def article_output(article: Article) -> Output:
    folder, name = article.path.split("/")[1:3]
    return Output.at(f"articles/{folder}/{name.rsplit('.', 1)[0]}.html")  # .md or .ipynb


def article_href(article: Article) -> str:
    return article_output(article).url


def script_json(value: Any) -> str:
    """JSON safe inside <script> and .js files: no `</script`, `<!--`, or line separators."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
