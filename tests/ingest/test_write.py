"""--apply's writer: emerging topics with a TODO essence, through the edit layer, all or none."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from fomo.errors import FomoError
from fomo.ingest.items import Item
from fomo.ingest.write import MAX_ID, add, base_id, plan, topic_title
from fomo.kb.edit import atomic_write
from fomo.kb.load import load
from fomo.kb.validate import ESSENCE_PLACEHOLDER, check
from tests._placekb import PLACE_KB
from tests.cli._git import git, init_repo
from tests.conftest import topic_file

TODAY = dt.date(2026, 11, 26)
ITEM = Item(
    "SimPO: Simple Preference Optimization with a Reference-Free Reward",
    url="https://arxiv.org/abs/2405.14734",
    year=2024,
    where="entry 1",
)
DORA = Item("DoRA: Weight-Decomposed Low-Rank Adaptation", year=2024, where="entry 2")
MEDUSA = Item("Medusa: decoding heads that draft several tokens at once", where="entry 3")


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_topic_title_takes_the_method_name() -> None:
    assert topic_title(ITEM) == "SimPO"
    assert topic_title(Item("Scaling laws for sparse models")) == "Scaling laws for sparse models"
    assert topic_title(Item("Line one\nsecond: x")) == "Line one second: x"


def test_ids_are_cut_at_a_word_boundary() -> None:
    title = "Efficient Attention Approximations for Very Long Context Language Models"
    cut = base_id(title)
    assert cut == "efficient-attention-approximations-for-very-long-context"
    assert len(cut) <= MAX_ID and title.lower().replace(" ", "-").startswith(cut + "-")
    assert base_id("x" * 80) == "x" * MAX_ID  # one endless word: cut where it must be
    assert base_id("Short title") == "short-title"


def test_long_title_gets_a_whole_word_id(make_kb: Callable[..., Path]) -> None:
    root = make_kb(PLACE_KB)
    long = Item("Rejection sampling preference optimisation for long context language models")
    result = add(root, [(long, "preferences")], today=TODAY)
    assert [p.id for p in result.added] == [
        "rejection-sampling-preference-optimisation-for-long-context"
    ]


def test_new_topic_in_a_folder_parent(make_kb: Callable[..., Path]) -> None:
    root = make_kb(PLACE_KB)
    result = add(root, [(ITEM, "preferences")], today=TODAY)
    assert [p.path for p in result.added] == ["map/training/preferences/simpo.md"]
    path = root / "map/training/preferences/simpo.md"
    text = path.read_text()
    assert "status: emerging" in text and "added: 2026-11-26" in text
    reloaded = load(root)
    topic = reloaded.kb.topics["simpo"]
    assert topic.parent == "preferences" and topic.title == "SimPO"
    assert topic.essence.startswith(ESSENCE_PLACEHOLDER)
    assert topic.paper is not None and topic.paper.year == 2024
    assert topic.references[0].url == ITEM.url
    findings = {(f.code, f.file) for f in check(reloaded, today=TODAY)}
    assert ("essence-placeholder", "map/training/preferences/simpo.md") in findings
    assert {code for code, _ in findings} == {"essence-placeholder"}
    assert not list(path.parent.glob(".*tmp"))


def test_a_leaf_parent_becomes_a_folder_by_one_rename(make_kb: Callable[..., Path]) -> None:
    root = make_kb(PLACE_KB)
    leaf_text = (root / "map/training/preferences/dpo.md").read_text()
    batch = plan(root, load(root).kb, [(ITEM, "dpo"), (DORA, "dpo")], today=TODAY)
    # one move for the batch, however many items go under the leaf; no copy-then-delete
    assert batch.change.moves == [
        ("map/training/preferences/dpo.md", "map/training/preferences/dpo/index.md")
    ]
    assert [w.path for w in batch.change.writes] == [
        "map/training/preferences/dpo/simpo.md",
        "map/training/preferences/dpo/dora.md",
    ]
    add(root, [(ITEM, "dpo"), (DORA, "dpo")], today=TODAY)
    assert not (root / "map/training/preferences/dpo.md").exists()
    assert (root / "map/training/preferences/dpo/index.md").read_text() == leaf_text
    kb = load(root).kb
    assert kb.topics["simpo"].parent == "dpo" and kb.topics["dora"].parent == "dpo"
    assert kb.topics["dpo"].parent == "preferences"


def test_in_a_git_work_tree_the_leaf_is_moved_with_git_mv(make_kb: Callable[..., Path]) -> None:
    root = make_kb(PLACE_KB)
    init_repo(root)
    add(root, [(ITEM, "dpo")], today=TODAY)
    status = git(root, "status", "--porcelain")
    assert "R  map/training/preferences/dpo.md -> map/training/preferences/dpo/index.md" in status


def test_a_failure_on_the_third_item_writes_nothing(
    make_kb: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_kb(PLACE_KB)
    before = _snapshot(root)
    real_replace = os.replace

    def failing_replace(source: str, target: str) -> None:
        if Path(target).name == "medusa.md":
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", failing_replace)
    accepted = [(ITEM, "dpo"), (DORA, "fine-tuning"), (MEDUSA, "inference")]
    with pytest.raises(FomoError, match=r"no space left.*nothing was changed") as refused:
        add(root, accepted, today=TODAY)
    assert refused.value.file == "map/inference/medusa.md" and "free" in refused.value.hint
    assert _snapshot(root) == before  # the leaf is back, items 1-2 are gone, no temporaries
    assert not (root / "map/training/preferences/dpo").exists()


def test_an_invalid_item_refuses_the_whole_batch(make_kb: Callable[..., Path]) -> None:
    root = make_kb(PLACE_KB)
    before = _snapshot(root)
    with pytest.raises(FomoError, match="unknown parent 'nope'"):
        add(root, [(ITEM, "preferences"), (DORA, "nope")], today=TODAY)
    assert _snapshot(root) == before


def test_names_never_collide(make_kb: Callable[..., Path]) -> None:
    root = make_kb(PLACE_KB)
    kb = load(root).kb
    items = [
        (Item("DPO: again, with feeling", year=2026, where="a"), "preferences"),
        (Item("KTO: binary feedback", year=2026, where="b"), "preferences"),
        (Item("KTO: binary feedback", year=2026, where="c"), "preferences"),
        (Item("KTO: binary feedback", year=2026, where="d"), "preferences"),
    ]
    batch = plan(root, kb, items, today=TODAY)
    # "DPO" is taken by the map and "KTO" by an earlier item: the full title is used; the third
    # "KTO: binary feedback" cannot be told apart from the second and is left out, with why
    assert [(p.id, p.title) for p in batch.added] == [
        ("dpo-again-with-feeling", "DPO: again, with feeling"),
        ("kto", "KTO"),
        ("kto-binary-feedback", "KTO: binary feedback"),
    ]
    assert [p.where for p in batch.skipped] == ["d"]
    assert "already answers to" in batch.skipped[0].message


def test_the_plan_sees_the_tree_at_write_time(make_kb: Callable[..., Path]) -> None:
    """A topic added after the triage loaded the map is seen: no second topic of that name."""
    root = make_kb(PLACE_KB)
    load(root)  # the triage's view
    (root / "map/training/preferences/simpo.md").write_text(
        topic_file("SimPO", "Preference optimisation without a reference model.")
    )
    result = add(root, [(ITEM, "preferences")], today=TODAY)
    assert result.added[0].id != "simpo" and result.added[0].title != "SimPO"
    reloaded = load(root)
    assert {f.code for f in check(reloaded, today=TODAY)} == {"essence-placeholder"}


def test_unknown_parent_is_refused(make_kb: Callable[..., Path]) -> None:
    root = make_kb(PLACE_KB)
    with pytest.raises(FomoError, match="unknown parent"):
        plan(root, load(root).kb, [(ITEM, "nope")])


def test_a_url_that_is_not_a_web_url_is_not_written(make_kb: Callable[..., Path]) -> None:
    root = make_kb(PLACE_KB)
    odd = Item("SimPO: x", url="https://exa mple.org/simpo", where="e")
    add(root, [(odd, "preferences")], today=TODAY)
    assert load(root).kb.topics["simpo"].references == []


def test_atomic_write_leaves_the_old_file_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    target.write_text("old")

    with pytest.raises(TypeError):
        atomic_write(target, 42)  # type: ignore[arg-type]
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]
