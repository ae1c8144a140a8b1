"""The lexical placement model: tokenising, already-known detection, ranking parents."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from fomo.errors import FomoError
from fomo.kb.load import load
from fomo.query.place import MAX_CHARS, PlacementModel, model_for, place, split_text, tokens
from tests._placekb import PLACE_KB


@pytest.fixture
def model(make_kb: Callable[..., Path]) -> PlacementModel:
    return model_for(load(make_kb(PLACE_KB)).kb)


def test_tokens_fold_compounds_spelling_and_plurals() -> None:
    assert tokens("KV-cache") == ["kvcach", "kv", "cach"]
    assert tokens("tokenisation") == tokens("Tokenization") == tokens("tokenizations")
    assert tokens("quantized") == tokens("quantization")
    assert tokens("the of and with") == []


@pytest.mark.parametrize(
    ("text", "expected", "how"),
    [
        ("DPO", "dpo", "id"),
        ("D.P.O.", "dpo", "id"),
        ("Direct preference optimisation", "dpo", "title"),
        ("Direkt Preference Optimization", "dpo", "fuzzy"),
        ("ORPO: Monolithic Preference Optimization without Reference Model", "orpo", "id"),
        ("A paper on (PEFT) adapters", "fine-tuning", "alias"),
    ],
)
def test_names_and_spelling_variants_are_already_known(
    model: PlacementModel, text: str, expected: str, how: str
) -> None:
    title, body = split_text(text)
    found = model.place(title, body).existing
    assert found is not None
    assert (found.id, found.how) == (expected, how)


def test_a_paraphrase_is_already_known(model: PlacementModel) -> None:
    found = model.place("keeping the keys and values of earlier tokens so decoding is faster")
    assert found.existing is not None
    assert found.existing.id == "kv-cache"
    assert found.existing.how == "paraphrase"


def test_a_new_method_gets_ranked_parents_with_evidence(model: PlacementModel) -> None:
    placed = model.place(
        "KTO-Lite: Aligning Language Models with Binary Human Feedback",
        "We align a language model to human preferences using a binary desirable or "
        "undesirable signal per output instead of preference pairs, with no reward model.",
    )
    assert placed.existing is None
    best = placed.candidates[0]
    assert best.id == "preferences"
    assert [step[0] for step in best.path] == ["large-language-models", "training", "preferences"]
    assert "preferences" in best.terms
    assert best.nearest and 0 < best.score <= 1


def test_new_adapter_goes_under_peft(model: PlacementModel) -> None:
    placed = model.place("DoRA: weight-decomposed low-rank adaptation of frozen weights")
    assert placed.existing is None
    assert placed.candidates[0].id == "fine-tuning"


def test_acronyms_expand_through_aliases(model: PlacementModel) -> None:
    vector = model.query_vector("a new RLHF recipe")
    assert "reinforc" in vector or "reinforcement" in vector
    assert model.analyse("direct preference optimization")[-1] == "~dpo"


def test_excluded_topics_are_gone(model: PlacementModel) -> None:
    placed = model.place(
        "Reinforcement Learning from Human Feedback",
        "Trains a reward model on human rankings, then optimises the policy against it.",
        exclude={"rlhf"},
        top=3,
    )
    assert placed.existing is None or placed.existing.id != "rlhf"
    ids = [c.id for c in placed.candidates]
    assert "rlhf" not in ids
    assert ids[0] == "preferences"


def test_json_shape(model: PlacementModel) -> None:
    shape = model.place("speculative decoding with a draft model", top=2).as_dict()
    assert set(shape) >= {"existing", "candidates"}
    assert len(shape["candidates"]) == 2
    candidate = shape["candidates"][0]
    assert set(candidate) == {"id", "title", "path", "score", "evidence"}
    assert set(candidate["evidence"]) == {"terms", "nearest"}


def test_empty_text_is_refused(model: PlacementModel) -> None:
    with pytest.raises(FomoError, match="empty"):
        model.place("   ", "")


def test_enormous_text_is_cut_with_a_notice(model: PlacementModel) -> None:
    placed = model.place("Quantization", "bits " * (MAX_CHARS // 2))
    assert any("only the first" in n for n in placed.notices)
    assert len(placed.text) <= MAX_CHARS + 1


def test_non_english_text_gets_a_notice_not_a_crash(model: PlacementModel) -> None:
    placed = model.place("大型语言模型的偏好优化方法")
    assert placed.existing is None
    assert any("English" in n for n in placed.notices)


def test_unrelated_text_has_low_similarity(model: PlacementModel) -> None:
    assert model.place("Soil moisture in alpine meadows").best_similarity < 0.12


def test_model_is_built_once_per_knowledge_base(make_kb: Callable[..., Path]) -> None:
    kb = load(make_kb(PLACE_KB)).kb
    assert model_for(kb) is model_for(kb)
    assert place(kb, "LoRA").existing.id == "lora"
