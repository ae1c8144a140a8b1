"""Guards on the curated map shipped with FOMO, so the content cannot silently shrink or rot."""

from __future__ import annotations

from pathlib import Path

import pytest

from fomo.kb.load import load
from fomo.kb.names import name_key
from fomo.kb.validate import check

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"
REQUIRED_BRANCHES = (
    "Emergence of LLMs", "Building Blocks of LLMs", "Pretrained LLMs", "Prompt Engineering",
    "Training LLMs", "Evaluating LLMs", "LLM Deployment", "LLM Inference Optimisation",
    "LLMs with Large Context Windows", "Challenges with LLMs", "LLM Applications",
    "LLM Watermarking", "LLM Application Development", "LLM Courses",
    "Retrieval-Augmented Generation", "Agents and Tool Use", "Multimodal Models",
    "Reasoning Models", "Safety and Alignment", "Mixture of Experts",
    "Non-Transformer Architectures", "Small Language Models",
)  # fmt: skip


@pytest.fixture(scope="module")
def bundled():
    return load(KNOWLEDGE)


def test_loads_and_passes_check(bundled) -> None:
    assert check(bundled) == []


def test_is_large_and_has_every_required_branch(bundled) -> None:
    kb = bundled.kb
    assert len(kb) >= 600
    assert kb.root.title == "Large Language Models"
    branch_names = {
        name_key(name)
        for branch in kb.children(kb.root.id)
        for name in [branch.title, *branch.aliases]
    }
    missing = [b for b in REQUIRED_BRANCHES if name_key(b) not in branch_names]
    assert missing == []


def test_every_topic_is_dated_and_has_an_essence(bundled) -> None:
    undated = [t.id for t in bundled.kb.topics.values() if not (t.added and t.reviewed)]
    assert undated == []
    assert all(t.essence for t in bundled.kb.topics.values())


def test_preference_tuning_sits_where_the_brief_says(bundled) -> None:
    kb = bundled.kb
    family = {t.id for t in kb.descendants("fine-tuning-to-human-preferences")}
    assert {"rlhf", "dpo", "ipo", "kto", "orpo", "simpo", "grpo", "ppo"} <= family
    assert "ddpg" not in family
    assert "ppo" in kb.topics["dpo"].alternative_to


def test_sessions_outline_and_model_article(bundled) -> None:
    kb = bundled.kb
    assert [s.number for s in kb.sessions] == [1, 2, 3, 4, 5, 6]
    (article,) = [a for a in kb.articles if a.session == 4]
    assert len(article.body.split()) >= 1500
    assert "```mermaid" in article.body and article.body.count("!!! ") >= 2
    published = [p for s in kb.sessions for p in s.parts if p.status == "published"]
    assert [p.article for p in published] == ["fine-tuning-to-human-preferences.md"]
