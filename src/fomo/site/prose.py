"""An article's body for its page: Markdown (or a notebook) rendered with raw HTML sanitized,
links to other pages of the knowledge base pointed at their built pages, and every local image
or file it names listed for copying into the site.

Files land under `files/` in the site at their path in the knowledge base (`images/a b.png` ->
`files/images/a b.png`, linked as `files/images/a%20b.png`): the layout between files is kept,
and nothing an article names can overwrite a page or an asset of the site itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from markupsafe import escape

from fomo.errors import FomoError
from fomo.kb.articles import ACTIVE_SUFFIXES, candidate_urls
from fomo.kb.articles import resolve as resolve_link
from fomo.kb.location import inside
from fomo.model import Article, KnowledgeBase
from fomo.site import notebook as notebooks
from fomo.site.data import SiteData
from fomo.site.links import article_href, session_href, topic_href
from fomo.site.markdown import LinkRewriter, MarkdownRenderer, Rendered, TopicResolver

FILES = "files"


@dataclass
class ArticleBody:
    rendered: Rendered
    copies: dict[str, str] = field(default_factory=dict)  # site path -> knowledge-base path
    generated: dict[str, bytes] = field(default_factory=dict)  # site path -> bytes (outputs)
    author: str | None = None  # a notebook's own authors (its metadata), when it names them


def page_urls(kb: KnowledgeBase) -> dict[str, str]:
    """Knowledge-base path -> URL (from the site root) of every page built from a file."""
    urls = {t.source.file: topic_href(t.id) for t in kb.topics.values() if t.source.file}
    urls.update({s.source.file: session_href(s) for s in kb.sessions})
    urls.update({a.path: article_href(a) for a in kb.articles})
    return urls


def local_file(root: Path, article_path: str, url: str) -> str | None:
    """The knowledge-base path of the existing file `url` names from the article (never one
    outside the knowledge base, through `..` or a link); None otherwise."""
    target = resolve_link(article_path, url)
    if target is None or target.path.lower().endswith(ACTIVE_SUFFIXES):
        return None
    source = root / target.path
    try:
        inside = source.is_file() and source.resolve().is_relative_to(root.resolve())
    except OSError:
        return None
    return target.path if inside else None


def _rewriter(
    root: Path, article_path: str, pages: dict[str, str], prefix: str, copies: dict[str, str]
) -> LinkRewriter:
    def rewrite(url: str, image: bool, line: int) -> str | None:
        target = resolve_link(article_path, url)
        if target is None:
            return None
        anchor = "#" + quote(target.fragment, safe="-_.~!$&'()*+,;=:@/?") if target.fragment else ""
        if target.page:
            href = pages.get(target.path)
            return None if href is None else prefix + href + anchor
        path = local_file(root, article_path, url)
        if path is None:
            return None  # left as written; `fomo check` names it
        site_path = f"{FILES}/{path}"
        copies[site_path] = path
        return prefix + quote(site_path) + anchor

    return rewrite


def render_article(
    article: Article,
    root: Path,
    markdown: MarkdownRenderer,
    *,
    pages: dict[str, str],
    prefix: str,
    resolve: TopicResolver | None = None,
) -> ArticleBody:
    """The body of `article` (a Markdown article or a notebook part) for its page."""
    copies: dict[str, str] = {}
    rewrite = _rewriter(root, article.path, pages, prefix, copies)
    if not article.path.endswith(".ipynb"):
        rendered = markdown.render(
            article.body, prefix=prefix, resolve=resolve, links=rewrite, drop_title=True
        )
        return ArticleBody(rendered, copies)
    generated: dict[str, bytes] = {}
    stem = article.path.rsplit(".", 1)[0]

    def write(name: str, content: bytes) -> str:
        site_path = f"{FILES}/{stem}_outputs/{name}"
        generated[site_path] = content
        return prefix + quote(site_path)

    if not inside(root, article.path) or not (root / article.path).is_file():
        # `fomo check` names it (bad-article, missing-article)
        name = escape(article.path.rsplit("/", 1)[-1])
        return ArticleBody(
            Rendered(f'<p class="missing">The notebook {name} is not there yet.</p>')
        )
    book = notebooks.read(root, article.path)
    rendered = notebooks.render(
        book, markdown, write=write, prefix=prefix, resolve=resolve, links=rewrite
    )
    rendered.title = book.title or rendered.title
    return ArticleBody(rendered, copies, generated, ", ".join(book.authors) or None)


_ARTICLES: MarkdownRenderer | None = None
_URLS: tuple[SiteData, dict[str, str]] | None = None


def article_body(data: SiteData, article: Article) -> ArticleBody:
    """`render_article` for a page of this build (one renderer and page map per process)."""
    global _ARTICLES, _URLS
    levels = (2, data.config.toc_depth)
    if _ARTICLES is None or _ARTICLES.toc_levels != levels:
        _ARTICLES = MarkdownRenderer(raw_html=True, toc_levels=levels)
    if _URLS is None or _URLS[0] is not data:
        _URLS = (data, page_urls(data.kb))
    root = data.root if data.root is not None else Path(".")
    return render_article(
        article, root, _ARTICLES, pages=_URLS[1], prefix="../../", resolve=data.title
    )


def article_files(data: SiteData) -> dict[str, str | bytes]:
    """Site path -> knowledge-base path (a file to copy) or bytes (a notebook's output), for
    every local file the articles show or link to. Markdown is scanned, not rendered (a
    superset of its links, of which only existing files count); notebooks are rendered."""
    if data.root is None:
        return {}
    found: dict[str, str | bytes] = {}
    for article in data.kb.articles:
        if article.path.endswith(".ipynb"):
            if (data.root / article.path).is_file():
                try:
                    body = article_body(data, article)
                except FomoError:
                    continue  # the article page reports it
                found.update(body.copies)
                found.update(body.generated)
            continue
        for url in candidate_urls(article.body):
            target = resolve_link(article.path, url)
            if target is None or target.page:
                continue
            path = local_file(data.root, article.path, url)
            if path is not None:
                found[f"{FILES}/{path}"] = path
    return found
