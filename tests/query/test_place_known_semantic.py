"""The semantic method's "already known" decision: the embeddings are evidence too."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

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


VERSIONS_KB = {
    "map/index.md": "---\ntitle: Root\nessence: All topics.\n---\n",
    "map/grok/index.md": "---\ntitle: Grok\nessence: xAI's chatbot models built into X.\n---\n",
    "map/grok/grok-4-7.md": "---\ntitle: Grok 4.7\nessence: xAI's chatbot model with a long"
    " context, built into X.\n---\n",
    "map/grok/grok-3-mini.md": "---\ntitle: Grok 3 Mini\nessence: A small xAI chatbot model.\n---\n",
    "map/other.md": "---\ntitle: Other\nessence: Unrelated tools.\n---\n",
}


def test_a_text_naming_no_version_is_the_family_not_its_latest_version(
    make_kb: Callable[..., Path],
) -> None:
    """When a version ("Grok 4.7") and its family ("Grok") all but tie, a text without a version
    number describes the family; with one, or when the version is clearly nearer, or with the
    family left out, the version stays the nearest topic."""
    from fomo.kb.load import load
    from fomo.query.place import model_for

    model = model_for(load(make_kb(VERSIONS_KB)).kb)
    grok, latest = model.position["grok"], model.position["grok-4-7"]
    plain = model.query_vector("xAI's chatbot model built into X")
    versioned = model.query_vector("xAI's chatbot model 4.7 built into X")
    tie = {grok: 0.50, latest: 0.51}
    found = model.known_features(plain, tie, set())
    assert found is not None and found[0] == grok
    assert found[1][0] == pytest.approx(0.50) and found[1][1] == pytest.approx(-0.01)
    assert model.known_features(versioned, tie, set())[0] == latest  # type: ignore[index]
    clearly = {grok: 0.45, latest: 0.51}
    assert model.known_features(plain, clearly, set())[0] == latest  # type: ignore[index]
    assert model.known_features(plain, {latest: 0.51}, {grok})[0] == latest  # type: ignore[index]
    mini = model.position["grok-3-mini"]  # the number need not be the version's last word
    assert model.known_features(plain, {grok: 0.50, mini: 0.51}, set())[0] == grok  # type: ignore[index]
    other = model.position["other"]  # no version of it: a near tie changes nothing
    assert model.known_features(plain, {grok: 0.51, other: 0.52}, set())[0] == other  # type: ignore[index]
