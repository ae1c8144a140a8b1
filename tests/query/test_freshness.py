"""Freshness: stale reviews, quiet branches, unpromoted emerging topics, changes, timelines."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from fomo.errors import FomoError
from fomo.kb.load import load
from fomo.query import freshness
from tests.conftest import topic_file

TODAY = dt.date(2026, 11, 26)


@pytest.fixture
def aged_kb(make_kb) -> Path:
    def topic(title: str, added: str, reviewed: str | None, **extra: str) -> str:
        text = topic_file(title, f"About {title}.", **extra)
        text = text.replace("added: 2026-11-26", f"added: {added}")
        if reviewed is None:
            return text.replace("reviewed: 2026-11-26\n", "")
        return text.replace("reviewed: 2026-11-26", f"reviewed: {reviewed}")

    return make_kb(
        {
            "map/index.md": topic("Root", "2020-01-01", "2026-11-01"),
            "map/old/index.md": topic("Old Branch", "2020-01-01", "2026-11-01", order="1"),
            "map/old/ancient.md": topic("Ancient", "2021-01-01", "2022-01-01", year="2017"),
            "map/old/unseen.md": topic("Unseen", "2021-01-01", None, year="2017"),
            "map/new/index.md": topic("New Branch", "2026-11-20", "2026-11-20", order="2"),
            "map/new/hot.md": topic(
                "Hot", "2026-11-24", "2026-11-24", status="emerging", year="2026"
            ),
            "map/new/cold.md": topic(
                "Cold", "2025-01-01", "2026-11-25", status="emerging", year="2024"
            ),
        }
    )


def test_parse_age_and_date() -> None:
    assert freshness.parse_age("180d").days == 180
    assert freshness.parse_age("2w").days == 14
    assert freshness.parse_age("1y").days == 365
    assert freshness.parse_date("2026-01-02") == dt.date(2026, 1, 2)
    assert freshness.parse_date("7d", TODAY) == dt.date(2026, 11, 19)
    with pytest.raises(FomoError, match="cannot read"):
        freshness.parse_age("soon")
    with pytest.raises(FomoError, match="YYYY-MM-DD"):
        freshness.parse_date("yesterday-ish")


def test_stale_lists_old_reviews_quiet_branches_and_emerging(aged_kb: Path) -> None:
    report = freshness.stale(load(aged_kb).kb, dt.timedelta(days=180), TODAY)
    assert [(t.id, t.days) for t in report.topics] == [("unseen", None), ("ancient", 1790)]
    assert [b.id for b in report.branches] == ["old"]
    assert [e.id for e in report.emerging] == ["cold"]
    assert not report.empty and report.as_dict()["older_than_days"] == 180


def test_changes_from_dates_newest_first(aged_kb: Path) -> None:
    events = freshness.changes(load(aged_kb).kb, dt.date(2026, 11, 20), aged_kb)
    assert [(e.date, e.kind, e.id) for e in events] == [
        ("2026-11-25", "reviewed", "cold"),
        ("2026-11-24", "added", "hot"),
        ("2026-11-20", "added", "new"),
    ]
    assert events[1].branch == "New Branch"
    digest = freshness.digest_markdown(events, dt.date(2026, 11, 20))
    assert digest.startswith("# New in the LLM map since 2026-11-20")
    assert "## New topics" in digest and "- **Hot** `hot` (New Branch), 2026-11-24" in digest
    assert "Nothing new." in freshness.digest_markdown([], TODAY)


def test_digest_escapes_markdown_in_titles() -> None:
    event = freshness.Event("2026-11-26", "added", "x", "A *bold* [link](javascript:x)", "f.md")
    assert "A \\*bold\\* \\[link\\](javascript:x)" in freshness.digest_markdown([event], TODAY)


def test_timeline_by_year(aged_kb: Path) -> None:
    kb = load(aged_kb).kb
    assert freshness.timeline(kb) == {2017: ["ancient", "unseen"], 2024: ["cold"], 2026: ["hot"]}
    assert freshness.timeline(kb, "new") == {2024: ["cold"], 2026: ["hot"]}


def test_absurd_ages_are_refused_not_overflowed() -> None:
    import pytest

    from fomo.errors import FomoError
    from fomo.query.freshness import parse_age, parse_date

    with pytest.raises(FomoError, match="before any LLM"):
        parse_age("99999y")
    with pytest.raises(FomoError):
        parse_date("99999y")


# The reader's clock: when the thing appeared (`released`, else `year`), not when it was added.
APPEARED = {
    "map/index.md": topic_file("Root", "The root."),
    "map/models/index.md": topic_file("Models", "Released models.", order="1"),
    "map/models/june-b.md": topic_file("Beta June", "B.", year="2026", released="2026-06"),
    "map/models/june-a.md": topic_file("Alpha June", "A.", year="2026", released="2026-06"),
    "map/models/march.md": topic_file("March Model", "M.", year="2026", released="2026-03"),
    "map/models/year-only.md": topic_file("Some 2026 Tool", "Y.", year="2026"),
    "map/models/december.md": topic_file("December Model", "D.", year="2025", released="2025-12"),
    "map/models/old.md": topic_file("Old Model", "O.", year="2024"),
    "map/models/undated.md": topic_file("Undated", "U."),
}


@pytest.fixture
def appeared_kb(make_kb) -> Path:
    # added dates run against the release dates, so an order by `added` would fail the tests
    files = dict(APPEARED)
    files["map/models/old.md"] = files["map/models/old.md"].replace(
        "added: 2026-11-26", "added: 2026-11-29"
    )
    files["map/models/june-a.md"] = files["map/models/june-a.md"].replace(
        "added: 2026-11-26", "added: 2025-01-01"
    )
    return make_kb(files)


def test_parse_month() -> None:
    assert freshness.parse_month("2026-06") == (2026, 6)
    assert freshness.parse_month(" 2026 ") == (2026, 1)
    for bad in ("2026-13", "2026-00", "2026-6", "June", "2026-06-01", ""):
        with pytest.raises(FomoError, match="cannot read the month") as caught:
            freshness.parse_month(bad)
        assert "YYYY-MM" in (caught.value.hint or "")


def test_newest_first_by_month_then_year_only_then_title(appeared_kb: Path) -> None:
    kb = load(appeared_kb).kb
    assert [t.id for t in freshness.newest_first(kb.walk())] == [
        "june-a",  # same month as june-b: by title
        "june-b",
        "march",
        "year-only",  # 2026 without a month: after the dated months of 2026
        "december",
        "old",
    ]


def test_appeared_since_a_month(appeared_kb: Path) -> None:
    kb = load(appeared_kb).kb
    found, unknown = freshness.appeared_since(kb, (2026, 3))
    assert [(a.appeared, a.id, a.branch) for a in found] == [
        ("2026-06", "june-a", "Models"),
        ("2026-06", "june-b", "Models"),
        ("2026-03", "march", "Models"),
    ]
    assert unknown == ["year-only"]  # may be older than March: named, not listed
    found, unknown = freshness.appeared_since(kb, (2026, 1))
    assert [a.id for a in found] == ["june-a", "june-b", "march", "year-only"] and not unknown
    found, _ = freshness.appeared_since(kb, (2025, 12))
    assert [a.id for a in found][-1] == "december" and "old" not in [a.id for a in found]
    assert freshness.appeared_since(kb, (2027, 1)) == ([], [])


def test_appeared_markdown_escapes_titles() -> None:
    item = freshness.Appearance("2026-06", "x", "A *bold* name", "map/x.md", "Models")
    text = freshness.appeared_markdown([item], (2026, 6))
    assert text.startswith("# Appeared since 2026-06 in the LLM map")
    assert "- **A \\*bold\\* name** `x` (Models), 2026-06" in text
    assert "Nothing the map knows of." in freshness.appeared_markdown([], (2026, 6))


def test_timeline_orders_a_year_by_month(appeared_kb: Path) -> None:
    years = freshness.timeline(load(appeared_kb).kb)
    assert list(years) == [2024, 2025, 2026]
    assert years[2026] == ["march", "june-a", "june-b", "year-only"]
