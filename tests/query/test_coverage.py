"""Coverage: shares per branch, open parts, topics no article covers."""

from __future__ import annotations

import textwrap
from pathlib import Path

from fomo.kb.load import load
from fomo.query.coverage import coverage
from tests.conftest import STARTER


def test_starter_map_has_no_articles(starter_kb: Path) -> None:
    report = coverage(load(starter_kb).kb)
    assert [b.id for b in report.branches] == ["basics", "training"]
    training = report.branches[1]
    assert (training.topics, training.with_article, training.with_references) == (5, 0, 1)
    assert training.as_dict()["share_references"] == 0.2
    assert report.total.topics == 8
    assert [(p.session, p.part, p.topics) for p in report.open_parts] == [(1, 1, ["preferences"])]
    assert "dpo" in report.uncovered and "large-language-models" not in report.uncovered


def test_an_article_covers_its_part_subtree_and_bodies_count(make_kb) -> None:
    files = dict(STARTER)
    files["sessions/01-training/index.md"] = textwrap.dedent(
        """\
        ---
        title: Training
        parts:
          - {number: 1, title: Preferences, topics: [preferences], status: draft, article: prefs.md}
        ---
        """
    )
    files["sessions/01-training/prefs.md"] = (
        "---\ntitle: Prefs\ntopics: [preferences]\n---\nText.\n"
    )
    files["map/basics/tokenization.md"] += "A body.\n"
    report = coverage(load(make_kb(files)).kb)
    basics, training = report.branches
    assert training.with_article == 4  # preferences, rlhf, dpo, ppo; not the branch itself
    assert basics.with_body == 1 and basics.share(basics.with_body) == 0.5
    assert report.open_parts == []
    assert report.uncovered == ["basics", "tokenization", "training"]
    data = report.as_dict()
    assert data["total"]["with_article"] == 4
