"""Code blocks: coloured with Pygments' classes when the language is known, escaped always."""

from __future__ import annotations

import pytest

from fomo.site.highlight import block


@pytest.mark.parametrize("language", ["python", "Python", "py"])
def test_a_known_language_is_coloured_with_classes(language: str) -> None:
    html = block("def f(a):\n    return a  # café\n", language)
    assert '<span class="k">def</span>' in html and '<span class="c1"># café</span>' in html
    assert html.startswith(f'<div class="highlight"><pre><code class="language-{language}">')
    assert "style=" not in html  # colours come from the stylesheet


@pytest.mark.parametrize("language", ["", "no-such-language"])
def test_code_pygments_cannot_colour_is_escaped_as_it_is(language: str) -> None:
    html = block("a < b && c\n", language)
    assert "a &lt; b &amp;&amp; c\n" in html and "<span" not in html


def test_the_language_label_and_the_code_are_escaped() -> None:
    html = block('print("<x>")\n', 'py" onclick="x')
    assert 'onclick="x' not in html and "&lt;x&gt;" in html and "<x>" not in html
