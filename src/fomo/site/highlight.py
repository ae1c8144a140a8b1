"""Code blocks as HTML: highlighted by Pygments now, or marked to be highlighted later.

Why later: a build with search writes its searchable pages first and Pagefind then reads them
on one core while the build goes on with the rest on the other. Pygments was a third of the
CPU those pages cost, and Pagefind indexes a page's text, which colouring does not change. So
a build writes them with plain code blocks (`deferred`), starts Pagefind, and then colours the
blocks in place (`fill`) while Pagefind runs. `fill(deferred(...))` is byte for byte the block
`block` writes (a test holds it to that).

Only this module writes the marker attribute, and only into pages whose Markdown has raw HTML
off (topic bodies), so an author cannot forge one: text that looks like it arrives escaped.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import unescape
from typing import Any

from markupsafe import escape
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

_FORMATTER = HtmlFormatter(nowrap=True)
MARKER = "data-highlight-later"
_DEFERRED = re.compile(
    rf'<div class="highlight"><pre><code class="language-([^"]*)" {MARKER}>([^<]*)'
    r"</code></pre></div>\n"
)


@lru_cache(maxsize=256)
def _lexer(name: str) -> Any:
    try:
        return get_lexer_by_name(name)
    except ClassNotFound:
        return None


def _wrap(body: str, language: str, attributes: str = "") -> str:
    label = f' class="language-{escape(language)}"' if language else ""
    return f'<div class="highlight"><pre><code{label}{attributes}>{body}</code></pre></div>\n'


def block(code: str, language: str) -> str:
    """A fenced code block, coloured when Pygments knows `language`."""
    lexer = _lexer(language.lower()) if language else None
    body = highlight(code, lexer, _FORMATTER) if lexer is not None else str(escape(code))
    return _wrap(body, language)


def deferred(code: str, language: str) -> tuple[str, bool]:
    """The block with its code plain and a marker for `fill`, and whether it has one (code
    Pygments cannot colour is final as it is)."""
    if not language or _lexer(language.lower()) is None:
        return block(code, language), False
    return _wrap(str(escape(code)), language, f" {MARKER}"), True


def fill(html: str) -> str:
    """`html` with every `deferred` block coloured, as `block` writes it."""
    return _DEFERRED.sub(lambda m: block(unescape(m[2]), unescape(m[1])), html)


def pygments_css() -> str:
    """Highlighting colours for light and dark schemes (no inline styles in the HTML)."""
    light = HtmlFormatter(style="friendly").get_style_defs(".highlight")
    dark = HtmlFormatter(style="monokai").get_style_defs(".highlight")
    return f"{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n"
