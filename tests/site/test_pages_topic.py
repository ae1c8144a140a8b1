"""The topic page's reading path (fomo.site.pages.topic): its builds_on chain, transitively,
each topic after what it builds on; and the map data's day of last change."""

from __future__ import annotations

from pathlib import Path

import pytest

from fomo.kb.load import load
from fomo.site.config import SiteConfig
from fomo.site.data import SiteData
from fomo.site.pages.feeds import last_changed
from fomo.site.pages.topic import reading_path
from tests.conftest import topic_file
from tests.site.conftest import write_kb


def data_of(tmp_path: Path, files: dict[str, str]) -> SiteData:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FOMO_CACHE_DIR", str(tmp_path / "cache"))
        loaded = load(write_kb(tmp_path / "kb", files))
    return SiteData.of(loaded.kb, SiteConfig())


CHAIN = {
    "map/index.md": topic_file("Root", "The root."),
    "map/ppo.md": topic_file("PPO", "A policy gradient method."),
    "map/bradley-terry.md": topic_file("Bradley-Terry", "Pairwise preferences."),
    "map/rlhf.md": topic_file("RLHF", "Learning from feedback.", builds_on="[ppo, bradley-terry]"),
    "map/dpo.md": topic_file("DPO", "Preferences directly.", builds_on="[rlhf, bradley-terry]"),
    "map/ipo.md": topic_file("IPO", "A DPO variant.", builds_on="[dpo]"),
}


def test_reading_path_lists_prerequisites_before_what_builds_on_them(tmp_path: Path) -> None:
    data = data_of(tmp_path, CHAIN)
    path = [t.id for t in reading_path(data, data.kb.topics["ipo"])]
    assert path == ["ppo", "bradley-terry", "rlhf", "dpo"]  # each once, prerequisites first
    assert [t.id for t in reading_path(data, data.kb.topics["ppo"])] == []


def test_reading_path_stops_at_a_cycle(tmp_path: Path) -> None:
    files = {
        "map/index.md": topic_file("Root", "The root."),
        "map/a.md": topic_file("A", "A.", builds_on="[b]"),
        "map/b.md": topic_file("B", "B.", builds_on="[a]"),
    }
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FOMO_CACHE_DIR", str(tmp_path / "cache"))
        loaded = load(write_kb(tmp_path / "kb", files), strict=False)
    data = SiteData.of(loaded.kb, SiteConfig())
    assert [t.id for t in reading_path(data, data.kb.topics["a"])] == ["b"]


def test_last_changed_is_the_later_of_added_and_reviewed(tmp_path: Path) -> None:
    files = {
        "map/index.md": "---\ntitle: Root\nessence: The root.\nadded: 2026-01-02\n"
        "reviewed: 2026-03-04\n---\n",
        "map/plain.md": "---\ntitle: Plain\nessence: No dates.\n---\n",
    }
    data = data_of(tmp_path, files)
    assert last_changed(data.kb.root) == "2026-03-04"
    assert last_changed(data.kb.topics["plain"]) == ""


def test_the_root_does_not_show_its_root_tag(tmp_path: Path) -> None:
    from fomo.site.build import build_site

    files = {
        "map/index.md": topic_file("Root", "The root.", tags="[root, field]"),
        "map/child.md": topic_file("Child", "A child.", tags="[root, field]"),
    }
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FOMO_CACHE_DIR", str(tmp_path / "cache"))
        build_site(write_kb(tmp_path / "kb", files), tmp_path / "out", search=False)
    root = next(
        p
        for p in (tmp_path / "out/topics").glob("*.html")
        if "<h1" in p.read_text() and ">Root</h1>" in p.read_text()
    )
    assert '<span class="tag">field</span>' in root.read_text()
    assert '<span class="tag">root</span>' not in root.read_text()
    child = (tmp_path / "out/topics/child.html").read_text()
    assert '<span class="tag">root</span>' in child  # only the root's own tag is implied
