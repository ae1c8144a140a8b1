"""Markdown -> safe HTML for topic bodies and articles, compatible with the MkDocs-flavoured
syntax the seed project wrote: `!!! type "title"` admonitions, `???`/`???+` collapsibles (as
`<details>`), ```mermaid fences, `<details markdown>` blocks, Pygments highlighting, heading
ids as MkDocs makes them (`fomo.site.anchors`) with permalinks and a table of contents, and
`[[id]]` links to topics.

Topic bodies: raw HTML is off, so user-written text can never inject markup; the only
HTML-looking syntax accepted is the `<details markdown>` block, parsed by our own block rule.
Articles (`raw_html=True`): raw HTML is allowed and the whole rendered body is then cleaned by
`fomo.site.sanitize` (nh3). Links are only rendered for http(s), mailto and relative targets;
relative ones can be rewritten by a `LinkRewriter` (the article's files and pages).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape as html_unescape
from typing import Any
from urllib.parse import quote

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markupsafe import escape
from mdit_py_plugins.admon import admon_plugin

from fomo.kb.articles import line_of
from fomo.kb.urls import is_web_url
from fomo.site import highlight
from fomo.site.anchors import anchors_rule

_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.\-]*):")
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_DETAILS_OPEN = re.compile(
    r"^<details((?:\s+(?:markdown(?:=[\"']?(?:1|block)[\"']?)?|open(?:=[\"']?[\w-]*[\"']?)?"
    r"|class=[\"'][\w\s-]*[\"']))*)\s*>\s*(<summary>.*</summary>)?\s*$"
)
_DETAILS_CLOSE = re.compile(r"^</details>\s*$")
_SUMMARY = re.compile(r"^<summary>(.*)</summary>\s*$")
_HTML_URL = re.compile(r"""(\b(?:src|href)\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.I)
_DATA_IMAGE = re.compile(r"^data:image/(?:png|gif|jpe?g|webp);", re.I)
_TOPIC_LINK = re.compile(r"\[\[([a-z0-9][a-z0-9\-_]*)(?:\|([^\]\n]+))?\]\]")


def safe_url(url: str | None) -> str | None:
    """The URL if it may become a link (http, https, mailto or relative), else None."""
    if not url:
        return None
    url = url.strip()
    match = _SCHEME.match(url)
    if match:
        return url if match.group(1).lower() in SAFE_SCHEMES else None
    if url.startswith("//") or "\\" in url or any(ord(c) < 32 for c in url):
        return None
    return url


def web_url(url: str | None) -> str | None:
    """Only absolute http(s) URLs: for references, papers and videos written in front matter.
    The rule is `check`'s (`fomo.kb.urls.is_web_url`), so the site links exactly what passes."""
    return url.strip() if url and is_web_url(url) else None


@dataclass
class Rendered:
    html: str
    toc: list[tuple[int, str, str]] = field(default_factory=list)  # (level, anchor, text)
    mermaid: bool = False
    topic_links: set[str] = field(default_factory=set)  # [[ids]] it names, found or not
    title: str | None = None  # the leading H1, taken out of the body (articles)


# A resolver maps a topic id to its title, or None when no such topic exists.
TopicResolver = Callable[[str], "str | None"]
# A rewriter gets a relative URL, whether it is an image, and the 0-based line of the body it
# is written on; it returns the URL to use instead, or None to keep it.
LinkRewriter = Callable[[str, bool, int], "str | None"]


def _details_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """`<details markdown>` ... `</details>` with an optional `<summary>` line, nestable."""
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    first = state.src[state.bMarks[start] + state.tShift[start] : state.eMarks[start]]
    opened = _DETAILS_OPEN.match(first)
    if not opened:
        return False
    if silent:
        return True
    depth, close, line = 1, None, start + 1
    while line < end:
        text = state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]
        if _DETAILS_OPEN.match(text):
            depth += 1
        elif _DETAILS_CLOSE.match(text):
            depth -= 1
            if depth == 0:
                close = line
                break
        line += 1
    stop = close if close is not None else end
    summary, body_start = "Details", start + 1
    if opened.group(2):  # <details markdown><summary>...</summary> on one line
        summary = _SUMMARY.match(opened.group(2)).group(1).strip() or "Details"  # type: ignore[union-attr]
    else:  # the summary may follow blank lines (MkDocs' md_in_html allows it)
        line = body_start
        while line < stop and state.isEmpty(line):
            line += 1
        if line < stop:
            text = state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]
            found = _SUMMARY.match(text)
            if found:
                summary, body_start = found.group(1).strip() or "Details", line + 1
    old_parent, old_max = state.parentType, state.lineMax
    state.parentType = "details"  # type: ignore[assignment]
    state.lineMax = stop
    token = state.push("details_open", "details", 1)
    token.block, token.map = True, [start, stop]
    if re.search(r"\bopen\b", opened.group(1) or ""):
        token.attrSet("open", "")
    state.push("summary_open", "summary", 1)
    inline = state.push("inline", "", 0)
    inline.content, inline.map, inline.children = summary, [start, start + 1], []
    state.push("summary_close", "summary", -1)
    state.md.block.tokenize(state, body_start, stop)
    state.push("details_close", "details", -1).block = True
    state.parentType, state.lineMax = old_parent, old_max
    state.line = stop + 1 if close is not None else stop
    return True


