from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from fomo.errors import FomoError
from fomo.formats import outline
from tests.formats.helpers import TRICKY, small_tree


def test_export_is_a_markmap_outline_with_links() -> None:
    text = outline.write(small_tree())
    assert text.startswith("---\nmarkmap:")
    assert "# Large Language Models\n" in text
    assert "  - [Direct Preference Optimization \\(DPO\\)]" not in text  # brackets stay plain
    assert "- [Direct Preference Optimization (DPO)](<https://arxiv.org/abs/2305.18290>)" in text


def test_markup_in_titles_is_escaped() -> None:
    html = MarkdownIt("commonmark").render(outline.write(small_tree()))
    assert "&lt;tags&gt;" in html and "<tags>" not in html
    assert outline.escape("- 1. *x*") == "\\- 1. \\*x\\*"
    assert outline.escape("2023. year") == "2023\\. year"


def test_reads_outlines_other_tools_write() -> None:
    text = """# Root

Root note.

## Branch A
- item **one** [site](https://example.org)
  - deeper
- item two

## Branch B
### Sub B
"""
    root = outline.read(text.encode(), "o.md")
    assert root.title == "Root" and root.essence == "Root note."
    a, b = root.children
    assert [c.title for c in a.children] == ["item one site", "item two"]
    assert a.children[0].links[0].url == "https://example.org"
    assert a.children[0].children[0].title == "deeper"
    assert b.children[0].title == "Sub B"


def test_tricky_title_round_trips() -> None:
    back = outline.read(outline.write(small_tree()).encode(), "x.md")
    assert back.children[0].children[2].title == TRICKY


def test_no_outline_is_refused() -> None:
    with pytest.raises(FomoError, match="no outline"):
        outline.read(b"just a paragraph\n", "p.md")
