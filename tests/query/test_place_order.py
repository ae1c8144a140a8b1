"""The fitted order of the lexical method's candidate parents (`LexicalModel.order_parents`)
and the probabilities `place` shows with it (`LexicalModel.parent_confidences`)."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pytest

from fomo.kb.load import load
from fomo.query.place import PARENT_FEATURES, PARENT_WEIGHTS, model_for
from fomo.query.place import lexical as lexical_module
from tests.query.test_place import FAMILY_KB


def features_of(model, text: str, exclude: set[int] | None = None):
    exclude = exclude or set()
    sims = model.similarities(model.query_vector(text), exclude)
    ranked = model.rank_parents(sims, exclude)
    candidates, rows = model.parent_features(sims, ranked, exclude)
    return (
        sims,
        ranked,
        {
            model.ids[c]: dict(zip(PARENT_FEATURES, r, strict=True))
            for c, r in zip(candidates, rows, strict=True)
        },
    )


def test_one_weight_per_feature() -> None:
    assert len(PARENT_WEIGHTS) == len(PARENT_FEATURES)


def test_features_describe_the_candidate(make_kb: Callable[..., Path]) -> None:
    model = model_for(load(make_kb(FAMILY_KB)).kb)
    sims, ranked, rows = features_of(model, "draft heads propose tokens for a verification pass")
    decoding = rows["decoding"]
    assert decoding["score"] == pytest.approx(dict(ranked)[model.position["decoding"]])
    assert decoding["leaf"] == 0.0 and decoding["depth"] == 1.0  # under the root
    assert decoding["children_log"] == pytest.approx(math.log1p(3))
    assert decoding["leaf_children"] == 1.0  # medusa, eagle, lookahead are leaves
    kids = sorted(
        (sims.get(model.position[k], 0.0) for k in ("medusa", "eagle", "lookahead")), reverse=True
    )
    assert decoding["child_1"] == pytest.approx(kids[0])
    assert decoding["children_mean"] == pytest.approx(sum(kids) / 3)
    assert decoding["score_family"] == pytest.approx(decoding["score"] * decoding["family"])


def test_left_out_children_do_not_count(make_kb: Callable[..., Path]) -> None:
    model = model_for(load(make_kb(FAMILY_KB)).kb)
    eagle = model.position["eagle"]
    _, _, rows = features_of(model, "draft heads propose tokens", {eagle})
    assert rows["decoding"]["children_log"] == pytest.approx(math.log1p(2))
    assert "eagle" not in rows


def test_candidates_follow_the_fitted_weights(
    make_kb: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Weight only one feature and the order is that feature's; the score each candidate
    carries stays rank_parents' support (the unrelated rule and --min-score read it)."""
    model = model_for(load(make_kb(FAMILY_KB)).kb)
    text = "a verification pass checks proofs of draft tokens"
    sims, ranked, rows = features_of(model, text)
    for feature, sign in (("depth", 1.0), ("depth", -1.0), ("own", 1.0)):
        weights = tuple(sign if f == feature else 0.0 for f in PARENT_FEATURES)
        monkeypatch.setattr(lexical_module, "PARENT_WEIGHTS", weights)
        ordered = model.order_parents(sims, ranked, set())
        values = [sign * rows[model.ids[c]][feature] for c, _ in ordered]
        assert values == sorted(values, reverse=True)
        assert dict(ordered) == {c: s for c, s in ranked if model.ids[c] in rows}


