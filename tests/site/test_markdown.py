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
    assert out.topic_links == {"dpo", "nope"}  # a missing one too: redrawn when it appears


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


ARTICLE_R = MarkdownRenderer(raw_html=True)


def test_details_summary_after_blank_lines_and_on_the_opening_line() -> None:
    html = render("<details markdown>\n\n<summary>References</summary>\n\n- one\n</details>\n").html
    assert "<summary>References</summary>" in html and "Details" not in html
    assert "<li>one</li>" in html and "&lt;summary" not in html
    same_line = render("<details markdown><summary>Read *more*</summary>\n\nx\n</details>\n").html
    assert "<summary>Read <em>more</em></summary>" in same_line


def test_details_open_attribute_in_any_order() -> None:
    assert "<details open" in render("<details open markdown>\nx\n</details>\n").html


def test_leading_h1_is_taken_out_as_the_title() -> None:
    out = ARTICLE_R.render("<!-- c -->\n# The *Title*\n\nText\n\n# Later\n", drop_title=True)
    assert out.title == "The Title" and out.html.count("<h1") == 1 and "Later" in out.html
    kept = ARTICLE_R.render("# The Title\n\nText\n")
    assert kept.title is None and "<h1" in kept.html


def test_heading_ids_follow_mkdocs_toc() -> None:
    out = render(
        "## 🚀 Launch plan\n\n## [Linked](https://a.org) `code` part\n\n## Launch plan\n\n"
        "##### Deep one\n\n## !!!\n\n## :material-school: Study at 10:30\n"
    )
    assert '<h2 id="launch-plan">' in out.html
    assert '<h2 id="linked-code-part">' in out.html
    assert '<h2 id="launch-plan_1">' in out.html
    assert '<h5 id="deep-one">' in out.html  # every level gets an id, as in MkDocs
    assert '<h2 id="_1">' in out.html  # an empty slug, as toc makes it
    assert '<h2 id="study-at-1030">' in out.html  # an icon shortcode has no text
    assert [a for _, a, _ in out.toc][:4] == [
        "launch-plan",
        "linked-code-part",
        "launch-plan_1",
        "_1",
    ]


def test_toc_levels_follow_toc_depth() -> None:
    out = MarkdownRenderer(toc_levels=(2, 2)).render("## A\n\n### B\n")
    assert [a for _, a, _ in out.toc] == ["a"] and '<h3 id="b">' in out.html


def test_article_raw_html_kept_and_sanitized() -> None:
    html = ARTICLE_R.render(
        '<p align="center"><img src="a.png" width="200" style="position:fixed;width:20px"></p>\n\n'
        "Line<br>break <kbd>Ctrl</kbd> H<sub>2</sub>O\n\n<hr>\n\n"
        '<img src=x onerror=alert(1)> <a href="javascript:alert(1)">j</a>\n\n'
        "<script>alert(1)</script>\n\n<svg onload=alert(1)></svg>\n\n"
        '<iframe src="https://a.org"></iframe>\n'
    ).html
    assert '<p align="center"><img src="a.png" width="200" style="width:20px"></p>' in html
    assert "<br>" in html and "<kbd>Ctrl</kbd>" in html and "<sub>2</sub>" in html
    assert "<hr>" in html and "&lt;" not in html
    for bad in ("onerror", "javascript:", "<script", "alert(1)", "<svg", "onload", "<iframe"):
        assert bad not in html


def test_comments_vanish_also_after_a_table_in_center() -> None:
    html = ARTICLE_R.render(
        "<center>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n<!-- note -->\n</center>\n\n<!-- x -->\n"
    ).html
    assert "note" not in html and "<!--" not in html and "&lt;" not in html
    assert html.count("<tr>") == 2 and "<center>" in html


def test_topic_bodies_still_refuse_raw_html() -> None:
    assert "&lt;center&gt;" in render("<center>x</center>\n").html


def test_local_links_go_through_the_rewriter_with_their_lines() -> None:
    seen: list[tuple[str, bool, int]] = []

    def rewrite(url: str, image: bool, line: int) -> str | None:
        seen.append((url, image, line))
        return "new/" + url if image else None

    html = ARTICLE_R.render(
        "[p](other.md#x) [w](https://a.org) [s](#here)\n\n![i](img/a%20b.png)\n\n"
        '<img src="pic.png">\n\n```\n![no](code.png)\n```\n',
        links=rewrite,
    ).html
    assert seen == [("other.md#x", False, 0), ("img/a%20b.png", True, 2), ("pic.png", True, 4)]
    assert 'src="new/img/a%20b.png"' in html and 'src="new/pic.png"' in html
    assert 'href="other.md#x"' in html


def test_mermaid_keeps_the_source_with_br_labels() -> None:
    out = ARTICLE_R.render("```mermaid\ngraph LR\n  A[one<br>two] --> B\n```\n")
    assert out.mermaid and "A[one&lt;br&gt;two] --&gt; B" in out.html


def test_clean_svg_drops_scripts_handlers_and_bad_links() -> None:
    from fomo.site.sanitize import clean_svg

    svg = clean_svg(
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
        b' onload="alert(1)"><script>alert(2)</script><a xlink:href="javascript:alert(3)">'
        b'<circle r="4" onclick="x"/></a><foreignObject><div>x</div></foreignObject>'
        b'<use href="#c"/></svg>'
    )
    assert svg is not None
    for bad in (b"alert", b"onload", b"onclick", b"script", b"foreignObject", b"javascript"):
        assert bad not in svg
    assert b"<circle" in svg and b'href="#c"' in svg
    assert clean_svg(b'<!DOCTYPE x [<!ENTITY a "b">]><svg>&a;</svg>') is None  # entities
    assert clean_svg(b"<html/>") is None and clean_svg(b"not xml") is None
