"""Markdown rendering: MkDocs-flavoured syntax, highlighting, topic links and safety."""

from __future__ import annotations

import pytest

from fomo.kb.urls import is_web_url
from fomo.site.markdown import MarkdownRenderer, safe_url, web_url

R = MarkdownRenderer()


def render(text: str, **kwargs: object):
    return R.render(text, **kwargs)  # type: ignore[arg-type]


def test_admonition_has_title_and_type() -> None:
    html = render('!!! tip "Key <b>idea</b>"\n    Body *here*.\n').html
    assert '<div class="admonition tip">' in html
    assert "Key &lt;b&gt;idea&lt;/b&gt;" in html
    assert "<em>here</em>" in html


def test_collapsible_becomes_details_closed_or_open() -> None:
    closed = render('??? note "More"\n    hidden\n').html
    assert closed.startswith('<details class="admonition note')
    assert '<summary class="admonition-title">More</summary>' in closed
    assert " open" not in closed.split(">")[0]
    opened = render("???+ warning\n    shown\n").html
    assert 'open=""' in opened.split(">")[0]


def test_details_markdown_block_parses_inner_markdown() -> None:
    html = render("<details markdown>\n<summary>Sum *x*</summary>\nIn **bold**\n</details>\n").html
    assert "<details>" in html and "<summary>Sum <em>x</em></summary>" in html
    assert "<strong>bold</strong>" in html


def test_mermaid_fence_is_marked_and_escaped() -> None:
    out = render("```mermaid\ngraph LR; A-->B</pre><script>\n```\n")
    assert out.mermaid
    assert '<pre class="mermaid">graph LR; A--&gt;B&lt;/pre&gt;&lt;script&gt;' in out.html


def test_code_is_highlighted_with_classes() -> None:
    html = render('```python\nprint("<x>")\n```\n').html
    assert 'class="language-python"' in html and '<span class="nb">print</span>' in html
    assert "&lt;x&gt;" in html


def test_headings_get_permalinks_and_toc() -> None:
    out = render("## First part\n\n### Sub `code`\n")
    assert '<h2 id="first-part">' in out.html and 'href="#first-part"' in out.html
    assert out.toc == [(2, "first-part", "First part"), (3, "sub-code", "Sub code")]


def test_topic_links_resolve_or_show_as_missing() -> None:
    out = render(
        "See [[dpo]], [[dpo|the method]] and [[nope]].",
        prefix="../",
        resolve=lambda i: "DPO <b>" if i == "dpo" else None,
    )
    assert '<a class="topic-link" href="../topics/dpo.html">DPO &lt;b&gt;</a>' in out.html
    assert ">the method</a>" in out.html
    assert '<span class="topic-link missing">nope</span>' in out.html
    assert out.topic_links == {"dpo"}


def test_raw_html_and_unsafe_links_never_render() -> None:
    html = render(
        "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)> "
        "[a](javascript:alert(1)) [b](data:text/html,x) [c](vbscript:x) [d](https://ok.org)"
    ).html
    assert "<script" not in html and "<img" not in html
    assert 'href="javascript' not in html and 'href="data' not in html and 'vbscript:x"' not in html
    assert '<a href="https://ok.org" rel="noopener noreferrer">d</a>' in html


def test_url_filters() -> None:
    assert safe_url("https://a.org") and safe_url("../x.html") and safe_url("mailto:a@b.c")
    for bad in ("javascript:alert(1)", " JavaScript:x", "data:x", "//evil.org", "file:///etc"):
        assert safe_url(bad) is None
    assert web_url("../x.html") is None and web_url("http://a.org") == "http://a.org"


@pytest.mark.parametrize(
    "url",
    [
        "https://a.org/x",
        "HTTPS://A.ORG",
        "  http://a.org/  ",
        "http:a.org",  # no host: `check` refuses it, so the site must not link it
        "https://",
        "https://a.org/x y",
        "https://a.org/\x07",
        "//a.org",
        "mailto:a@b.c",
        "javascript:alert(1)",
        "../x.html",
        "",
    ],
)
def test_web_url_follows_the_one_link_rule(url: str) -> None:
    assert (web_url(url) is not None) == is_web_url(url)
    if web_url(url) is not None:
        assert web_url(url) == url.strip()
