from __future__ import annotations

import xml.etree.ElementTree as ET

from fomo.formats import svg
from fomo.formats.tree import Node, display_title, walk
from tests.formats.helpers import TRICKY, small_tree

NS = "{http://www.w3.org/2000/svg}"


def _parse(text: str) -> ET.Element:
    return ET.fromstring(text.encode())


def test_svg_is_well_formed_and_names_every_topic() -> None:
    tree = small_tree()
    text = svg.write(tree)
    top = _parse(text)
    titles = [t.text for t in top.iter(f"{NS}title")]
    for node in walk(tree):
        assert display_title(node) in titles
    assert "&lt;tags&gt;" in text and "<tags>" not in text
    assert TRICKY in titles


def test_root_is_dark_and_branches_have_their_own_colours() -> None:
    root = Node("Root", children=[Node(f"Branch {i}", children=[Node("leaf")]) for i in range(3)])
    top = _parse(svg.write(root))
    fills = [r.get("fill") for r in top.iter(f"{NS}rect")]
    assert svg.ROOT_FILL in fills
    assert set(svg.PALETTE[:3]) <= set(fills)
    paths = list(top.iter(f"{NS}path"))
    assert len(paths) == 6 and all(" C" in p.get("d") for p in paths)  # curved connectors


def test_long_titles_wrap_onto_several_lines() -> None:
    root = Node("Root", children=[Node("word " * 30)])
    top = _parse(svg.write(root))
    assert max(len(list(t.iter(f"{NS}tspan"))) for t in top.iter(f"{NS}text")) >= 4


def test_both_layout_puts_branches_on_both_sides() -> None:
    root = Node("Root", children=[Node(f"B{i}", children=[Node("x")]) for i in range(4)])
    top = _parse(svg.write(root, "both"))
    root_rect = next(r for r in top.iter(f"{NS}rect") if r.get("fill") == svg.ROOT_FILL)
    centre = float(root_rect.get("x")) + float(root_rect.get("width")) / 2
    xs = [float(r.get("x")) for r in top.iter(f"{NS}rect") if r.get("fill") in svg.PALETTE]
    assert min(xs) < centre < max(xs)
    right = _parse(svg.write(root, "right"))
    xs = [float(r.get("x")) for r in right.iter(f"{NS}rect") if r.get("fill") in svg.PALETTE]
    assert min(xs) > centre


def test_control_characters_cannot_break_the_xml() -> None:
    _parse(svg.write(Node("bad\x00\x1b title", children=[Node("ok")])))
