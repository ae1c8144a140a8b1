"""A Jupyter notebook as an article: read with nbformat, shown as MkDocs' notebook plugins show
it. Markdown cells go through the site's Markdown renderer, code cells are highlighted like
fenced code, and outputs are shown: text as preformatted text, images written as files next to
the page, HTML sanitized like raw HTML in articles, errors without terminal colour codes.

nbformat (the reference reader of the format) rather than nbconvert: converting is the small
part here, and nbconvert would bring its own templates, a second Markdown stack and
BeautifulSoup-sized dependencies into every install.

The whole notebook is rendered as one Markdown document (code cells as fences, each output
a placeholder paragraph swapped for its HTML afterwards), so heading ids stay unique, the
table of contents spans every cell and a leading H1 becomes the title as in any article.
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import escape

from fomo.errors import FomoError
from fomo.kb.articles import load_notebook
from fomo.site.markdown import LinkRewriter, MarkdownRenderer, Rendered, TopicResolver
from fomo.site.sanitize import clean

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
IMAGE_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/svg+xml": "svg"}


@dataclass
class Notebook:
    """What the site needs of a notebook file."""

    path: str  # relative to the knowledge base
    title: str | None  # from its metadata, if it names one
    language: str
    cells: list[Any] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)


def read(root: Path, rel: str) -> Notebook:
    """The notebook at `root/rel`; a clear error (file, what, fix) when it is not one."""
    try:
        node = load_notebook((root / rel).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FomoError(f"{rel} does not exist", file=rel, hint="fix the part's article") from None
    except Exception as error:  # nbformat raises JSON, validation and version errors alike
        raise FomoError(
            f"{rel} is not a readable Jupyter notebook: {str(error).splitlines()[0][:200]}",
            file=rel,
            hint="open and save it again in Jupyter, or fix the JSON",
            code="bad-notebook",
        ) from None
    meta = node.get("metadata", {}) or {}
    language = (
        (meta.get("kernelspec") or {}).get("language")
        or (meta.get("language_info") or {}).get("name")
        or "python"
    )
    authors = [
        str(a.get("name"))
        for a in meta.get("authors") or []
        if isinstance(a, dict) and a.get("name")
    ]
    title = meta.get("title") if isinstance(meta.get("title"), str) else None
    return Notebook(rel, title, str(language), list(node.get("cells", [])), authors)


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value or "")


def _fence(code: str, language: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{language}\n{code}\n{ticks}\n"


# An output writer stores a file's bytes under a name and returns the URL the page uses for it.
OutputWriter = Callable[[str, bytes], str]


def _output_html(
    output: Any, name: str, write: OutputWriter, markdown: MarkdownRenderer, prefix: str
) -> str:
    kind = output.get("output_type")
    if kind == "stream":
        text = _ANSI.sub("", _text(output.get("text")))
        return f'<pre class="nb-output nb-stream">{escape(text)}</pre>'
    if kind == "error":
        trace = "\n".join(_ANSI.sub("", line) for line in output.get("traceback") or [])
        text = trace or f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"
        return f'<pre class="nb-output nb-error">{escape(text)}</pre>'
    data = output.get("data") or {}
    for mime, suffix in IMAGE_TYPES.items():
        if mime in data:
            raw = _text(data[mime])
            try:
                content = raw.encode() if suffix == "svg" else base64.b64decode(raw)
            except (binascii.Error, ValueError):
                continue
            url = write(f"{name}.{suffix}", content)
            return f'<div class="nb-output"><img src="{escape(url)}" alt="output"></div>'
    if "text/html" in data:
        return f'<div class="nb-output nb-html">{clean(_text(data["text/html"]))}</div>'
    if "text/markdown" in data:
        body = markdown.render(_text(data["text/markdown"]), prefix=prefix).html
        return f'<div class="nb-output">{body}</div>'
    if "text/plain" in data:
        return f'<pre class="nb-output nb-text">{escape(_text(data["text/plain"]))}</pre>'
    return ""


def render(
    notebook: Notebook,
    markdown: MarkdownRenderer,
    *,
    write: OutputWriter,
    prefix: str = "",
    resolve: TopicResolver | None = None,
    links: LinkRewriter | None = None,
) -> Rendered:
    """The notebook's cells as one page body; `write` stores output images as files."""
    marker = f"fomo-output-{secrets.token_hex(6)}-"
    pieces: list[str] = []
    outputs: dict[str, str] = {}
    for position, cell in enumerate(notebook.cells):
        source = _text(cell.get("source"))
        kind = cell.get("cell_type")
        if kind == "markdown":
            pieces.append(source)
        elif kind == "code":
            if source.strip():
                pieces.append(_fence(source, notebook.language))
            for number, output in enumerate(cell.get("outputs") or []):
                html = _output_html(output, f"cell{position}_{number}", write, markdown, prefix)
                if html:
                    key = f"{marker}{len(outputs)}"
                    outputs[key] = html
                    pieces.append(key)
    rendered = markdown.render(
        "\n\n".join(pieces) + "\n", prefix=prefix, resolve=resolve, links=links, drop_title=True
    )
    if outputs:
        rendered.html = re.sub(
            rf"<p>({re.escape(marker)}\d+)</p>", lambda m: outputs[m.group(1)], rendered.html
        )
    return rendered
