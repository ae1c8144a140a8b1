"""Turns one `Page` of a registered kind into its text: the Jinja environment (with the
knowledge base's own `templates/` folder in front of ours), the Markdown renderer with its
cache, and what a page was found to depend on while rendering (the topics its Markdown links
to, whether it has diagrams).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape

from fomo.site.config import SiteConfig
from fomo.site.data import SiteData
from fomo.site.links import Output, article_href, session_href, short, topic_href
from fomo.site.markdown import MarkdownRenderer, Rendered, web_url
from fomo.site.pages import Page, PageKind

TEMPLATES = Path(__file__).resolve().parent / "templates"
OVERRIDES = "templates"  # a folder next to map/ whose files replace ours by name
MD_CACHE = 20000


@dataclass(frozen=True, slots=True)
class PageVars:
    """What every template sees as `page`: an object, not a dict, since Jinja tries an
    attribute before a key and a dict's miss raises (a topic page reads `page.root` some 25
    times)."""

    url: str
    root: str  # the prefix from this page to the site's root
    config: SiteConfig
    nav: list[tuple[str, str]]
    has_mermaid_js: bool


@dataclass(frozen=True, slots=True)
class RenderedPage:
    output: Output
    text: str | bytes
    links: frozenset[str]  # topic ids its Markdown links to
    diagrams: bool  # it has Mermaid diagrams


def environment(kb_root: Path | None) -> Environment:
    """Our templates, behind the knowledge base's `templates/` folder when it has one (as
    MkDocs' `custom_dir`): a file there with the name of one of ours replaces it."""
    folders = [str(TEMPLATES)]
    if kb_root is not None and (kb_root / OVERRIDES).is_dir():
        folders.insert(0, str(kb_root / OVERRIDES))
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(folder) for folder in folders]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters["web_url"] = web_url
    env.filters["short"] = short
    env.globals["topic_href"] = topic_href
    env.globals["session_href"] = session_href
    env.globals["article_href"] = article_href
    return env


class Renderer:
    """Renders pages of one build's `SiteData`; one per build (workers inherit it by fork)."""

    def __init__(
        self,
        data: SiteData,
        kb_root: Path | None,
        *,
        nav: list[tuple[str, str]],
        has_mermaid_js: bool = False,
    ) -> None:
        self.data = data
        self.env = environment(kb_root)
        self.nav = nav
        self.has_mermaid_js = has_mermaid_js
        self.markdown_renderer = MarkdownRenderer()
        self._templates: dict[str, Any] = {}
        self._md_cache: dict[tuple[str, str], Rendered] = {}
        self._links: set[str] = set()
        self._diagrams = False

    def use(self, data: SiteData, changed: set[str] | None = None) -> None:
        """Render from `data` from now on (a rebuild). Markdown that links a `changed` topic
        (all, when None) is rendered afresh, since its links show the old titles."""
        self.data = data
        if changed is None:
            self._md_cache.clear()
            return
        for key in [k for k, r in self._md_cache.items() if not changed.isdisjoint(r.topic_links)]:
            del self._md_cache[key]

    def prepare(self, names: list[str]) -> None:
        """Compile templates before forking, so that workers do not each compile them."""
        for name in names:
            self._template(name)

    def render(self, kind: PageKind, page: Page) -> RenderedPage:
        self._links = set()
        self._diagrams = False
        if kind.template is not None:
            context = kind.context(self, page) if kind.context else {}
            text = self.template(kind.template, page.output, **context)
        else:
            assert kind.text is not None
            text = kind.text(self, page)
        return RenderedPage(page.output, text, frozenset(self._links), self._diagrams)

    def template(self, name: str, output: Output, **context: Any) -> str:
        data = self.data
        depth = output.path.count("/")
        page = PageVars(
            url=output.url,
            root=(data.config.base_url or "/") if output.path == "404.html" else "../" * depth,
            config=data.config,
            nav=self.nav,
            has_mermaid_js=self.has_mermaid_js,
        )
        return self._template(name).render(page=page, **context)

    def markdown(self, text: str, prefix: str) -> Rendered:
        """Markdown as HTML for the page being rendered, whose links are relative to `prefix`."""
        key = (text, prefix)
        rendered = self._md_cache.get(key)
        if rendered is None:
            rendered = self.markdown_renderer.render(text, prefix=prefix, resolve=self.data.title)
            if len(self._md_cache) < MD_CACHE:
                self._md_cache[key] = rendered
        self._links.update(rendered.topic_links)
        return rendered

    def links_to(self, topic_ids: set[str]) -> None:
        """The page being rendered links these topics (Markdown rendered outside `markdown`)."""
        self._links.update(topic_ids)

    def uses_diagrams(self) -> None:
        """The page being rendered draws Mermaid diagrams (a warning when Mermaid is missing)."""
        self._diagrams = True

    def _template(self, name: str) -> Any:
        compiled = self._templates.get(name)
        if compiled is None:
            compiled = self._templates[name] = self.env.get_template(name)
        return compiled
