from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from fomo.errors import FomoError
from fomo.formats.importer import (
    CUT_PREFIX,
    NO_ESSENCE,
    apply,
    essence_and_body,
    looks_like_fomo_id,
    make_id,
    plan_import,
)
from fomo.formats.tree import Link, Node
from fomo.kb.load import load

TODAY = dt.date(2026, 11, 26)


def _plan(kb_dir: Path, root: Node, **options):
    return plan_import(root, load(kb_dir).kb, kb_dir, file="in.xmind", today=TODAY, **options)


def test_ids_are_kebab_case_and_fold_accents() -> None:
    assert make_id("Direct Preference Optimization") == "direct-preference-optimization"
    assert make_id("Café Über") == "cafe-uber"
    assert make_id("中文") == "topic"
    assert len(make_id("word " * 40)) <= 60
    assert looks_like_fomo_id("dpo") and not looks_like_fomo_id("b58888b5ceebbf0e68dada0656")
    assert not looks_like_fomo_id("62406618-32b1-486d-82b4-57f319fa633a")


def test_essence_is_the_first_sentence_and_is_cut_with_a_todo() -> None:
    assert essence_and_body(Node("x", essence="One. Two.", note="Body")) == (
        "One.",
        "Two.\n\nBody",
        False,
    )
    assert essence_and_body(Node("x"))[0] == NO_ESSENCE
    essence, body, cut = essence_and_body(Node("x", essence="word " * 80))
    assert cut and essence.startswith(CUT_PREFIX) and len(essence) <= 200
    assert body.startswith("word word")


def test_new_branch_is_created_under_the_root(starter_kb: Path) -> None:
    tree = Node(
        "Mixture of Experts (MoE)",
        essence="Routes each token to a few expert networks. Scales parameters cheaply.",
        links=[Link("https://arxiv.org/abs/1701.06538")],
        children=[Node("Switch Transformer"), Node("Expert routing")],
    )
    plan = _plan(starter_kb, tree)
    assert [a.kind for a in plan.actions] == ["created"] * 3
    apply(plan, starter_kb)
    text = (starter_kb / "map/mixture-of-experts/index.md").read_text()
    assert "title: Mixture of Experts\n" in text and "- MoE" in text
    assert "essence: Routes each token to a few expert networks.\n" in text
    assert "kind: paper" in text and "Scales parameters cheaply." in text
    kb = load(starter_kb).kb
    assert kb.topics["switch-transformer"].parent == "mixture-of-experts"
    assert kb.topics["switch-transformer"].essence == NO_ESSENCE


def test_existing_topics_match_by_title_or_alias_and_need_force(starter_kb: Path) -> None:
    tree = Node(
        "Preferences",
        children=[Node("DPO", essence="A new essence.", children=[Node("SimPO")])],
    )
    plan = _plan(starter_kb, tree, under="training")
    kinds = {a.topic_id: a.kind for a in plan.actions}
    assert kinds["dpo"] == "skipped" and kinds["simpo"] == "created"
    moved = [a for a in plan.actions if a.kind == "moved"]
    assert [a.path for a in moved] == ["map/training/preferences/dpo/index.md"]
    forced = _plan(starter_kb, tree, under="training", force=True)
    apply(forced, starter_kb)
    kb = load(starter_kb).kb
    assert kb.topics["dpo"].essence == "A new essence."
    assert kb.topics["dpo"].builds_on == ["rlhf"]  # kept
    assert kb.topics["simpo"].parent == "dpo"
    assert not (starter_kb / "map/training/preferences/dpo.md").exists()
    assert "preferences" not in {a.topic_id for a in forced.actions if a.kind == "created"}


def test_reimporting_an_unchanged_export_changes_nothing(starter_kb: Path) -> None:
    from fomo.formats.tree import from_kb

    tree = from_kb(load(starter_kb).kb)
    plan = _plan(starter_kb, tree)
    assert {a.kind for a in plan.actions} == {"skipped"}
    assert all(a.reason == "already up to date" for a in plan.actions)


def test_relations_become_front_matter(starter_kb: Path) -> None:
    tree = Node("New A", id="x1", children=[Node("New B", id="x2", relations=[("related", "x1")])])
    apply(_plan(starter_kb, tree), starter_kb)
    kb = load(starter_kb).kb
    assert kb.topics["x2"].related == ["x1"]  # FOMO-style ids are kept


def test_untitled_nodes_are_lifted_or_named_from_their_note(starter_kb: Path) -> None:
    tree = Node("Top", children=[Node("", children=[Node("Kept")]), Node("", essence="Named.")])
    plan = _plan(starter_kb, tree)
    titles = [a.title for a in plan.actions]
    assert titles == ["Top", "Kept", "Named."]
    assert any("untitled" in w for w in plan.warnings)


@pytest.mark.parametrize(
    ("tree", "code"),
    [
        (Node(""), "empty-title"),
        (Node("a", id="a", children=[Node("b", id="a")]), "cycle"),
        (Node("a", id="a", children=[Node("b", id="b"), Node("c", id="b")]), "duplicate-id"),
    ],
)
def test_bad_trees_are_refused_before_anything_is_written(
    starter_kb: Path, tree: Node, code: str
) -> None:
    before = sorted(p.relative_to(starter_kb) for p in starter_kb.rglob("*"))
    with pytest.raises(FomoError) as caught:
        _plan(starter_kb, tree)
    assert caught.value.code == code and caught.value.file == "in.xmind"
    assert sorted(p.relative_to(starter_kb) for p in starter_kb.rglob("*")) == before


def test_empty_map_takes_the_file_root_as_its_root(make_kb) -> None:
    kb_dir = make_kb({"map/.keep": ""})
    apply(_plan(kb_dir, Node("My Map", children=[Node("Child")])), kb_dir)
    assert (kb_dir / "map/index.md").exists() and (kb_dir / "map/child.md").exists()
    assert load(kb_dir).kb.root.title == "My Map"
