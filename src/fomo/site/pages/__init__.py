"""The registry of page kinds: everything the site is made of, one declaration per kind.

A page kind says which pages exist (`pages`: one `Page` per output file, each with an
`Output(path, url)`), how a page is rendered (`template` plus `context`, or `text` for files
that are not HTML templates), which topics a page depends on (`depends`, for incremental
rebuilds in `fomo serve`), and whether its pages are listed in the sitemap and the site
navigation. The builder (`fomo.site.build`) knows nothing about any kind in particular.

How to add a page kind (one registration):

1. Write a module in this package, e.g. `pages/api.py` (every module here is imported, in
   alphabetical order, when the registry is first used), or add to an existing one.
2. Register the kind::

       import json

       from fomo.site.links import Output
       from fomo.site.pages import Page, PageKind, register

       def pages(data):                        # data: fomo.site.data.SiteData
           for topic in data.order:            # one page per topic, in map order
               yield Page(Output.at(f"api/topics/{topic.id}.json"), topic)

       def text(renderer, page):               # renderer: fomo.site.renderer.Renderer
           topic = page.item
           return json.dumps({"id": topic.id, "path": renderer.data.path_ids[topic.id]})

       register(PageKind("api-topic", pages, text=text,
                         depends=lambda data, page: data.near(page.item.id), parallel=True))

   `Output(path, url)`: `path` is the file under the output folder (Unicode, `/`), `url` the
   link to it from the site's root (percent-encoded); `Output.at(path)` encodes the path.
   `text` returns the file's text (or bytes, for a copied file); for HTML, give
   `template="x.html"` and `context=lambda renderer, page: {...}` instead: the template gets
   `page` (`page.root` to prefix links, `page.config`, `page.nav`) and the globals
   `topic_href`, `session_href`, `article_href`; Markdown goes through `renderer.markdown(text,
   prefix)`, which records the topics it links for rebuilds. `depends=None` (the default)
   re-renders the kind's pages on every rebuild; otherwise it returns the topic ids (and
   "@sessions", "@articles", "@outline") whose change can alter the page; `site_wide` suits a
   listing that shows the whole map but no topic's text. `sitemap=True`
   lists its pages in sitemap.xml; `nav="Label"` puts its (first) page in `page.nav`;
   `parallel=True` for a page per topic, session or article (big builds render those in
   worker processes); `searchable=True` when its pages carry `data-pagefind-body`
   (Pagefind, run once the site is written, reads only their folders). Two kinds writing one
   path fail the build.
3. Test it through a build (tests/site/test_pages.py shows one); the golden build test then
   fails on purpose: pin the new hash printed by `.venv/bin/python -m tests.site.test_golden`.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fomo.site.links import Output

if TYPE_CHECKING:
    from fomo.site.data import SiteData
    from fomo.site.renderer import Renderer

# Pseudo-topics a page may depend on: any change to the sessions, to the articles, and to the
# topics other than the text of one's body (only its own page shows that; whether it has a text
# at all counts as an outline change, since the contribution board counts them).
SESSIONS = "@sessions"
ARTICLES = "@articles"
OUTLINE = "@outline"
SITE_WIDE = frozenset({OUTLINE, SESSIONS, ARTICLES})


def site_wide(data: SiteData, page: Page) -> frozenset[str]:
    """The `depends` of a page that shows the whole map but never a topic's text: editing
    that text (what `fomo serve` sees most) leaves it as it is."""
    return SITE_WIDE


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a kind: where it goes, and the thing it shows (a topic, a session, ...)."""

    output: Output
    item: Any = None


@dataclass(frozen=True)
class PageKind:
    name: str
    pages: Callable[[SiteData], Iterable[Page]]
    template: str | None = None
    context: Callable[[Renderer, Page], dict[str, Any]] | None = None
    text: Callable[[Renderer, Page], str | bytes] | None = None  # bytes: a copied file
    depends: Callable[[SiteData, Page], Iterable[str]] | None = None
    sitemap: bool = False
    nav: str | None = None  # the label of its (single) page in the site navigation
    parallel: bool = False
    searchable: bool = False  # its pages carry data-pagefind-body

    def __post_init__(self) -> None:
        if (self.template is None) == (self.text is None):
            raise ValueError(f"page kind {self.name!r}: give a template or a text function")


REGISTRY: dict[str, PageKind] = {}  # name -> kind
# name -> (registering module, registration number): the build's order of kinds, the same
# whichever page module happened to be imported first
_ORDER: dict[str, tuple[str, int]] = {}
_loaded = False


def register(kind: PageKind) -> PageKind:
    """Add a kind to the site; a second kind with the same name is a programming error."""
    if kind.name in REGISTRY:
        raise ValueError(f"page kind {kind.name!r} is registered twice")
    module = sys._getframe(1).f_globals.get("__name__", "")
    _ORDER[kind.name] = (module, len(_ORDER))
    REGISTRY[kind.name] = kind
    return kind


def kinds() -> list[PageKind]:
    """Every registered kind: by the module that registered it (this package's modules
    alphabetically), then in the order each module registers its kinds."""
    global _loaded
    if not _loaded:
        _loaded = True
        for module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
            importlib.import_module(f"{__name__}.{module}")
    last = ("\uffff", 0)  # a kind put in REGISTRY by hand (a test) comes after the others
    return sorted(REGISTRY.values(), key=lambda kind: _ORDER.get(kind.name, last))


def kind(name: str) -> PageKind:
    kinds()
    return REGISTRY[name]
