"""Export -> import -> export gives the same file and the same tree, for every format FOMO reads
back, over random trees; and export -> `fomo import` into an empty map -> `from_kb` gives the
same titles, essences, aliases, links and relations the format carries."""

from __future__ import annotations

import json
import tempfile
import zipfile
from io import BytesIO
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from fomo.formats import freeplane, opml, outline, xmind
from fomo.formats import json as json_format
from fomo.formats.importer import CUT_PREFIX, NO_ESSENCE, apply, plan_import
from fomo.formats.tree import Node, count, display_title, from_kb, title_aliases, walk
from fomo.kb.load import load
from fomo.kb.names import name_key
from fomo.kb.validate import ESSENCE_LIMIT
from fomo.model import KnowledgeBase
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


# ---- through the real importer: export, import into an empty kb, read the map back ----------

# format -> (module, aliases it carries: "all" or "title", notes?, year?, links: "all" or "first",
# relations?)
IMPORTED = {
    "json": (json_format, "all", True, True, "all", True),
    "xmind": (xmind, "all", True, False, "first", True),
    "freeplane": (freeplane, "all", True, True, "first", True),
    "opml": (opml, "title", True, False, "first", False),
    "markdown": (outline, "title", False, False, "first", False),
}


def _expected_aliases(node: Node, carried: str) -> list[str]:
    """What the importer keeps: the carried aliases, minus repeats and the title by name key."""
    keys = {name_key(node.title)}
    kept = []
    for alias in node.aliases if carried == "all" else title_aliases(node):
        if name_key(alias) and name_key(alias) not in keys:
            keys.add(name_key(alias))
            kept.append(alias)
    return kept


def _import_into_empty_kb(tree: Node, name: str, folder: Path) -> Node:
    module = IMPORTED[name][0]
    data = _bytes(module.write(tree))
    back = module.read(data, f"map.{name}")
    (folder / "map").mkdir(parents=True)
    plan = plan_import(back, KnowledgeBase([]), folder, file=f"map.{name}")  # an empty map
    assert plan.counts()["created"] == count(tree), name
    apply(plan, folder)
    return from_kb(load(folder).kb)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tree=nodes(max_nodes=15))
def test_export_then_import_rebuilds_the_same_map(tree: Node) -> None:
    original = list(walk(tree))
    for name, (_, carried, notes, year, links, relations) in IMPORTED.items():
        with tempfile.TemporaryDirectory() as folder:
            rebuilt = list(walk(_import_into_empty_kb(tree, name, Path(folder))))
        assert [len(n.children) for n in rebuilt] == [len(n.children) for n in original], name
        position = {n.id: i for i, n in enumerate(rebuilt)}
        for before, after in zip(original, rebuilt, strict=True):
            assert after.title == before.title, name
            assert after.aliases == _expected_aliases(before, carried), name
            essence = before.essence if name != "markdown" else ""
            if not essence:
                assert after.essence == NO_ESSENCE, name
            elif len(essence) <= ESSENCE_LIMIT:
                assert after.essence == essence, name  # whole: never cut at "e.g."
                assert after.note == (before.note if notes else ""), name
            else:
                assert after.essence.startswith(CUT_PREFIX) or essence.startswith(after.essence)
            if year:
                assert after.year == before.year, name
            urls = [link.url for link in before.links]
            assert [x.url for x in after.links] == (urls if links == "all" else urls[:1]), name
            if relations:
                ids = {n.id: i for i, n in enumerate(original)}
                want = {(kind, ids[target]) for kind, target in before.relations}
                got = {(kind, position[target]) for kind, target in after.relations}
                assert got == want, name
