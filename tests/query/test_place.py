"""The lexical placement model: tokenising, already-known detection, ranking parents."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from fomo.errors import FomoError
from fomo.kb.load import load
from fomo.query.place import (
    KNOWN_FEATURES,
    KNOWN_THRESHOLD,
    MAX_CHARS,
    PlacementModel,
    SemanticScorer,
    model_for,
    name_prefix,
    place,
    resolve_method,
    semantic_available,
    split_text,
    tokens,
)
from tests._placekb import PLACE_KB


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


# -- the family (sibling) term --------------------------------------------------------------

FAMILY_KB = {
    "map/index.md": "---\ntitle: Root\nessence: All topics.\n---\n",
    "map/decoding/index.md": "---\ntitle: Decoding\nessence: Producing output.\n---\n",
    "map/decoding/medusa.md": "---\ntitle: Medusa\nessence: Extra draft heads propose tokens that one verification pass accepts.\n---\n",
    "map/decoding/eagle.md": "---\ntitle: EAGLE\nessence: A draft head on the features proposes tokens for a verification pass.\n---\n",
    "map/decoding/lookahead.md": "---\ntitle: Lookahead decoding\nessence: Jacobi iterations propose draft tokens and a verification pass keeps them.\n---\n",
    "map/verification/index.md": "---\ntitle: Verification of proofs\nessence: Checking tokens of formal proofs.\n---\n",
    "map/verification/lean.md": "---\ntitle: Lean\nessence: An interactive theorem prover.\n---\n",
}


def test_a_new_leaf_goes_beside_its_siblings(make_kb: Callable[..., Path]) -> None:
    """The parent's own text says little ("Producing output"); its children say it all."""
    model = model_for(load(make_kb(FAMILY_KB)).kb)
    placed = model.place(
        "Hydra heads", "Sequential draft heads propose tokens checked in one verification pass."
    )
    assert placed.candidates[0].id == "decoding"
    assert {n[0] for n in placed.candidates[0].nearest} & {"medusa", "eagle", "lookahead"}


def test_family_similarity_leaves_out_excluded_children(make_kb: Callable[..., Path]) -> None:
    """With a child left out, the family cosine is that of the query with the sum of the unit
    vectors of the parent and its remaining children (the precomputed norm is corrected)."""
    full = model_for(load(make_kb(FAMILY_KB)).kb)
    q = full.query_vector("draft heads propose tokens for a verification pass")
    total: dict[str, float] = {}
    for k in [full.position[i] for i in ("decoding", "medusa", "lookahead")]:
        for term, w in full.vectors[k].items():
            total[term] = total.get(term, 0.0) + w
    by_hand = sum(w * total.get(t, 0.0) for t, w in q.items()) / (
        sum(w * w for w in total.values()) ** 0.5
    )
    eagle = full.position["eagle"]
    got = full.family_similarity(full.position["decoding"], full.similarities(q, {eagle}), {eagle})
    assert got == pytest.approx(by_hand)
    assert 0 < got <= 1


def test_left_out_topics_lose_their_names(model: PlacementModel) -> None:
    assert model.place("LoRA").existing.id == "lora"
    gone = model.place("LoRA", exclude={"lora"}).existing
    assert gone is None or gone.id != "lora"


# -- methods ----------------------------------------------------------------------------------


def test_auto_is_lexical_without_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("fomo.query.embed.available", lambda: False)
    assert resolve_method("auto") == "lexical"
    assert resolve_method("lexical") == "lexical"
    with pytest.raises(FomoError, match="semantic") as raised:
        resolve_method("semantic")
    assert "pip install" in (raised.value.hint or "")
    with pytest.raises(FomoError, match="unknown method"):
        resolve_method("magic")


def test_auto_is_semantic_with_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("fomo.query.embed.available", lambda: True)
    monkeypatch.setattr("fomo.query.place.wordvectors.available", lambda: True)
    assert resolve_method("auto") == "semantic"


def test_unknown_method_is_refused(model: PlacementModel) -> None:
    with pytest.raises(FomoError, match="unknown method"):
        model.place("LoRA", method="magic")


