"""The second encoder of the semantic method (WordLlama's static vectors) and how the semantic
scorer combines the two encoders' evidence."""

from __future__ import annotations

import socket

import pytest

from fomo.query.place import SEMANTIC_FEATURES, PlacementModel
from fomo.query.place.semantic import QueryEmbedding
from fomo.query.place.wordvectors import available, encode_cached
from tests.query.test_place import FakeEncoder


class OnesEncoder:
    """Every text is the same unit vector: a second encoder that tells nothing apart."""

    def __init__(self) -> None:
        self.calls = 0

    def encode(self, texts: list[str]):  # type: ignore[no-untyped-def]
        np = pytest.importorskip("numpy")
        self.calls += 1
        return np.full((len(texts), 4), 0.5, dtype=np.float32)


@pytest.mark.skipif(not available(), reason="the `semantic` extra (wordllama) is not installed")
def test_word_vectors_load_from_the_wheel_without_the_network(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    np = pytest.importorskip("numpy")
    import requests

    from fomo.query.place.wordvectors import WordVectors

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the encoder tried the network")

    monkeypatch.setattr(requests, "get", refuse)
    monkeypatch.setattr(requests.Session, "request", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setenv("HOME", "/nonexistent")  # no download cache to fall back on either
    vectors = WordVectors().encode(
        [
            "preference optimization of language models",
            "optimizing language models on human preferences",
            "a chocolate cake recipe with butter",
            "",
        ]
    )
    assert vectors.shape == (4, 256) and not np.isnan(vectors).any()
    assert np.allclose(np.linalg.norm(vectors[:3], axis=1), 1.0, atol=1e-5)
    assert np.linalg.norm(vectors[3]) == 0.0  # no token: a zero vector, not NaN
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_topic_word_vectors_are_cached_by_content() -> None:
    np = pytest.importorskip("numpy")
    encoder = FakeEncoder()
    first = encode_cached(["alpha", "beta"], encoder)
    again = encode_cached(["alpha", "beta"], encoder)
    assert encoder.calls == 1 and np.array_equal(first, again)
    encode_cached(["alpha", "gamma"], encoder)
    assert encoder.calls == 2  # another text, another key


def test_known_evidence_is_the_mean_of_the_two_encoders(model: PlacementModel) -> None:
    pytest.importorskip("numpy")
    semantic = PlacementModel(model.kb, encoder=FakeEncoder(), word_encoder=OnesEncoder())
    scorer = semantic.semantic()
    query = scorer.embed("low-rank adapters for fine-tuning")
    assert isinstance(query, QueryEmbedding) and query.words.shape == (4,)
    evidence = scorer.similarities(query, {0})
    sentence = scorer.matrix @ query.sentence
    assert 0 not in evidence and len(evidence) == len(model.ids) - 1
    for i, value in evidence.items():
        assert value == pytest.approx((float(sentence[i]) + 1.0) / 2, abs=1e-5)
    # in ranking parents the second encoder only gives the word_family feature
    alone = PlacementModel(model.kb, encoder=FakeEncoder(), word_encoder=FakeEncoder()).semantic()
    text = "DoRA: weight-decomposed low-rank adaptation"
    sims = semantic.similarities(semantic.query_vector(text), set())
    lexical = semantic.order_parents(sims, semantic.rank_parents(sims, set()), set())
    ones, ones_rows = scorer.features(scorer.embed(text), sims, lexical, set())
    fake, fake_rows = alone.features(alone.embed(text), sims, lexical, set())
    assert ones == fake
    column = SEMANTIC_FEATURES.index("word_family")
    others = [k for k in range(len(SEMANTIC_FEATURES)) if k != column]
    assert (ones_rows[:, others] == fake_rows[:, others]).all()
    assert (ones_rows[:, column] != fake_rows[:, column]).any()


def test_an_encoder_passed_alone_serves_as_both(model: PlacementModel) -> None:
    pytest.importorskip("numpy")
    encoder = FakeEncoder()
    scorer = PlacementModel(model.kb, encoder=encoder).semantic()
    assert scorer.word_encoder is encoder
