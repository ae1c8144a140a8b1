"""The semantic method's "already known" decision: the embeddings are evidence too."""

from __future__ import annotations

import pytest

from fomo.query.place import (
    KNOWN_FEATURES,
    SEMANTIC_KNOWN_FEATURES,
    PlacementModel,
)
from fomo.query.place import known as known_module
from fomo.query.place.known import blend
from tests.query.test_place import LORA_WORDS, FakeEncoder


def test_blend_is_the_mean_over_topics_sharing_a_word() -> None:
    assert blend({1: 0.2, 2: 0.6}, {1: 0.8, 2: 0.0, 3: 0.9}) == {1: 0.5, 2: 0.3}


def test_the_nearest_topic_is_by_the_blend(model: PlacementModel) -> None:
    """An embedding that prefers the lexically second topic moves the choice to it, and the
    two embedding features describe that topic."""
    vector = model.query_vector(LORA_WORDS)
    sims = model.similarities(vector, set())
    first, second = sorted(sims, key=lambda i: -sims[i])[:2]
    embedding = dict.fromkeys(range(len(model.ids)), 0.1)
    embedding[second] = 0.1 + 2 * (sims[first] - sims[second]) + 0.3
    lexical = model.known_features(vector, sims, set())
    found = model.known_features(vector, sims, set(), embedding=embedding)
    assert lexical is not None and lexical[0] == first and len(lexical[1]) == len(KNOWN_FEATURES)
    assert found is not None and found[0] == second
    named = dict(zip(SEMANTIC_KNOWN_FEATURES, found[1], strict=True))
    assert named["embedding"] == pytest.approx(embedding[second])
    assert named["embedding_margin"] == pytest.approx(embedding[second] - 0.1)
    assert named["similarity"] == pytest.approx((sims[second] + embedding[second]) / 2)


def test_the_semantic_weights_decide_with_the_embeddings(
    model: PlacementModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The nine-feature model is the semantic one: its weights and threshold apply, and a
    higher embedding cosine makes "already known" more likely."""
    weights = tuple(5.0 if f == "embedding" else 0.0 for f in SEMANTIC_KNOWN_FEATURES)
    monkeypatch.setattr(known_module, "SEMANTIC_KNOWN_WEIGHTS", weights)
    monkeypatch.setattr(known_module, "SEMANTIC_KNOWN_BIAS", -2.5)
    low = [0.0] * len(SEMANTIC_KNOWN_FEATURES)
    high = [1.0 if f == "embedding" else 0.0 for f in SEMANTIC_KNOWN_FEATURES]
    assert model.known_probability(low) == pytest.approx(1 / (1 + 2.718281828**2.5))
    assert model.known_probability(high) == pytest.approx(1 / (1 + 2.718281828**-2.5))


def test_semantic_place_uses_the_semantic_known_model(
    model: PlacementModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("numpy")
    semantic = PlacementModel(model.kb, encoder=FakeEncoder())
    always = tuple(0.0 for _ in SEMANTIC_KNOWN_FEATURES)
    monkeypatch.setattr(known_module, "SEMANTIC_KNOWN_WEIGHTS", always)
    monkeypatch.setattr(known_module, "SEMANTIC_KNOWN_BIAS", 10.0)
    monkeypatch.setattr("fomo.query.place.model.SEMANTIC_KNOWN_THRESHOLD", 0.99)
    found = semantic.place(LORA_WORDS, method="semantic").existing
    assert found is not None and found.how == "paraphrase" and found.score > 0.99
    monkeypatch.setattr(known_module, "SEMANTIC_KNOWN_BIAS", -10.0)
    assert semantic.place(LORA_WORDS, method="semantic").existing is None
    assert semantic.place(LORA_WORDS, method="lexical").existing is not None  # lexical model


def test_an_embedding_close_to_a_topic_overrules_unrelated(
    model: PlacementModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Words alone call the text off-topic; the semantic method also reads the sentence, and
    a close enough embedding means it is about the map after all (the lexical method cannot)."""
    pytest.importorskip("numpy")
    semantic = PlacementModel(model.kb, encoder=FakeEncoder(), word_encoder=FakeEncoder())
    text = "Chocolate cake recipe with a low rank of flour"  # shares words, not enough of them
    monkeypatch.setattr("fomo.query.place.model.RELATED_EMBEDDING", 1.01)
    assert semantic.place(text, method="semantic").unrelated
    monkeypatch.setattr("fomo.query.place.model.RELATED_EMBEDDING", 0.0)
    assert not semantic.place(text, method="semantic").unrelated
    assert semantic.place(text, method="lexical").unrelated
