"""The matcher behind `fomo annotate`: boundaries, longest match, acronyms, ordinary words, URLs
and code, unicode, weak acronyms, ambiguity, HTML to text and the Markdown output."""

from __future__ import annotations

import pytest

from fomo.kb.load import load
from fomo.query.annotate import (
    annotate,
    build_index,
    by_branch,
    classify,
    find,
    html_to_text,
    to_markdown,
)
from tests.conftest import STARTER, topic_file

KB = {
    **STARTER,
    "map/basics/moe.md": topic_file("Mixture of Experts", "Experts and a router.", aliases="[MoE]"),
    "map/basics/attention.md": topic_file("Attention", "Tokens weigh each other."),
    "map/basics/self-attention.md": topic_file("Self-Attention", "A sequence attends to itself."),
    "map/basics/cot.md": topic_file(
        "Chain-of-Thought Prompting",
        "Reasoning steps in the answer.",
        aliases="[CoT, chain of thought]",
    ),
    "map/basics/orm.md": topic_file(
        "Outcome Reward Model", "Scores final answers.", aliases="[ORM]"
    ),
    "map/training/rl.md": topic_file("Reinforcement Learning", "Learning from reward."),
    "map/basics/mercury.md": topic_file("Mercury (Inception Labs)", "A diffusion LLM."),
    "map/basics/token-a.md": topic_file("Token Alpha", "One meaning.", aliases="[TKX]"),
    "map/basics/token-b.md": topic_file("Token Beta", "Another meaning.", aliases="[TKX]"),
    "map/basics/cafe.md": topic_file("Café Attention", "An accented name."),
}


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("annotate") / "kb"
    for rel, text in KB.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return load(root).kb


@pytest.fixture(scope="module")
def index(kb):
    return build_index(kb)


def found(index, text: str) -> list[tuple[str, str]]:
    return [(m.text, m.id) for m in find(index, text)]


def test_names_match_on_word_boundaries(index) -> None:
    assert found(index, "We use DPO and RLHF.") == [("DPO", "dpo"), ("RLHF", "rlhf")]
    assert found(index, "DPOTrainer, xRLHF and PPOs2 are not names") == []


def test_the_longest_name_wins(index) -> None:
    text = "Reinforcement Learning from Human Feedback beats Reinforcement Learning alone."
    assert found(index, text) == [
        ("Reinforcement Learning from Human Feedback", "rlhf"),
        ("Reinforcement Learning", "rl"),
    ]


def test_separators_case_plural_and_spelling_do_not_matter_for_long_names(index) -> None:
    assert found(index, "long chains of thought and chain-of-thought prompting") == [
        ("chains of thought", "cot"),
        ("chain-of-thought prompting", "cot"),
    ]
    assert found(index, "British tokenisation, plural Tokenizations") == [
        ("tokenisation", "tokenization"),
        ("Tokenizations", "tokenization"),
    ]


def test_short_acronyms_keep_their_case(index) -> None:
    assert classify("MoE") == "exact"
    text = "Direct Preference Optimization with a MoE; moe and Moe are not it, and MoEs are."
    assert found(index, text) == [
        ("Direct Preference Optimization", "dpo"),
        ("MoE", "moe"),
        ("MoEs", "moe"),
    ]


def test_ordinary_words_count_only_as_proper_nouns_or_in_longer_names(index) -> None:
    assert classify("Attention") == "proper"
    assert found(index, "Pay attention. Attention matters.") == []
    assert found(index, "We studied the Attention block and self-attention.") == [
        ("Attention", "attention"),
        ("self-attention", "self-attention"),
    ]


def test_a_title_qualifier_is_not_part_of_the_name(index) -> None:
    assert found(index, "Tokenization, then Mercury writes code.") == [
        ("Tokenization", "tokenization"),
        ("Mercury", "mercury"),
    ]