def _topic_link_rule(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("[[", state.pos):
        return False
    found = _TOPIC_LINK.match(state.src, state.pos)
    if not found:
        return False
    if not silent:
        token = state.push("topic_link", "", 0)
        token.meta = {"id": found.group(1), "label": (found.group(2) or "").strip()}
    state.pos = found.end()
    return True


def _collapsible_rule(state: StateCore) -> None:
    """Turn `???` admonitions into <details>/<summary> so they fold without JavaScript."""
    stack: list[bool] = []  # per open admonition: is it collapsible?
    for token in state.tokens:
        if token.type == "admonition_open":
            collapsible = token.markup.startswith("???")
            stack.append(collapsible)
            if collapsible:
                token.tag = "details"
                classes = (token.attrGet("class") or "").split()
                kept = [c for c in classes if not c.startswith("collapsible-")]
                token.attrSet("class", " ".join(kept))
                if token.markup.startswith("???+"):
                    token.attrSet("open", "")
        elif token.type == "admonition_close":
            if stack.pop() if stack else False:
                token.tag = "details"
        elif token.type.startswith("admonition_title") and stack and stack[-1]:
            token.tag = "summary"


def _validate_link(url: str) -> bool:
    return safe_url(url) is not None or bool(_DATA_IMAGE.match(url.strip()))


def _leading_title_rule(state: StateCore) -> None:
    """Take a leading H1 (after comments) out of an article: the page prints the title."""
    if not state.env.get("drop_title"):
        return
    tokens = state.tokens
    first = 0
    while (
        first < len(tokens)
        and tokens[first].type == "html_block"
        and (tokens[first].content.lstrip().startswith("<!--"))
    ):
        first += 1
    if (
        first + 2 < len(tokens)
        and tokens[first].type == "heading_open"
        and tokens[first].tag == "h1"
    ):
        inline = tokens[first + 1]
        state.env["title"] = "".join(
            c.content for c in inline.children or [] if c.type in ("text", "code_inline")
        ).strip()
        del tokens[first : first + 3]


def _local_links_rule(state: StateCore) -> None:
    """Hand every relative link and image source (Markdown and raw HTML) to the rewriter,
    with its line, and note whether the body has raw HTML (it then needs sanitizing)."""
    rewrite: LinkRewriter | None = state.env.get("links")
    if rewrite is None and not state.md.options.get("html"):
        return  # a topic body: no raw HTML, nothing to rewrite
    lines = state.src.splitlines() if rewrite is not None else []

    def html(content: str, span: list[int] | None) -> str:
        state.env["raw"] = True
        if rewrite is None:
            return content

        def one(match: re.Match[str]) -> str:
            url = match.group(2) or match.group(3) or match.group(4) or ""
            plain = html_unescape(url)
            image = match.group(1).lower().startswith("src")
            new = rewrite(plain, image, line_of(lines, span, url))
            return match.group(0) if new is None else f'{match.group(1)}"{escape(new)}"'

        return _HTML_URL.sub(one, content)

    for token in state.tokens:
        if token.type == "html_block":
            token.content = html(token.content, token.map)
        elif token.type == "inline":
            for child in token.children or []:
                if child.type == "html_inline":
                    child.content = html(child.content, token.map)
                elif rewrite is not None and child.type in ("link_open", "image"):
                    attr = "src" if child.type == "image" else "href"
                    url = str(child.attrGet(attr) or "")
                    if url and not _SCHEME.match(url) and not url.startswith("#"):
                        new = rewrite(url, child.type == "image", line_of(lines, token.map, url))
                        if new is not None:
                            child.attrSet(attr, new)


class MarkdownRenderer:
    """One configured markdown-it instance, reused for every page (building it is the slow bit).

    `raw_html` allows raw HTML (articles; the result is sanitized), `toc_levels` are the
    heading levels listed in the table of contents (MkDocs' `toc_depth`)."""

    def __init__(self, *, raw_html: bool = False, toc_levels: tuple[int, int] = (2, 4)) -> None:
        md = MarkdownIt("commonmark", {"html": raw_html, "linkify": False, "typographer": False})
        md.enable(["table", "strikethrough"])
        md.use(admon_plugin)
        md.block.ruler.before(
            "fence", "fomo_details", _details_rule, {"alt": ["paragraph", "blockquote", "list"]}
        )
        md.inline.ruler.before("link", "topic_link", _topic_link_rule)
        md.core.ruler.push("fomo_collapsible", _collapsible_rule)
        md.core.ruler.push("fomo_title", _leading_title_rule)
        md.core.ruler.push("fomo_anchors", anchors_rule)
        md.core.ruler.push("fomo_local_links", _local_links_rule)
        md.validateLink = _validate_link  # type: ignore[method-assign]
        md.add_render_rule("fence", self._fence)
        md.add_render_rule("code_block", self._fence)
        md.add_render_rule("topic_link", self._topic_link)
        md.add_render_rule("link_open", self._link_open)
        md.add_render_rule("heading_close", self._heading_close)
        self.md = md
        self.raw_html = raw_html
        self.toc_levels = toc_levels

    def render(
        self,
        text: str,
        *,
        prefix: str = "",
        resolve: TopicResolver | None = None,
        links: LinkRewriter | None = None,
        drop_title: bool = False,
    ) -> Rendered:
        """HTML for `text`; `prefix` leads from the page to the site root (e.g. "../").
        `links` rewrites relative URLs; `drop_title` takes a leading H1 out (into `title`)."""
        env: dict[str, Any] = {
            "prefix": prefix,
            "resolve": resolve,
            "mermaid": False,
            "ids": set(),
            "links": links,
            "drop_title": drop_title,
        }
        tokens = self.md.parse(text, env)
        low, high = self.toc_levels
        toc: list[tuple[int, str, str]] = []
        for token in tokens:
            if token.type == "heading_open" and low <= int(token.tag[1]) <= high:
                toc.append((int(token.tag[1]), str(token.attrGet("id")), token.meta["text"]))
        html = self.md.renderer.render(tokens, self.md.options, env)
        if env.get("raw"):
            from fomo.site.sanitize import clean  # it needs safe_url from here

            html = clean(html)
        return Rendered(html, toc, bool(env["mermaid"]), env["ids"], env.get("title"))

    @staticmethod
    def _heading_close(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
        anchor = escape(tokens[idx].meta.get("id") or "")
        # Out of the search index: Pagefind would show "Overview #" as the section's title.
        link = (
            f' <a class="header-anchor" href="#{anchor}" data-pagefind-ignore>#</a>'
            if anchor
            else ""
        )
        return f"{link}</{tokens[idx].tag}>\n"

    @staticmethod
    def _fence(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
        token = tokens[idx]
        language = (token.info or "").strip().split(maxsplit=1)[0] if token.info else ""
        code = token.content
        if language.lower() == "mermaid":
            env["mermaid"] = True
            return f'<pre class="mermaid">{escape(code)}</pre>\n'
        return highlight.block(code, language)

    @staticmethod
    def _topic_link(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
        meta = tokens[idx].meta
        topic_id, label = meta["id"], meta["label"]
        resolve = env.get("resolve")
        title = resolve(topic_id) if resolve else None
        env["ids"].add(topic_id)  # missing too: the page changes when the topic appears
        if title is None:
            return f'<span class="topic-link missing">{escape(label or topic_id)}</span>'
        href = f"{env.get('prefix', '')}topics/{quote(topic_id)}.html"
        return f'<a class="topic-link" href="{escape(href)}">{escape(label or title)}</a>'

    @staticmethod
    def _link_open(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
        token = tokens[idx]
        href = str(token.attrGet("href") or "")
        if _SCHEME.match(href) and not href.startswith("mailto:"):
            token.attrSet("rel", "noopener noreferrer")
        return self.renderToken(tokens, idx, options, env)  # type: ignore[no-any-return]
