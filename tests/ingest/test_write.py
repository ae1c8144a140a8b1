"""--apply's writer: new emerging topics with a TODO essence, atomically, leaf -> folder."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from fomo.errors import FomoError
from fomo.ingest.items import Item
from fomo.ingest.write import apply, plan, topic_title
from fomo.kb.edit import atomic_write
from fomo.kb.load import load
from fomo.kb.validate import check
from tests._placekb import PLACE_KB

TODAY = dt.date(2026, 11, 26)
ITEM = Item(
    "SimPO: Simple Preference Optimization with a Reference-Free Reward",
    url="https://arxiv.org/abs/2405.14734",
    year=2024,
)


def test_topic_title_takes_the_method_name() -> None:
    assert topic_title(ITEM) == "SimPO"
    assert topic_title(Item("Scaling laws for sparse models")) == "Scaling laws for sparse models"


def test_new_topic_in_a_folder_parent(make_kb: Callable[..., Path]) -> None:
    root = make_kb(PLACE_KB)
    loaded = load(root)
    new = plan(loaded.kb, root, ITEM, "preferences", today=TODAY)
    assert new.path == root / "map/training/preferences/simpo.md"
    apply(new)
    text = new.path.read_text()
    assert "status: emerging" in text and "added: 2026-11-26" in text
    assert "essence: 'TODO" in text or 'essence: "TODO' in text or "essence: TODO" in text
    reloaded = load(root)
    topic = reloaded.kb.topics["simpo"]
    assert topic.parent == "preferences"
    assert topic.paper is not None and topic.paper.year == 2024
    assert topic.references[0].url == ITEM.url
    codes = {(f.code, f.file) for f in check(reloaded, today=TODAY)}
    assert ("essence-placeholder", "map/training/preferences/simpo.md") in codes
    assert not list(new.path.parent.glob(".*tmp"))


def test_leaf_parent_becomes_a_folder(make_kb: Callable[..., Path]) -> None:
    root = make_kb(PLACE_KB)
    loaded = load(root)
    leaf_text = (root / "map/training/preferences/dpo.md").read_text()
    new = plan(loaded.kb, root, ITEM, "dpo", today=TODAY)
    apply(new, root)
    assert not (root / "map/training/preferences/dpo.md").exists()
    assert (root / "map/training/preferences/dpo/index.md").read_text() == leaf_text
    kb = load(root).kb
    assert kb.topics["simpo"].parent == "dpo"
    assert kb.topics["dpo"].parent == "preferences"


def test_ids_never_collide(make_kb: Callable[..., Path]) -> None:
    root = make_kb(PLACE_KB)
    kb = load(root).kb
    taken: set[str] = set()
    first = plan(kb, root, Item("DPO: again", year=2026), "preferences", taken=taken)
    second = plan(kb, root, Item("DPO: again", year=2026), "preferences", taken=taken)
    assert first.id == "dpo-2026" and second.id == "dpo-2"


def test_unknown_parent_is_refused(make_kb: Callable[..., Path]) -> None:
    root = make_kb(PLACE_KB)
    with pytest.raises(FomoError, match="no topic"):
        plan(load(root).kb, root, ITEM, "nope")


def test_atomic_write_leaves_the_old_file_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    target.write_text("old")

    with pytest.raises(TypeError):
        atomic_write(target, 42)  # type: ignore[arg-type]
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]
