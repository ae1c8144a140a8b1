from __future__ import annotations

from fomo.formats import mermaid
from fomo.formats.tree import Node, count
from tests.formats.helpers import small_tree


def test_export_is_a_mindmap_with_escaped_labels() -> None:
    text = mermaid.write(small_tree())
    lines = text.splitlines()
    assert lines[0] == "mindmap"
    assert lines[1] == '  root(("Large Language Models"))'
    assert '      n3["Direct Preference Optimization (DPO)"]' in lines
    tricky = next(line for line in lines if "Quotes" in line)
    assert "<" not in tricky and "&" not in tricky.replace("#38;", "")
    assert "#34;q#34;" in tricky and "#60;tags#62;" in tricky


def _wide(levels: int, fan: int) -> Node:
    root = Node("root")
    layer = [root]
    for level in range(levels):
        nxt = []
        for parent in layer:
            parent.children = [Node(f"n{level}-{i}") for i in range(fan)]
            nxt += parent.children
        layer = nxt
    return root


def test_small_branch_is_not_cut() -> None:
    tree = small_tree()
    assert mermaid.fit(tree, None) == (tree, None)


def test_large_branch_is_cut_with_a_warning() -> None:
    tree = _wide(4, 6)  # 1555 nodes
    cut, warning = mermaid.fit(tree, None)
    assert warning and "cut to 2 level(s)" in warning
    assert count(cut) <= mermaid.MAX_NODES
    cut, warning = mermaid.fit(tree, 1)
    assert count(cut) == 7 and "cut to 1 level(s)" in warning
