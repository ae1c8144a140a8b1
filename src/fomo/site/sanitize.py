"""Raw HTML in articles, made safe with nh3 (the Python binding of Rust's ammonia).

Articles written for MkDocs use raw HTML (`<p align="center"><img ...></p>`, `<center>`,
`<br>`, `<details>`, comments). An article's rendered body is cleaned as one fragment, so a tag
left open cannot leak into the page around it. The allowlist keeps what documentation uses and
drops scripts, event handlers, frames, forms, `style` beyond sizes on images, unknown classes
(a site class could cover the page) and every URL scheme but http(s), mailto, relative and, on
images, `data:image/` rasters. Topic bodies never get here: their renderer refuses raw HTML.
"""

from __future__ import annotations

import re

import nh3
from pygments.token import STANDARD_TYPES

from fomo.site.markdown import safe_url

TAGS = frozenset(
    "a abbr b blockquote br caption center cite code col colgroup dd del details div dl dt em "
    "figcaption figure h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q s samp small span "
    "strong sub summary sup table tbody td tfoot th thead tr u ul var wbr".split()
)
# Dropped with everything inside them (other unknown tags lose the tag and keep the text).
DROPPED = frozenset(
    "script style iframe object embed form template noscript textarea select button frame "
    "frameset".split()
)
_ALIGNED = ("p", "div", "center", "table", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6")
ATTRIBUTES: dict[str, set[str]] = {
    "*": {"title", "lang", "dir", "id"},
    "a": {"href", "name", "class", "data-pagefind-ignore"},  # ours on a heading's permalink
    "img": {"src", "alt", "width", "height", "style", "align"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start", "type"},
    "details": {"open"},
    "code": {"class"},
    "pre": {"class"},
    "span": {"class"},
    "div": {"class", "align"},
    "p": {"class", "align"},
    **{tag: {"align"} for tag in _ALIGNED if tag not in ("p", "div", "td", "th")},
}
SIZES = {"width", "height", "max-width", "max-height", "min-width", "min-height"}
# Classes our own renderer writes; any other class is dropped.
CLASSES = frozenset(
    "admonition admonition-title highlight mermaid topic-link missing header-anchor note "
    "abstract summary tldr info todo tip hint important success check done question help faq "
    "warning caution attention failure fail danger error bug example quote cite notebook-cell "
    "nb-input nb-output nb-stream nb-error nb-html nb-prompt".split()
) | {name for name in STANDARD_TYPES.values() if name}
_LANGUAGE = re.compile(r"^language-[\w+#.-]{1,40}$")
_DATA_IMAGE = re.compile(r"^data:image/(?:png|gif|jpe?g|webp);base64,[a-z0-9+/=\s]+$", re.I)


def _attribute(element: str, name: str, value: str) -> str | None:
    if name == "class":
        kept = [c for c in value.split() if c in CLASSES or _LANGUAGE.match(c)]
        return " ".join(kept) or None
    if name == "href":
        return safe_url(value)
    if name == "src":
        return value if _DATA_IMAGE.match(value.strip()) else safe_url(value)
    return value


_CLEANER = nh3.Cleaner(
    tags=set(TAGS),
    clean_content_tags=set(DROPPED),
    attributes=ATTRIBUTES,
    attribute_filter=_attribute,
    strip_comments=True,
    link_rel="noopener noreferrer",
    url_schemes={"http", "https", "mailto", "data"},
    filter_style_properties=SIZES,
)


def clean(html: str) -> str:
    """The fragment with only the allowlisted tags, attributes and URLs left."""
    return _CLEANER.clean(html)


# Files an article links to are served from the site's own origin: a file a browser would run
# (a page, a script) is never copied (`fomo.kb.articles.ACTIVE_SUFFIXES`, a check finding), and
# an SVG (an image that may carry scripts when opened on its own) only after cleaning.
_SVG_DROPPED = {"script", "foreignObject", "iframe", "object", "embed", "handler", "listener"}


def clean_svg(data: bytes) -> bytes | None:
    """The SVG without scripts, foreign objects, event handlers, `javascript:`/`data:` links
    or external style sheets; None when it is not well-formed (or abuses XML entities).

    Written here because nh3 cleans HTML only; parsing goes through defusedxml."""
    from xml.etree.ElementTree import register_namespace, tostring

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        root = fromstring(data)
    except (ParseError, DefusedXmlException, ValueError):
        return None
    if root.tag.rsplit("}", 1)[-1] != "svg":
        return None
    register_namespace("", "http://www.w3.org/2000/svg")
    register_namespace("xlink", "http://www.w3.org/1999/xlink")
    for parent in list(root.iter()):
        for child in list(parent):
            if not isinstance(child.tag, str) or child.tag.rsplit("}", 1)[-1] in _SVG_DROPPED:
                parent.remove(child)
    for element in root.iter():
        for name in list(element.attrib):
            local = name.rsplit("}", 1)[-1].lower()
            value = element.attrib[name].strip().lower()
            if local.startswith("on") or (
                local == "href" and not (value.startswith("#") or safe_url(value))
            ):
                del element.attrib[name]
    return tostring(root, encoding="utf-8", xml_declaration=True)