def test_place_lists_candidates_in_the_fitted_order(
    make_kb: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    model = model_for(load(make_kb(FAMILY_KB)).kb)
    monkeypatch.setattr(
        lexical_module,
        "PARENT_WEIGHTS",
        tuple(-1.0 if f == "depth" else 0.0 for f in PARENT_FEATURES),
    )
    placed = model.place("Hydra heads", "Sequential draft heads propose tokens for verification.")
    depths = [len(c.path) for c in placed.candidates]
    assert depths == sorted(depths)


def test_features_of_given_candidates_are_the_same(make_kb: Callable[..., Path]) -> None:
    """The semantic method asks for the lexical logit of its own candidates: the features of
    a candidate do not depend on which others are asked for."""
    model = model_for(load(make_kb(FAMILY_KB)).kb)
    sims = model.similarities(model.query_vector("draft heads propose tokens"), set())
    ranked = model.rank_parents(sims, set())
    candidates, rows = model.parent_features(sims, ranked, set())
    wanted = [candidates[-1], candidates[0]]
    got, logits = model.parent_logits(sims, ranked, set(), wanted)
    assert got == wanted
    by_id = dict(zip(candidates, rows, strict=True))
    for c, logit in zip(got, logits, strict=True):
        assert logit == pytest.approx(
            sum(w * f for w, f in zip(PARENT_WEIGHTS, by_id[c], strict=True))
        )


def test_the_semantic_method_sees_the_lexical_logit(make_kb: Callable[..., Path]) -> None:
    pytest.importorskip("numpy")
    from fomo.query.place import SEMANTIC_FEATURES, SEMANTIC_WEIGHTS, PlacementModel
    from tests.query.test_place import FakeEncoder

    assert len(SEMANTIC_WEIGHTS) == len(SEMANTIC_FEATURES)
    model = PlacementModel(load(make_kb(FAMILY_KB)).kb, encoder=FakeEncoder())
    semantic = model.semantic()
    text = "draft heads propose tokens"
    sims = model.similarities(model.query_vector(text), set())
    ranked = model.rank_parents(sims, set())
    ordered = model.order_parents(sims, ranked, set())
    candidates, rows = semantic.features(semantic.embed(text), sims, ordered, set())
    _, logits = model.parent_logits(sims, ranked, set(), candidates)
    column = SEMANTIC_FEATURES.index("lexical_logit")
    assert [row[column] for row in rows] == pytest.approx(logits)


def test_the_semantic_family_features_leave_out_excluded_children(
    make_kb: Callable[..., Path],
) -> None:
    """Both encoders' family cosines are those of the query with the summed vectors of the
    candidate and its children still in the map; the sentence one also enters squared; the
    candidate's depth enters one-hot."""
    np = pytest.importorskip("numpy")
    from fomo.query.place import SEMANTIC_FEATURES, PlacementModel
    from tests.query.test_place import FakeEncoder

    model = PlacementModel(load(make_kb(FAMILY_KB)).kb, encoder=FakeEncoder())
    semantic = model.semantic()
    text = "draft heads propose tokens"
    query = semantic.embed(text)
    left_out = {model.position["eagle"]}
    sims = model.similarities(model.query_vector(text), left_out)
    ordered = model.order_parents(sims, model.rank_parents(sims, left_out), left_out)
    candidates, rows = semantic.features(query, sims, ordered, left_out)
    decoding = candidates.index(model.position["decoding"])
    row = dict(zip(SEMANTIC_FEATURES, rows[decoding], strict=True))
    family = [model.position[i] for i in ("decoding", "medusa", "lookahead")]

    def cosine(matrix, vector) -> float:
        total = matrix[family].sum(axis=0)
        return float(total @ vector / np.linalg.norm(total))

    assert row["semantic_family"] == pytest.approx(cosine(semantic.matrix, query.sentence))
    assert row["semantic_family_sq"] == pytest.approx(row["semantic_family"] ** 2)
    assert row["word_family"] == pytest.approx(cosine(semantic.words, query.words))
    assert (row["depth_1"], row["depth_2"], row["depth_3"]) == (1.0, 0.0, 0.0)  # a top branch
    _, with_eagle = semantic.features(query, sims, ordered, set())
    column = SEMANTIC_FEATURES.index("word_family")
    assert with_eagle[decoding][column] != pytest.approx(row["word_family"])


def test_place_shows_each_candidates_probability_falling_down_the_list(
    make_kb: Callable[..., Path],
) -> None:
    """What a reader sees agrees with the order: the lexical scores are the fitted model's
    probabilities (as the semantic method's are), highest first, summing to at most 1."""
    model = model_for(load(make_kb(FAMILY_KB)).kb)
    text = "a verification pass checks proofs of draft tokens"
    placed = model.place(text, method="lexical", top=10)
    scores = [c.score for c in placed.candidates]
    assert len(scores) >= 2 and scores == sorted(scores, reverse=True)
    assert all(0 < s <= 1 for s in scores) and sum(scores) <= 1 + 1e-9
    sims, ranked, _ = features_of(model, text)
    fitted = [model.ids[c] for c, _ in model.order_parents(sims, ranked, set())]
    assert [c.id for c in placed.candidates] == fitted[: len(scores)]
