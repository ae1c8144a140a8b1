import pytest

from fomo.errors import FomoError
from fomo.kb.index import open_index
from fomo.query.search import search


def test_finds_by_essence_and_alias(starter_kb) -> None:
    index = open_index(starter_kb)
    assert search(index, "reward model")[0].id == "rlhf"
    assert search(index, "PPO")[0].id == "ppo"


def test_prefix_and_any_word_fallback(starter_kb) -> None:
    index = open_index(starter_kb)
    assert "tokenization" in [h.id for h in search(index, "tokeni")]
    assert "dpo" in [h.id for h in search(index, "preference zebra")]


def test_query_syntax_is_never_passed_raw(starter_kb) -> None:
    index = open_index(starter_kb)
    # FTS5 operators and quotes in the query are words to look for, not syntax.
    assert search(index, 'dpo" OR (')[0].id == "dpo"
    assert search(index, "NEAR(dpo rlhf)")  # would be an FTS5 NEAR query if passed raw
    with pytest.raises(FomoError):
        search(index, "  ()  ")
