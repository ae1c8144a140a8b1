"""`fomo/query/place/results.py`: what an answer says about itself."""

from __future__ import annotations

import pytest

from fomo.query.place.results import TENTATIVE_BELOW, Existing


@pytest.mark.parametrize(
    ("how", "score", "tentative"),
    [
        ("paraphrase", TENTATIVE_BELOW - 0.01, True),
        ("paraphrase", TENTATIVE_BELOW, False),
        ("paraphrase", 0.97, False),
        ("fuzzy", 0.3, False),  # a name match is judged by `where`'s rules, not a probability
        ("alias", 1.0, False),
    ],
)
def test_only_an_unlikely_paraphrase_is_a_guess(how: str, score: float, tentative: bool) -> None:
    existing = Existing("dpo", "Direct Preference Optimization", score, how)
    assert existing.tentative is tentative
    assert existing.as_dict()["tentative"] is tentative