class FakeEncoder:
    """Bag-of-letters vectors: enough to exercise the semantic path without torch."""

    def __init__(self) -> None:
        self.calls = 0

    def encode(self, texts: list[str]):  # type: ignore[no-untyped-def]
        np = pytest.importorskip("numpy")
        self.calls += 1
        rows = np.zeros((len(texts), 26), dtype=np.float32)
        for i, text in enumerate(texts):
            for ch in text.lower():
                if "a" <= ch <= "z":
                    rows[i, ord(ch) - 97] += 1
        return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-9)


def test_semantic_scorer_ranks_and_reports_its_method(model: PlacementModel) -> None:
    pytest.importorskip("numpy")
    model = PlacementModel(model.kb, encoder=FakeEncoder())  # the encoder is passed in
    placed = model.place("DoRA: weight-decomposed low-rank adaptation", method="semantic", top=3)
    assert placed.method == "semantic"
    assert placed.as_dict()["method"] == "semantic"
    scores = [c.score for c in placed.candidates]
    assert scores == sorted(scores, reverse=True) and 0 < sum(scores) <= 1.0 + 1e-9
    assert len(placed.candidates) == 3
    assert isinstance(model.semantic(), SemanticScorer)


def test_a_feed_is_encoded_in_one_call(model: PlacementModel) -> None:
    pytest.importorskip("numpy")
    from fomo.ingest.items import Item
    from fomo.ingest.triage import triage

    encoder, word_encoder = FakeEncoder(), FakeEncoder()
    model = PlacementModel(model.kb, encoder=encoder, word_encoder=word_encoder)
    model.semantic()  # topic vectors: the first call of each
    before = (encoder.calls, word_encoder.calls)
    items = [Item("DoRA: weight-decomposed low-rank adaptation"), Item("Medusa heads"), Item("x y")]
    verdicts = triage(model, items, method="semantic")
    assert len(verdicts) == 3 and (encoder.calls, word_encoder.calls) == (
        before[0] + 1,
        before[1] + 1,
    )


def test_topic_embeddings_are_cached_by_content(tmp_path: Path) -> None:
    np = pytest.importorskip("numpy")
    from fomo.query.embed import cache_path, embed_cached

    encoder = FakeEncoder()
    first = embed_cached(["alpha", "beta"], encoder)  # type: ignore[arg-type]
    again = embed_cached(["alpha", "beta"], encoder)  # type: ignore[arg-type]
    assert encoder.calls == 1 and np.array_equal(first, again)
    assert cache_path(["alpha", "beta"]).is_file()
    embed_cached(["alpha", "gamma"], encoder)  # type: ignore[arg-type]
    assert encoder.calls == 2  # another text, another key


@pytest.mark.skipif(not semantic_available(), reason="the `semantic` extra is not installed")
def test_semantic_method_with_the_bundled_model(model: PlacementModel) -> None:
    placed = model.place(
        "Medusa-Lite",
        "Draft heads propose several tokens that are verified in one pass to speed up decoding.",
        method="semantic",
    )
    assert placed.method == "semantic"
    # Medusa-style draft heads are a kind of speculative decoding (the bundled map files Medusa
    # there): that leaf first, its parent close behind.
    assert placed.candidates[0].id == "speculative-decoding"
    assert "inference" in [c.id for c in placed.candidates[:3]]


@pytest.mark.parametrize(
    ("text", "known"),
    [
        ("PEFT", "fine-tuning"),
        ("Inference", "inference"),
        ("Direkt Preference Optimization", "dpo"),
    ],
)
def test_a_named_topic_is_not_its_own_candidate_parent(
    model: PlacementModel, text: str, known: str
) -> None:
    placed = model.place(text, top=20)
    assert placed.existing is not None and placed.existing.id == known
    inside = {t.id for t in model.kb.subtree(known)}
    assert placed.candidates and not inside & {c.id for c in placed.candidates}


def test_a_paraphrased_topic_stays_a_candidate_parent(model: PlacementModel) -> None:
    """A paraphrase match is a guess: if the text is new after all, it most likely specialises
    the topic it resembles (the placement benchmark loses parent accuracy otherwise)."""
    placed = model.place("adapting a pretrained model by training only a few added weights")
    assert placed.existing is not None
    assert (placed.existing.id, placed.existing.how) == ("fine-tuning", "paraphrase")
    assert placed.candidates[0].id == "fine-tuning"


