"""The images and files articles show or link to, copied into the site under `files/` (at
their path in the knowledge base), and the images notebook outputs are written as. One page
per file, so that stale ones are pruned and unchanged ones are not rewritten like any page."""

from __future__ import annotations

from collections.abc import Iterator

from fomo.site.data import SiteData
from fomo.site.links import Output
from fomo.site.pages import Page, PageKind, register
from fomo.site.prose import article_files
from fomo.site.renderer import Renderer
from fomo.site.sanitize import clean_svg


def pages(data: SiteData) -> Iterator[Page]:
    for path, source in sorted(article_files(data).items(), key=lambda item: item[0]):
        yield Page(Output.at(path), source)


def content(renderer: Renderer, page: Page) -> bytes:
    """The file's bytes; an SVG cleaned of scripts (empty when it is not well-formed), since
    the site serves it from its own origin and a reader may open it on its own."""
    source = page.item
    if not isinstance(source, bytes):
        root = renderer.data.root
        assert root is not None  # article_files lists nothing without it
        source = (root / source).read_bytes()
    if page.output.path.lower().endswith(".svg"):
        return clean_svg(source) or b""
    return source


register(PageKind("article-file", pages, text=content, parallel=True))
