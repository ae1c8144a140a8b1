"""Notebooks as articles: cells through the Markdown renderer, code highlighted, outputs shown
(text, images as files, HTML sanitized), and unreadable notebooks refused with the file named."""

from __future__ import annotations

from pathlib import Path

import pytest

from fomo.errors import FomoError
from fomo.site import notebook
from fomo.site.markdown import MarkdownRenderer

SITE = Path(__file__).parents[1] / "formats" / "samples" / "mkdocs_site"
RLHF = "session_1/part_2_rlhf/RLHF.ipynb"


def test_cells_and_outputs_render() -> None:
    book = notebook.read(SITE, RLHF)
    written: dict[str, bytes] = {}

    def write(name: str, content: bytes) -> str:
        written[name] = content
        return f"out/{name}"

    out = notebook.render(book, MarkdownRenderer(raw_html=True), write=write)
    assert out.title == "RLHF in a notebook" and "<h1" not in out.html
    assert '<span class="nb">print</span>' in out.html  # highlighted code cell
    assert '<pre class="nb-output nb-stream">0.9\n</pre>' in out.html
    assert list(written) == ["cell3_0.png"] and written["cell3_0.png"].startswith(b"\x89PNG")
    assert '<img src="out/cell3_0.png" alt="output">' in out.html
    assert "<td>chosen</td>" in out.html  # HTML output kept ...
    assert "onclick" not in out.html and "<script" not in out.html  # ... and sanitized
    assert '<h2 id="plotting-the-rewards">' in out.html
    assert out.toc == [(2, "plotting-the-rewards", "Plotting the rewards")]


def test_a_broken_notebook_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "bad.ipynb").write_text("{not json")
    with pytest.raises(FomoError) as caught:
        notebook.read(tmp_path, "bad.ipynb")
    assert caught.value.file == "bad.ipynb" and "not a readable Jupyter notebook" in str(
        caught.value.message
    )


def test_the_notebooks_metadata_gives_title_and_author(tmp_path: Path) -> None:
    import nbformat
    from nbformat.v4 import new_markdown_cell, new_notebook

    from fomo.model import Article
    from fomo.site.prose import render_article

    book = new_notebook(
        metadata={"title": "From metadata", "authors": [{"name": "Ada"}, {"name": "Lin"}]}
    )
    book.cells = [new_markdown_cell("# In the cell\n\n![x](fig.png)")]
    folder = tmp_path / "sessions" / "01-s"
    folder.mkdir(parents=True)
    nbformat.write(book, str(folder / "n.ipynb"))
    (folder / "fig.png").write_bytes(b"\x89PNG")
    article = Article(path="sessions/01-s/n.ipynb", title="Part title", body="")
    body = render_article(
        article, tmp_path, MarkdownRenderer(raw_html=True), pages={}, prefix="../../"
    )
    assert body.rendered.title == "From metadata" and body.author == "Ada, Lin"
    assert body.copies == {"files/sessions/01-s/fig.png": "sessions/01-s/fig.png"}
    assert 'src="../../files/sessions/01-s/fig.png"' in body.rendered.html


def test_a_missing_notebook_is_a_notice_not_a_failed_build(tmp_path: Path) -> None:
    from fomo.model import Article
    from fomo.site.prose import render_article

    article = Article(path="sessions/01-s/gone<1>.ipynb", title="Part", body="")
    body = render_article(article, tmp_path, MarkdownRenderer(raw_html=True), pages={}, prefix="")
    assert (
        body.rendered.html
        == '<p class="missing">The notebook gone&lt;1&gt;.ipynb is not there yet.</p>'
    )
