"""Triage: known, new with parents, unrelated, repeated titles."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fomo.ingest.items import Item
from fomo.ingest.triage import KNOWN, NEW, UNRELATED, speaks_of_llms, triage
from fomo.kb.load import load
from fomo.query.place import model_for
from tests._placekb import PLACE_KB


def test_triage_sorts_items(make_kb: Callable[..., Path]) -> None:
    model = model_for(load(make_kb(PLACE_KB)).kb)
    items = [
        Item("Direct preference optimisation", where="1"),
        Item(
            "KTO-Lite: binary human feedback for alignment",
            "Aligns a language model to human preferences from desirable or undesirable labels.",
            where="2",
        ),
        Item("Soil moisture dynamics in alpine meadows", "Field measurements.", where="3"),
        Item("Direct Preference Optimisation", where="4"),
        Item("   ", where="5"),
    ]
    done: list[int] = []
    verdicts = triage(model, items, progress=done.append)
    assert [v.status for v in verdicts] == [KNOWN, NEW, UNRELATED, KNOWN, UNRELATED]
    assert verdicts[0].existing.id == "dpo"
    assert verdicts[1].best.id == "preferences"
    assert verdicts[2].candidates == []
    assert verdicts[3].duplicate_of == "1"
    assert verdicts[4].notices
    assert done == [1, 2, 3, 4, 5]
    shape = verdicts[1].as_dict()
    assert shape["status"] == "new" and shape["candidates"][0]["id"] == "preferences"


def test_llm_vocabulary_keeps_an_item_related() -> None:
    assert speaks_of_llms("A new prompting trick for chatbots")
    assert not speaks_of_llms("Soil moisture in meadows")


def test_citation_keys_normalise_arxiv_doi_and_urls() -> None:
    from fomo.ingest.triage import citation_keys

    assert "arxiv:2305.18290" in citation_keys("https://arxiv.org/pdf/2305.18290v2")
    assert "arxiv:2305.18290" in citation_keys("http://arxiv.org/abs/2305.18290")
    assert "doi:10.1145/3571730" in citation_keys("https://doi.org/10.1145/3571730.")
    assert citation_keys("https://www.Example.com/post/") == citation_keys(
        "http://example.com/post"
    )
    assert citation_keys("no link here") == []


def test_a_cited_item_is_known_before_any_text_matching(make_kb: Callable[..., Path]) -> None:
    from tests.conftest import topic_file

    files = dict(PLACE_KB)
    files["map/training/preferences/ppo.md"] = topic_file(
        "Proximal Policy Optimization",
        "A policy-gradient method with a clipped objective.",
        paper='{title: "Proximal Policy Optimization Algorithms", url: "https://arxiv.org/abs/1707.06347"}',
    )
    model = model_for(load(make_kb(files)).kb)
    verdicts = triage(model, [Item("Chocolate cake", url="https://arxiv.org/abs/1707.06347v2")])
    assert verdicts[0].status == KNOWN and verdicts[0].existing.id == "ppo"
    assert verdicts[0].existing.how == "citation"
