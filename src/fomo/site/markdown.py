"""Markdown -> safe HTML for topic bodies and articles, compatible with the MkDocs-flavoured
syntax the seed project wrote: `!!! type "title"` admonitions, `???`/`???+` collapsibles (as
`<details>`), ```mermaid fences, `<details markdown>` blocks, Pygments highlighting, heading
permalinks with a table of contents, and `[[id]]` links to topics.

Raw HTML is off: user-written text can never inject markup. The only HTML-looking syntax we
accept is the `<details markdown>` block, parsed by our own block rule into real elements.
Links are only rendered for http(s), mailto and relative targets.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markupsafe import escape
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.anchors import anchors_plugin
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from fomo.kb.urls import is_web_url

_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.\-]*):")
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_DETAILS_OPEN = re.compile(r"^<details(?:\s+markdown(?:=\"?(?:1|block)\"?)?)?(\s+open)?\s*>\s*$")
_DETAILS_CLOSE = re.compile(r"^</details>\s*$")
_SUMMARY = re.compile(r"^<summary>(.*)</summary>\s*$")
_TOPIC_LINK = re.compile(r"\[\[([a-z0-9][a-z0-9\-_]*)(?:\|([^\]\n]+))?\]\]")
_FORMATTER = HtmlFormatter(nowrap=True)


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
    topic_links: set[str] = field(default_factory=set)


# A resolver maps a topic id to its title, or None when no such topic exists.
TopicResolver = Callable[[str], "str | None"]


@lru_cache(maxsize=256)
def _lexer(name: str) -> Any:
    try:
        return get_lexer_by_name(name)
    except ClassNotFound:
        return None


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
    if body_start < stop:
        text = state.src[
            state.bMarks[body_start] + state.tShift[body_start] : state.eMarks[body_start]
        ]
        found = _SUMMARY.match(text)
        if found:
            summary, body_start = found.group(1).strip() or "Details", body_start + 1
    old_parent, old_max = state.parentType, state.lineMax
    state.parentType = "details"  # type: ignore[assignment]
    state.lineMax = stop
    token = state.push("details_open", "details", 1)
    token.block, token.map = True, [start, stop]
    if opened.group(1):
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
    return safe_url(url) is not None


class MarkdownRenderer:
    """One configured markdown-it instance, reused for every page (building it is the slow bit)."""

    def __init__(self) -> None:
        md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
        md.enable(["table", "strikethrough"])
        md.use(admon_plugin)
        md.use(anchors_plugin, min_level=2, max_level=4, permalink=True, permalinkSymbol="#")
        md.block.ruler.before(
            "fence", "fomo_details", _details_rule, {"alt": ["paragraph", "blockquote", "list"]}
        )
        md.inline.ruler.before("link", "topic_link", _topic_link_rule)
        md.core.ruler.push("fomo_collapsible", _collapsible_rule)
        md.validateLink = _validate_link  # type: ignore[method-assign]
        md.add_render_rule("fence", self._fence)
        md.add_render_rule("code_block", self._fence)
        md.add_render_rule("topic_link", self._topic_link)
        md.add_render_rule("link_open", self._link_open)
        self.md = md

    def render(
        self, text: str, *, prefix: str = "", resolve: TopicResolver | None = None
    ) -> Rendered:
        """HTML for `text`; `prefix` leads from the page to the site root (e.g. "../")."""
        env: dict[str, Any] = {"prefix": prefix, "resolve": resolve, "mermaid": False, "ids": set()}
        tokens = self.md.parse(text, env)
        toc: list[tuple[int, str, str]] = []
        for position, token in enumerate(tokens):
            if token.type == "heading_open" and token.attrGet("id"):
                inline = tokens[position + 1]
                plain = "".join(
                    child.content
                    for child in inline.children or []
                    if child.type in ("text", "code_inline")
                )
                toc.append((int(token.tag[1]), str(token.attrGet("id")), plain.strip()))
        html = self.md.renderer.render(tokens, self.md.options, env)
        return Rendered(html, toc, bool(env["mermaid"]), env["ids"])

    @staticmethod
    def _fence(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
        token = tokens[idx]
        language = (token.info or "").strip().split(maxsplit=1)[0] if token.info else ""
        code = token.content
        if language.lower() == "mermaid":
            env["mermaid"] = True
            return f'<pre class="mermaid">{escape(code)}</pre>\n'
        lexer = _lexer(language.lower()) if language else None
        body = highlight(code, lexer, _FORMATTER) if lexer is not None else str(escape(code))
        label = f' class="language-{escape(language)}"' if language else ""
        return f'<div class="highlight"><pre><code{label}>{body}</code></pre></div>\n'

    @staticmethod
    def _topic_link(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
        meta = tokens[idx].meta
        topic_id, label = meta["id"], meta["label"]
        resolve = env.get("resolve")
        title = resolve(topic_id) if resolve else None
        if title is None:
            return f'<span class="topic-link missing">{escape(label or topic_id)}</span>'
        env["ids"].add(topic_id)
        href = f"{env.get('prefix', '')}topics/{quote(topic_id)}.html"
        return f'<a class="topic-link" href="{escape(href)}">{escape(label or title)}</a>'

    @staticmethod
    def _link_open(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
        token = tokens[idx]
        href = str(token.attrGet("href") or "")
        if _SCHEME.match(href) and not href.startswith("mailto:"):
            token.attrSet("rel", "noopener noreferrer")
        return self.renderToken(tokens, idx, options, env)  # type: ignore[no-any-return]


def pygments_css() -> str:
    """Highlighting colours for light and dark schemes (no inline styles in the HTML)."""
    light = HtmlFormatter(style="friendly").get_style_defs(".highlight")
    dark = HtmlFormatter(style="monokai").get_style_defs(".highlight")
    return f"{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n"
