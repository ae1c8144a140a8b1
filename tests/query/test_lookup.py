"""Name lookup: exact -> unique partial -> clear misspelling, and nothing silently wrong."""

from __future__ import annotations

import pytest

from fomo.errors import FomoError
from fomo.model import Topic
from fomo.query.lookup import (
    MAX_TERM,
    Name,
    NoAnswer,
    TableNames,
    capitals,
    resolve,
    similarity,
    variant,
)


def topic(tid: str, title: str, *aliases: str) -> Topic:
    return Topic(id=tid, title=title, essence="x", aliases=list(aliases))


NAMES = TableNames.of(
    [
        topic("olmo", "OLMo"),
        topic("autogpt", "AutoGPT"),
        topic("palm", "PaLM"),
        topic("deepseek", "DeepSeek", "DeepSeek models"),
        topic("evaluating-llms", "Evaluating LLMs", "LLM evals"),
        topic("g-eval", "G-Eval"),
        topic("chinchilla-scaling-laws", "Chinchilla Scaling Laws", "compute-optimal scaling"),
        topic("multi-agent-systems", "Multi-Agent Systems"),
        topic("deepseek-r1", "DeepSeek-R1", "DeepSeek-R1-Zero"),
        topic("codex-2021", "Codex (2021 code model)"),
        topic("codex-cli", "OpenAI Codex CLI"),
        topic("math-dataset", "MATH Dataset", "Hendrycks MATH"),
        topic("math-benchmarks", "Math Benchmarks"),
        topic("gpt-2", "GPT-2"),
        topic("gptq", "GPTQ"),
        topic("dpo", "Direct Preference Optimization", "DPO"),
        topic("gshard", "GShard"),
        topic("lion", "Lion", "Lion optimizer"),
        topic("qwen3-5", "Qwen3.5", "Qwen 3.5"),
        topic("qwen4-max", "Qwen4-Max"),
    ]
)


@pytest.mark.parametrize(
    ("term", "expected", "kind"),
    [
        ("dpo", "dpo", "exact"),
        ("D.P.O.", "dpo", "exact"),
        ("direct preference optimisation", "dpo", "exact"),
        ("compute optimal scaling", "chinchilla-scaling-laws", "alias"),
        ("Chinchilla", "chinchilla-scaling-laws", "partial"),
        ("multi-agent", "multi-agent-systems", "partial"),
        ("R1-Zero", "deepseek-r1", "partial"),
        ("MATH", "math-dataset", "partial"),  # written as the name is: MATH Dataset, not Math ...
        ("Chinchilla Scal", "chinchilla-scaling-laws", "partial"),  # the last word cut short
        ("Qwen 4", "qwen4-max", "partial"),  # a version written apart from the name
        ("qwen 3.5", "qwen3-5", "exact"),
        ("direct preferance optimisaton", "dpo", "fuzzy"),
    ],
)
def test_each_tier_answers_with_its_kind(term: str, expected: str, kind: str) -> None:
    match = resolve(NAMES, term)
    assert (match.topic_id, match.kind) == (expected, kind)


@pytest.mark.parametrize(
    ("term", "contained"),
    [
        ("OLMoE", "olmo"),
        ("AutoGPTQ", "autogpt"),
        ("PaLM-E", "palm"),
        ("DeepSeekMoE", "deepseek"),
        ("C-Eval", None),
        ("GSM-Hard", None),  # close letters, but two words against one: not a typo of GShard
        ("Qwen 3", None),  # Qwen3.5 is another version, written apart or not
        ("Qwen3", None),
    ],
)
def test_a_name_that_extends_another_is_never_answered(term: str, contained: str | None) -> None:
    with pytest.raises(NoAnswer) as refused:
        resolve(NAMES, term)
    assert refused.value.why in ("closest", "none")
    if contained:
        assert refused.value.suggestions[0][0] == contained  # offered, first, but not answered


