"""The what's-new and timeline pages (fomo.site.pages.listings) follow the reader's clock: when
the thing appeared (`released`, else `year`), not when it was added to the map."""

from __future__ import annotations

from pathlib import Path

import pytest

from fomo.kb.load import load
from fomo.site.build import build_site
from fomo.site.config import SiteConfig
from fomo.site.data import SiteData
from fomo.site.pages import listings
from tests.query.test_freshness import APPEARED
from tests.site.conftest import write_kb


def data_of(tmp_path: Path, files: dict[str, str]) -> SiteData:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FOMO_CACHE_DIR", str(tmp_path / "cache"))
        loaded = load(write_kb(tmp_path / "kb", files))
    return SiteData.of(loaded.kb, SiteConfig())


def test_whats_new_is_newest_appearance_first(tmp_path: Path) -> None:
    files = dict(APPEARED)
    # added to the map last, but appeared first: an order by `added` would put it on top
    files["map/models/old.md"] = files["map/models/old.md"].replace(
        "added: 2026-11-26", "added: 2026-11-29"
    )
    context = listings._new(data_of(tmp_path, files))
    assert [t.id for t in context["topics"]] == [
        "june-a",
        "june-b",
        "march",
        "year-only",
        "december",
        "old",
    ]


def test_timeline_orders_each_year_by_month(tmp_path: Path) -> None:
    (branch,) = listings.timeline(data_of(tmp_path, APPEARED))
    years = {year: [t.id for t in topics] for year, topics in branch["years"]}
    assert list(years) == [2024, 2025, 2026]
    assert years[2026] == ["march", "june-a", "june-b", "year-only"]


def test_whats_new_page_shows_when_each_topic_appeared(tmp_path: Path) -> None:
    files = dict(APPEARED)
    files["map/models/june-a.md"] = files["map/models/june-a.md"].replace(
        "added: 2026-11-26", "added: 2025-01-01"
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FOMO_CACHE_DIR", str(tmp_path / "cache"))
        build_site(write_kb(tmp_path / "kb", files), tmp_path / "out", search=False)
    html = (tmp_path / "out/new.html").read_text()
    entry = html[html.index("Alpha June") :]
    entry = entry[: entry.index("</li>")]
    assert '<time datetime="2026-06">2026-06</time>' in entry
    assert "2025-01-01" not in entry.split("</a>", 1)[1]
    assert '<time datetime="2024">2024</time>' in html[html.index("Old Model") :]
    assert "by when they appeared" in html


def test_example_searches_are_the_most_referred_topics_one_per_branch(tmp_path: Path) -> None:
    from tests.conftest import topic_file

    files = {
        "map/index.md": topic_file("Root", "All of it."),
        "map/training/index.md": topic_file("Training", "How models learn."),
        "map/training/lora.md": topic_file(
            "LoRA", "Low-rank adapters.", aliases="[Low-Rank Adaptation]"
        ),
        "map/training/dpo.md": topic_file(
            "Direct Preference Optimization", "Preference pairs.", aliases="[DPO]", related="[lora]"
        ),
        "map/training/rlhf.md": topic_file(
            "Reinforcement Learning from Human Feedback",
            "A reward model.",
            aliases="[RLHF]",
            builds_on="[lora]",
        ),
        "map/serving/index.md": topic_file(
            "Serving", "Running models.", builds_on="[training, kv-cache]"
        ),
        "map/serving/kv-cache.md": topic_file("KV Cache", "Keys and values kept.", related="[dpo]"),
        "map/serving/paging.md": topic_file("Paged Attention", "Pages.", builds_on="[kv-cache]"),
    }
    examples = listings.example_searches(data_of(tmp_path, files))
    # most referred first, ties by title (kv-cache and lora: 2 each); one per branch (dpo, 1,
    # loses to lora); never a branch top (serving) or a topic nothing refers to (paging, rlhf)
    assert examples == ["KV Cache", "LoRA"]