def test_name_prefix_is_one_rule() -> None:
    assert name_prefix("SimPO: Simple Preference Optimization") == "SimPO"
    assert name_prefix("  KTO-Lite : binary feedback") == "KTO-Lite"
    assert name_prefix("A very long lead before the colon: x") is None
    assert name_prefix("A very long lead: x", max_words=4) == "A very long lead"
    assert name_prefix("Two words: x", max_words=1) is None
    assert name_prefix("No colon here") is None
    assert name_prefix("Line one\nsecond: x") is None


LORA_WORDS = "trains small low-rank matrices added to frozen weight matrices"


def _features(model: PlacementModel, text: str, gone: str = "") -> tuple[str, list[float]]:
    exclude = {model.position[gone]} if gone else set()
    vector = model.query_vector(text)
    found = model.known_features(vector, model.similarities(vector, exclude), exclude)
    assert found is not None
    return model.ids[found[0]], found[1]


def test_known_features_describe_the_nearest_topic(model: PlacementModel) -> None:
    nearest, features = _features(model, LORA_WORDS)
    assert nearest == "lora" and len(features) == len(KNOWN_FEATURES)
    named = dict(zip(KNOWN_FEATURES, features, strict=True))
    assert named["own_coverage"] == pytest.approx(1.0)  # every word is in LoRA's own text
    assert named["word_coverage"] == pytest.approx(1.0)
    assert named["family_coverage"] == 0.0
    assert named["distinctive"] == 1.0 and named["category"] == 0.0
    assert 0 < named["margin"] <= named["similarity"] <= 1


def test_word_coverage_is_the_share_of_the_query_idf_the_topic_has(model: PlacementModel) -> None:
    """Each query term counts once by its idf, whatever its weight in the query: the words of
    LoRA's essence that QLoRA's text lacks ("matrices": the term "matric") count against it."""
    vector = model.query_vector(LORA_WORDS)
    exclude = {model.position["lora"]}
    found = model.known_features(vector, model.similarities(vector, exclude), exclude)
    assert found is not None and model.ids[found[0]] == "qlora"
    doc = model.vectors[found[0]]
    covered = sum(model.idf[t] for t in vector if t in doc)
    expected = covered / sum(model.idf[t] for t in vector)
    named = dict(zip(KNOWN_FEATURES, found[1], strict=True))
    assert named["word_coverage"] == pytest.approx(expected)
    assert "matric" in vector and "matric" not in doc and 0.2 < expected < 0.8


def test_words_only_the_family_has_count_against_a_paraphrase(model: PlacementModel) -> None:
    """With LoRA gone, the nearest topic is its sibling QLoRA: part of the query is covered only
    by the family (the parent's "adapting ... weights"), the mark of a new sibling, so QLoRA is
    a less likely match than LoRA itself was."""
    nearest, features = _features(model, LORA_WORDS, gone="lora")
    named = dict(zip(KNOWN_FEATURES, features, strict=True))
    assert nearest == "qlora"
    assert named["family_coverage"] > 0 and named["own_coverage"] < 0.5
    assert 0 < named["word_coverage"] < 1  # QLoRA's text lacks some of the query's words
    _, present = _features(model, LORA_WORDS)
    assert model.known_probability(features) < model.known_probability(present)


def test_a_paraphrase_is_known_only_while_its_topic_is_there(model: PlacementModel) -> None:
    present = model.place(LORA_WORDS).existing
    assert present is not None and (present.id, present.how) == ("lora", "paraphrase")
    assert KNOWN_THRESHOLD <= present.score <= 1  # the score is the model's probability
    kv = "keeping the keys and values of earlier tokens so decoding is faster"
    assert model.place(kv, exclude={"kv-cache"}).existing is None


def test_known_probability_rises_with_coverage_and_margin(model: PlacementModel) -> None:
    """More coverage of the query by the topic (both measures together: they are collinear, so
    the fit may give one of them a negative weight alone) or a wider lead means more likely. A
    nearer topic raises its cosine and its leads over the next topic and the family alike."""
    _, base = _features(model, LORA_WORDS, gone="lora")
    named = dict(zip(KNOWN_FEATURES, base, strict=True))
    for raised in (
        {"similarity", "margin", "family_margin"},
        {"margin"},
        {"word_coverage"},
        {"own_coverage", "word_coverage"},
    ):
        better = [f + 0.2 if name in raised else f for name, f in named.items()]
        assert model.known_probability(better) > model.known_probability(base), raised
    worse = [f + 0.2 if n == "family_coverage" else f for n, f in named.items()]
    assert model.known_probability(worse) < model.known_probability(base)


