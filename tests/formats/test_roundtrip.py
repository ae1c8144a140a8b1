"""Export -> import -> export gives the same file and the same tree, for every format FOMO reads
back, over random trees."""

from __future__ import annotations

import json
import zipfile
from io import BytesIO

from hypothesis import HealthCheck, given, settings

from fomo.formats import freeplane, opml, outline, xmind
from fomo.formats import json as json_format
from fomo.formats.tree import Node, display_title, walk
from tests.formats.strategies import nodes

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _bytes(output: str | bytes) -> bytes:
    return output if isinstance(output, bytes) else output.encode("utf-8")


def _xmind_content(data: bytes) -> object:
    with zipfile.ZipFile(BytesIO(data)) as archive:
        return json.loads(archive.read("content.json"))


def _shape(node: Node, fields: tuple[str, ...]) -> list[tuple]:
    """The tree as (depth-first list of) the fields a format carries."""
    out = []
    for n in walk(node):
        row = []
        for name in fields:
            if name == "display":
                row.append(display_title(n))
            elif name == "first_link":
                row.append(n.links[0].url if n.links else None)
            elif name == "links":
                row.append([(x.url, x.title) for x in n.links])
            else:
                row.append(getattr(n, name))
        out.append((len(n.children), *row))
    return out


CASES = {
    "json": (
        json_format,
        ("id", "title", "essence", "note", "aliases", "year", "links", "relations"),
    ),
    "xmind": (xmind, ("id", "title", "essence", "note", "aliases", "first_link", "relations")),
    "freeplane": (
        freeplane,
        ("id", "title", "essence", "note", "aliases", "year", "first_link", "relations"),
    ),
    "opml": (opml, ("display", "essence", "note", "first_link")),
    "markdown": (outline, ("display", "first_link")),
}


@SETTINGS
@given(tree=nodes())
def test_export_import_export_is_stable(tree: Node) -> None:
    # One generated tree goes through every readable format: generation costs more than the
    # formats, so this keeps the property test fast.
    for name, (module, fields) in CASES.items():
        first = _bytes(module.write(tree))
        back = module.read(first, f"map.{name}")
        second = _bytes(module.write(back))
        if name == "xmind":
            assert _xmind_content(first) == _xmind_content(second), name
        else:
            assert first == second, name
        assert _shape(back, fields) == _shape(tree, fields), name
