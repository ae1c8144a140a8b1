from __future__ import annotations

import pytest

from fomo.errors import FomoError
from fomo.formats.tree import (
    Node,
    cut,
    display_title,
    from_kb,
    join_note,
    split_note,
    split_title,
    title_aliases,
)
from fomo.model import KnowledgeBase, Reference, Topic


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Direct Preference Optimization (DPO)", ("Direct Preference Optimization", ["DPO"])),
        ("Low-Rank Adaptation (LoRA, QLoRA)", ("Low-Rank Adaptation", ["LoRA", "QLoRA"])),
        ("Attention (2017 paper)", ("Attention (2017 paper)", [])),
        ("Scaling (laws)", ("Scaling (laws)", [])),
        ("Plain", ("Plain", [])),
    ],
)
def test_split_title(text: str, expected: tuple[str, list[str]]) -> None:
    assert split_title(text) == expected


def test_note_join_and_split_are_inverse() -> None:
    assert split_note(join_note("One line.", "Body\nmore")) == ("One line.", "Body\nmore")
    assert split_note("only\r\nlines") == ("only", "lines")


def _topic(topic_id: str, parent: str | None, **fields) -> Topic:
    return Topic(id=topic_id, title=topic_id.upper(), essence="E.", parent=parent, **fields)


def test_from_kb_builds_the_branch_with_links_and_inner_relations() -> None:
    kb = KnowledgeBase(
        [
            _topic("root", None),
            _topic("a", "root", related=["b", "elsewhere"]),
            _topic("b", "root", references=[Reference("Docs", "https://x.org")]),
            _topic("c", "a"),
        ]
    )
    tree = from_kb(kb)
    assert [c.id for c in tree.children] == ["a", "b"]
    assert tree.children[0].relations == [("related", "b")]
    assert tree.children[1].links[0].url == "https://x.org"
    assert from_kb(kb, "a").children[0].id == "c"
    assert from_kb(kb, depth=1).children[0].children == []
    assert cut(tree, 0).children == []


def test_a_parent_loop_is_refused() -> None:
    kb = KnowledgeBase([_topic("root", None), _topic("a", "b"), _topic("b", "a")])
    with pytest.raises(FomoError, match="cycle"):
        from_kb(kb, "a")


def test_unknown_root_is_refused() -> None:
    with pytest.raises(FomoError):
        from_kb(KnowledgeBase([]))
    assert isinstance(Node("x"), Node)


@pytest.mark.parametrize(
    "aliases",
    [
        ["n-gram"],
        ["tokenisation", "tokenizer"],
        ["SDPA", "intra-attention"],
        ["pre-norm", "post-norm", "pre-LN", "post-LN"],
        ["GPT-4", "o1"],
        ["self attention", "中文", "e.g."],
    ],
)
def test_display_title_writes_only_aliases_split_title_reads_back(aliases: list[str]) -> None:
    node = Node("Some Title", aliases=aliases)
    assert split_title(display_title(node)) == ("Some Title", title_aliases(node))
    assert "n-gram" not in display_title(node) and "tokenizer" not in display_title(node)