def test_a_new_name_is_never_a_paraphrase(model: PlacementModel) -> None:
    """Every word but the unknown name is in LoRA's text: still new (the name veto)."""
    text = "DoRA: weight-decomposed low-rank adaptation of frozen weights"
    _, features = _features(model, text)
    assert model.known_probability(features) >= KNOWN_THRESHOLD
    assert model.place(text).existing is None


def test_unknown_words_count_against_a_match(model: PlacementModel) -> None:
    from fomo.query.place.known import known_share

    assert known_share(model, "direct preference optimization") == 1.0
    assert known_share(model, "Chocolate cake recipe with preference") < 0.5
    placed = model.place("Chocolate cake recipe with preference")
    assert placed.existing is None and placed.unrelated


def test_the_unrelated_rule() -> None:
    from fomo.query.place import unrelated

    assert unrelated(0.1, 1.0, "Soil moisture in meadows")  # no parent gathers support
    assert not unrelated(0.1, 1.0, "A prompting trick for chatbots")  # LLM vocabulary
    assert unrelated(0.5, 0.5, "Soil moisture in meadows")  # mostly unknown words
    assert not unrelated(0.7, 0.5, "Weight-decomposed adaptation")  # strong support
    assert unrelated(None, 0.0, "")


def test_for_a_paraphrase_a_compound_cue_counts_whole_never_by_its_parts() -> None:
    """ "pre-training" says a text is about LLMs; "train" alone (a train strike, a marathon
    training plan) only keeps a text from being called unrelated, as many of the field's
    topics use no other word of it."""
    from fomo.query.place import speaks_of_llms, unrelated

    assert speaks_of_llms("Pre-training data for small models", whole_words=True)
    assert speaks_of_llms("Chain-of-thought for arithmetic", whole_words=True)
    for text in ("Train strike disrupts commuters", "Plain text in natural chains"):
        assert speaks_of_llms(text) and not speaks_of_llms(text, whole_words=True)
        assert not unrelated(0.1, 1.0, text) and unrelated(0.1, 1.0, text, whole_words=True)


def test_one_shared_word_is_not_already_known(model: PlacementModel) -> None:
    assert model.place("test").existing is None
    assert model.place("a new method").existing is None


def test_a_new_version_or_extension_of_a_name_is_not_a_paraphrase() -> None:
    from fomo.model import Topic
    from fomo.query.lookup import TableNames
    from fomo.query.place.known import names_a_variant

    names = TableNames.of([Topic(id="kimi-k2", title="Kimi K2", essence="x", aliases=["K2"])])
    assert names_a_variant("Kimi K2.6", names, "kimi-k2")
    assert names_a_variant("Tiny Kimi K2", names, "kimi-k2")
    assert not names_a_variant("Kimi K2", names, "kimi-k2")  # the name itself
    assert not names_a_variant("a long description of a mixture of experts model", names, "kimi-k2")


def test_already_known_reads_a_topics_identity_not_its_body(
    make_kb: Callable[..., Path],
) -> None:
    """A body that contrasts a topic with a neighbour describes the neighbour: its words count
    for the topic's place in the map, never as evidence that a text *is* that topic."""
    files = {
        **PLACE_KB,
        "map/inference/kv-cache.md": PLACE_KB["map/inference/kv-cache.md"]
        + "Unlike paged attention, which allocates memory blocks on demand, it is one buffer.\n",
    }
    model = PlacementModel(load(make_kb(files), strict=False).kb)
    kv = model.position["kv-cache"]
    assert {"kv", "cach"} <= model.identity_terms(kv)
    assert "block" in model.vectors[kv] and "block" not in model.identity_terms(kv)
    vector = model.query_vector("allocates memory blocks on demand")
    sims = model.similarities(vector, set())
    found = model.known_features(vector, sims, set())
    assert found is not None and found[0] == kv  # nearest by its body
    named = dict(zip(KNOWN_FEATURES, found[1], strict=True))
    assert named["own_coverage"] == named["word_coverage"] == 0.0  # but nothing of its identity