def test_urls_addresses_and_code_are_skipped(index) -> None:
    text = (
        "See https://example.org/dpo/rlhf and www.example.org/ppo, mail dpo@example.com, "
        "read huggingface.co/RLHF/x, call `DPO()` or tokenizer.encode(), then\n"
        "```\nRLHF = PPO\n```\n<code>DPO</code> [DPO](https://x.org) #RLHF"
    )
    assert found(index, text) == []


def test_unicode_text_and_names(index) -> None:
    text = "日本語の説明: DPO です。Naïve Café Attention, and Über-RLHF."
    assert found(index, text) == [
        ("DPO", "dpo"),
        ("Café Attention", "cafe"),
        ("RLHF", "rlhf"),
    ]
    assert found(index, "cafe attention") == [("cafe attention", "cafe")]


def test_a_lone_short_acronym_needs_a_stronger_mention_nearby(index) -> None:
    assert found(index, "Our Django app uses an ORM for every query.") == []
    text = "An ORM scores answers; a process reward model is the alternative to the Outcome Reward Model."
    assert ("ORM", "orm") in found(index, text)


def test_an_ambiguous_name_lists_its_candidates(kb, index) -> None:
    result = annotate(kb, "The TKX field, next to Tokenization.", index)
    (row, _) = result.as_list()
    assert row["text"] == "TKX"
    assert [c["id"] for c in row["candidates"]] == ["token-a", "token-b"]


def test_json_rows_carry_span_path_and_essence(kb, index) -> None:
    result = annotate(kb, "Then DPO, beyond RLHF.", index)
    first = result.as_list()[0]
    assert first == {
        "text": "DPO",
        "start": 5,
        "end": 8,
        "id": "dpo",
        "title": "Direct Preference Optimization",
        "path": [
            "Large Language Models",
            "Training LLMs",
            "Fine-tuning to human preferences",
            "Direct Preference Optimization",
        ],
        "essence": "Fine-tunes directly on preference pairs without a reward model.",
    }


def test_groups_by_branch_most_specific_first(kb, index) -> None:
    result = annotate(kb, "Training LLMs with RLHF; Tokenization too.", index)
    groups = by_branch(result)
    assert [branch for branch, _ in groups] == ["Training LLMs", "Building Blocks"]
    assert [item.id for item, _ in groups[0][1]] == ["rlhf", "training"]


def test_markdown_links_first_mentions_and_adds_a_glossary(kb, index) -> None:
    result = annotate(kb, "DPO then RLHF, and DPO again.", index)
    text = to_markdown(result, lambda tid: f"https://x.org/topics/{tid}.html")
    assert text.startswith(
        "[DPO](<https://x.org/topics/dpo.html>) then [RLHF](<https://x.org/topics/rlhf.html>), "
        "and DPO again."
    )
    assert "**Glossary**" in text
    assert "- [Direct Preference Optimization](<https://x.org/topics/dpo.html>)" in text


def test_html_becomes_text_with_code_fenced() -> None:
    html = (
        "<html><head><title>t</title><script>var RLHF = 1</script><style>.DPO{}</style></head>"
        "<body><h1>On DPO</h1><p>Use <code>DPO()</code> &amp; RLHF.</p><pre>PPO\nRLHF</pre>"
        "</body></html>"
    )
    text = html_to_text(html)
    assert "var RLHF" not in text and ".DPO" not in text
    assert text.startswith("On DPO\nUse `DPO()` & RLHF.")
    assert "```\nPPO\nRLHF\n```" in text
    assert html_to_text("") == ""


def test_a_long_lived_index_keeps_its_word_tables_bounded(kb, monkeypatch) -> None:
    from fomo.query import annotate as module

    monkeypatch.setattr(module, "WORD_CACHE", 50)
    index = build_index(kb)
    for batch in range(10):
        text = " ".join(f"word{batch}x{i}" for i in range(40)) + " uses Mixture of Experts"
        assert ("Mixture of Experts", "moe") in found(index, text)
        assert len(index.starts) <= 50 + 45 and len(index.word_keys) <= 50 + 45
