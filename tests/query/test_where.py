import pytest

from fomo.errors import UnknownTopicError
from fomo.kb.index import open_index
from fomo.query.where import answer, resolve


@pytest.mark.parametrize(
    "term",
    ["dpo", "D.P.O.", "DPO", "direct preference optimisation", "Direct-Preference-Optimizations"],
)
def test_exact_forms_resolve(starter_kb, term: str) -> None:
    assert resolve(open_index(starter_kb), term).topic_id == "dpo"


def test_misspelling_falls_back_to_fuzzy(starter_kb) -> None:
    match = resolve(open_index(starter_kb), "direct preferance optimisaton")
    assert (match.topic_id, match.how) == ("dpo", "fuzzy")


def test_unknown_term_offers_suggestions(starter_kb) -> None:
    with pytest.raises(UnknownTopicError) as caught:
        resolve(open_index(starter_kb), "tokenizzation thing")
    assert ("tokenization", "Tokenization") in caught.value.suggestions


def test_answer_gathers_the_neighbourhood(starter_kb) -> None:
    found = answer(open_index(starter_kb), "dpo").as_dict()
    assert [p["id"] for p in found["path"]] == [
        "large-language-models",
        "training",
        "preferences",
        "dpo",
    ]
    assert {s["id"] for s in found["siblings"]} == {"ppo", "rlhf"}
    assert {
        "kind": "builds_on",
        "id": "rlhf",
        "title": "Reinforcement Learning from Human Feedback",
    } in found["relations"]
    assert found["sessions"][0]["session"] == 1
    rlhf = answer(open_index(starter_kb), "rlhf").as_dict()
    assert {"kind": "builds_on", "id": "dpo", "title": "Direct Preference Optimization"} in rlhf[
        "referenced_by"
    ]


def test_no_close_name_still_suggests_topics_by_their_text(starter_kb) -> None:
    with pytest.raises(UnknownTopicError) as caught:
        resolve(open_index(starter_kb), "reward rankings approach")
    assert caught.value.suggestions[0][0] == "rlhf"
