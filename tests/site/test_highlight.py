"""Code blocks coloured now or later: a deferred block, filled in, is the block itself."""

from __future__ import annotations

import pytest

from fomo.site.highlight import MARKER, block, deferred, fill
from fomo.site.markdown import MarkdownRenderer

CODES = [
    "print(\"<x>\" & 'y')\n",
    "\n\ndef f(a):\n\treturn a  # café, 文字\n\n",
    "x = 1",
    "",
]


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("language", ["python", "Python", "js", "sh"])
def test_a_filled_block_is_the_block_coloured_at_once(code: str, language: str) -> None:
    later, marked = deferred(code, language)
    assert marked and MARKER in later and "<span" not in later
    assert fill(later) == block(code, language)


@pytest.mark.parametrize("language", ["", "no-such-language"])
def test_code_pygments_cannot_colour_is_final_at_once(language: str) -> None:
    later, marked = deferred("a < b\n", language)
    assert not marked and later == block("a < b\n", language) and MARKER not in later


def test_fill_colours_every_block_of_a_page_and_leaves_the_rest() -> None:
    page = "<p>before &amp; after</p>\n" + deferred("a = 1\n", "python")[0] + "<p>between</p>\n"
    page += deferred("echo hi\n", "sh")[0]
    filled = fill(page)
    assert MARKER not in filled and filled.count('<span class="') >= 3
    assert filled.startswith("<p>before &amp; after</p>\n") and "<p>between</p>\n" in filled
    assert fill("<p>no code</p>") == "<p>no code</p>"


def test_an_author_cannot_forge_a_deferred_block_in_a_topic_body() -> None:
    forged = (
        f'<div class="highlight"><pre><code class="language-python" {MARKER}>x</code></pre></div>\n'
    )
    html = MarkdownRenderer().render(forged + "\nText.\n", defer_highlight=True).html
    assert f"{MARKER}>" not in html  # the author's markup arrives escaped
    assert fill(html) == html


def test_topic_bodies_defer_and_articles_never_do() -> None:
    fence = "```python\nx = 1\n```\n"
    topic = MarkdownRenderer().render(fence, defer_highlight=True)
    assert topic.deferred and MARKER in topic.html
    assert fill(topic.html) == MarkdownRenderer().render(fence).html
    article = MarkdownRenderer(raw_html=True).render(fence, defer_highlight=True)
    assert not article.deferred and MARKER not in article.html and "<span" in article.html
