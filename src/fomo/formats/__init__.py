"""Outside formats: one module per format, each reading into and writing from the neutral
`fomo.formats.tree.Node`, so no format knows another. This module only picks the module."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

from fomo.errors import FomoError
from fomo.formats.safe import read_regular
from fomo.formats.tree import Node

# export name -> module; `markdown` is the outline module (a markmap-ready heading/list outline)
EXPORTS = {
    "xmind": "xmind",
    "freeplane": "freeplane",
    "opml": "opml",
    "markdown": "outline",
    "mermaid": "mermaid",
    "dot": "dot",
    "json": "json",
    "svg": "svg",
    "png": "png",
}
READABLE = ("xmind", "freeplane", "opml", "markdown", "json")
_BY_SUFFIX = {
    ".xmind": "xmind",
    ".mm": "freeplane",
    ".opml": "opml",
    ".md": "markdown",
    ".markdown": "markdown",
    ".json": "json",
}
MAX_INPUT = 64 * 1024 * 1024  # bytes; real maps are a few megabytes


def module(name: str) -> ModuleType:
    return importlib.import_module(f"fomo.formats.{EXPORTS[name]}")


def sniff(data: bytes, path: str) -> str:
    """The format of a file: by its suffix, else by its first bytes."""
    by_suffix = _BY_SUFFIX.get(Path(path).suffix.lower())
    if by_suffix:
        return by_suffix
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"PK\x03\x04"):
        return "xmind"
    if head.startswith(b"{"):
        return "json"
    if head.startswith(b"<"):
        text = head.decode("utf-8", "replace")
        if "<opml" in text:
            return "opml"
        if "<map" in text:
            return "freeplane"
    if head.startswith((b"#", b"- ", b"* ", b"---")):
        return "markdown"
    raise FomoError(
        "not a mind map FOMO can read",
        file=path,
        hint="import .xmind, .mm (Freeplane/FreeMind), .opml, a Markdown outline (.md) "
        "or a FOMO .json export",
        code="wrong-kind",
    )


def read_file(path: str | Path, warnings: list[str] | None = None) -> Node:
    """The Node tree of a mind-map file, whatever its format."""
    path = Path(path)
    data = read_regular(path, MAX_INPUT)
    kind = sniff(data, str(path))
    return module(kind).read(data, str(path), warnings)
