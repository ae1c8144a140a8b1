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
    first_sentence,
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
    # no ASCII letter: a stable hash of the title, never "topic", "topic-4", ... per run
    assert make_id("中文") == make_id(" 中文 ") != make_id("<>{}*&^^&*^%@!")
    assert make_id("中文").startswith("topic-") and looks_like_fomo_id(make_id("中文"))
    assert make_id("Topic") == "topic"
    assert len(make_id("word " * 40)) <= 60
    assert looks_like_fomo_id("dpo") and not looks_like_fomo_id("b58888b5ceebbf0e68dada0656")
    assert not looks_like_fomo_id("62406618-32b1-486d-82b4-57f319fa633a")


def test_an_essence_within_the_limit_is_kept_whole() -> None:
    essence = "Aligns a model, e.g. with DPO, i.e. without a reward model, vs. RLHF (Rafailov et al. 2023)."
    assert essence_and_body(Node("x", essence=essence, note="Body")) == (essence, "Body", False)
    assert essence_and_body(Node("x", essence="One. Two.", note="Body")) == (
        "One. Two.",
        "Body",
        False,
    )
    assert essence_and_body(Node("x"))[0] == NO_ESSENCE


def test_an_essence_over_the_limit_splits_at_a_real_sentence_end() -> None:
    first = "Scales parameters, e.g. Switch, vs. dense models (Fedus et al. 2021) cheaply."
    long = f"{first} " + "More words here. " * 12
    essence, body, cut = essence_and_body(Node("x", essence=long, note="Body"))
    assert (essence, cut) == (first, False)
    assert body.startswith("More words here.") and body.endswith("\n\nBody")


def test_an_essence_cut_to_the_limit_is_flagged_by_check() -> None:
    from fomo.kb.validate import ESSENCE_PLACEHOLDER

    essence, body, cut = essence_and_body(Node("x", essence="word " * 80))
    assert cut and essence.startswith(CUT_PREFIX) and len(essence) <= 200
    assert CUT_PREFIX.startswith(ESSENCE_PLACEHOLDER) and NO_ESSENCE.startswith(ESSENCE_PLACEHOLDER)
    assert body.startswith("word word")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two.", "One."),
        ("Uses tricks, e.g. dropout. Then more.", "Uses tricks, e.g. dropout."),
        ("Uses i.e. This. Then.", "Uses i.e. This."),
        ("Attention vs. Recurrence compared. Next.", "Attention vs. Recurrence compared."),
        ("By Vaswani et al. In 2017 it won. Next.", "By Vaswani et al. In 2017 it won."),
        ("Named after A. Turing. Next.", "Named after A. Turing."),
        ("Version 3.5 shipped! Next?", "Version 3.5 shipped!"),
        ('He said "stop." Then left.', 'He said "stop."'),
        ("No end at all", "No end at all"),
    ],
)
def test_first_sentence_skips_abbreviations(text: str, expected: str) -> None:
    assert first_sentence(text) == expected


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
    assert "title: Mixture of Experts\n" in text and "aliases: [MoE]\n" in text
    assert (
        "essence: Routes each token to a few expert networks. Scales parameters cheaply.\n" in text
    )
    assert "kind: paper" in text
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


def test_a_title_ending_in_brackets_matches_the_topic_before_splitting(make_kb) -> None:
    from tests.conftest import topic_file

    kb_dir = make_kb(
        {
            "map/index.md": topic_file("Root", "The root."),
            "map/foo.md": topic_file("Foo (ABC)", "Ends in capitals."),
            "map/scaling.md": topic_file("Scaling (laws)", "A power law."),
        }
    )
    plan = _plan(kb_dir, Node("Root", children=[Node("Foo (ABC)"), Node("Scaling (laws)")]))
    assert [(a.kind, a.topic_id, a.reason) for a in plan.actions[1:]] == [
        ("skipped", "foo", "already up to date"),
        ("skipped", "scaling", "already up to date"),
    ]


def test_a_new_root_takes_the_id_the_loader_gives_it(make_kb) -> None:
    kb_dir = make_kb({"map/.keep": ""})
    tree = Node("Café Map", id="x0", children=[Node("Child", relations=[("builds_on", "x0")])])
    apply(_plan(kb_dir, tree), kb_dir)
    kb = load(kb_dir).kb
    assert kb.root.id == "cafe-map" and kb.topics["child"].builds_on == ["cafe-map"]


def test_a_node_named_index_never_overwrites_its_parents_file(starter_kb: Path) -> None:
    parent = (starter_kb / "map/training/index.md").read_text()
    tree = Node("Training LLMs", children=[Node("Index", essence="A list of things.")])
    plan = _plan(starter_kb, tree)
    created = [a for a in plan.actions if a.kind == "created"]
    assert [(a.topic_id, a.path) for a in created] == [("index-2", "map/training/index-2.md")]
    apply(plan, starter_kb)
    assert (starter_kb / "map/training/index.md").read_text() == parent


def test_references_keep_only_web_links(starter_kb: Path) -> None:
    links = [Link("HTTPS://Example.org/a"), Link("javascript:alert(1)"), Link("https:// x")]
    plan = _plan(starter_kb, Node("Linked", essence="Has links.", links=links))
    text = next(a.text for a in plan.actions if a.kind == "created")
    assert "HTTPS://Example.org/a" in text and "javascript" not in text and "https:// x" not in text


def test_merge_file_appends_lists_and_keeps_other_lines() -> None:
    from fomo.formats.importer import merge_file

    text = (
        "---\ntitle: DPO\naliases: DPO-x   # kept comment\nessence:   Old.\n"
        "references:\n  - {title: A, url: 'https://a.org', kind: docs}\n"
        "added: 2026-11-26\n---\nBody.\n"
    )
    new_ref = {"title": "B", "url": "https://b.org", "kind": "paper"}
    merged = merge_file(
        text, {"aliases": ["Direct PO"], "references": [new_ref], "related": ["x"]}, None, "f.md"
    )
    assert merged == (
        "---\ntitle: DPO\naliases: [DPO-x, Direct PO] # kept comment\nessence:   Old.\n"
        "related: [x]\n"
        "references:\n  - {title: A, url: 'https://a.org', kind: docs}\n"
        "  - {title: B, url: https://b.org, kind: paper}\n"
        "added: 2026-11-26\n---\nBody.\n"
    )
    assert merge_file(text, {}, "New body.", "f.md") == text.replace("Body.", "New body.")


def test_siblings_with_one_title_get_the_next_free_suffixes(make_kb) -> None:
    from tests.conftest import STARTER, topic_file

    kb_dir = make_kb({**STARTER, "map/basics/step-3.md": topic_file("Step three", "Taken.")})
    tree = Node("Training LLMs", children=[Node("Step", essence="E.") for _ in range(5)])
    created = [a.topic_id for a in _plan(kb_dir, tree).actions if a.kind == "created"]
    assert created == ["step", "step-2", "step-4", "step-5", "step-6"]