def test_a_paper_title_finds_the_topic_that_cites_it() -> None:
    from fomo.model import Paper

    attention = Paper("Attention Is All You Need", 2017)
    names = TableNames.of(
        [
            Topic(id="transformer", title="Transformer", essence="x", paper=attention),
            Topic(id="dpo", title="DPO", essence="x", paper=Paper("Your LM Is a Reward Model")),
            Topic(id="survey", title="A Survey", essence="x", paper=Paper("DPO")),
        ]
    )
    match = resolve(names, "attention is all you need")
    assert (match.topic_id, match.kind) == ("transformer", "paper")
    found = resolve(names, "DPO")  # a name comes before a paper that has it as its title
    assert (found.topic_id, found.kind) == ("dpo", "exact")
    both = TableNames.of(
        [Topic(id=t, title=t.upper(), essence="x", paper=attention) for t in ("a1", "b2")]
    )
    with pytest.raises(NoAnswer) as refused:
        resolve(both, "Attention Is All You Need")
    assert refused.value.why == "ambiguous"
    assert {tid for tid, _ in refused.value.suggestions} == {"a1", "b2"}
    qlora = Paper("QLoRA: Efficient Finetuning of Quantized LLMs", 2023)
    shared = TableNames.of(
        [
            Topic(id=t, title=title, essence="x", paper=qlora)
            for t, title in [("qlora", "QLoRA"), ("nf4", "NF4")]
        ]
    )
    assert resolve(shared, "QLoRA: efficient finetuning of quantized LLMs").topic_id == "qlora"
    plus = TableNames.of(
        [Topic(id="lora-plus", title="LoRA+", essence="x", paper=Paper("LoRA+: Efficient LoRA"))]
    )
    assert resolve(plus, "LoRA+: Efficient LoRA").kind == "paper"  # a symbol, yet a paper
    assert resolve(plus, "LoRA+").kind == "exact"


def test_an_acronym_is_not_taken_for_a_word_one_letter_away() -> None:
    """LAION (a dataset) is one letter from Lion (an optimizer): offered, never answered."""
    with pytest.raises(NoAnswer) as refused:
        resolve(NAMES, "LAION")
    assert refused.value.why == "closest"
    assert refused.value.suggestions[0][0] == "lion"
    assert capitals("LAION") and capitals("GPT-4") and not capitals("Lion") and not capitals("A")


def test_an_ambiguous_name_lists_every_topic_that_carries_it() -> None:
    with pytest.raises(NoAnswer) as refused:
        resolve(NAMES, "Codex")
    assert refused.value.why == "ambiguous"
    assert {tid for tid, _ in refused.value.suggestions} == {"codex-2021", "codex-cli"}


def test_hints_prefer_whole_words_and_a_shared_start() -> None:
    assert similarity("GPT", Name.of("GPT-2", "gpt-2", "title")) > similarity(
        "GPT", Name.of("GPTQ", "gptq", "title")
    )
    assert similarity("garak", Name.of("GAIA", "gaia", "title")) < 75


def test_variants_and_misspellings() -> None:
    assert variant("olmoe", "olmo") and variant("qwen3", "qwen") and variant("ceval", "eval")
    assert not variant("tokenizashun", "tokenization")


def test_left_out_topics_are_not_found() -> None:
    with pytest.raises(NoAnswer):
        resolve(NAMES.without(frozenset({"dpo"})), "DPO")


def test_a_huge_term_is_a_usage_error() -> None:
    with pytest.raises(FomoError, match="at most"):
        resolve(NAMES, "x" * (MAX_TERM + 1))


def test_a_name_with_its_expansion_in_parentheses() -> None:
    assert resolve(NAMES, "DPO (Direct Preference Optimization)").topic_id == "dpo"
    with pytest.raises(NoAnswer):
        resolve(NAMES, "DPO (OLMo)")  # the parts disagree: no answer


def test_a_symbol_the_key_drops_still_tells_names_apart() -> None:
    names = TableNames.of([topic("lora", "LoRA"), topic("lora-plus", "LoRA+ (LoRA Plus)")])
    assert resolve(names, "LoRA+").topic_id == "lora-plus"
    assert resolve(names, "LoRA").topic_id == "lora"
    with pytest.raises(NoAnswer) as missed:
        resolve(names, "QuIP#")
    assert missed.value.why == "none" and missed.value.suggestions == []
