"""The site's static JSON API: api/terms.json, api/topics/<id>.json and their JSON Schemas."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from tests.site.conftest import XSS


def _json(built_site: Path, rel: str) -> object:
    return json.loads((built_site / rel).read_text(encoding="utf-8"))


def test_every_topic_document_follows_its_schema(built_site: Path) -> None:
    schema = _json(built_site, "api/schema/topic.schema.json")
    validator = jsonschema.Draft202012Validator(schema)
    files = sorted((built_site / "api/topics").glob("*.json"))
    pages = {p.stem for p in (built_site / "topics").glob("*.html")} - {"index"}
    assert {p.stem for p in files} == pages
    for path in files:
        validator.validate(json.loads(path.read_text(encoding="utf-8")))


def test_a_topic_document_carries_path_family_and_relations(built_site: Path) -> None:
    dpo = _json(built_site, "api/topics/dpo.json")
    assert dpo["title"] == "Direct Preference Optimization"
    assert [step["id"] for step in dpo["path"]] == [
        "large-language-models",
        "training",
        "preferences",
        "dpo",
    ]
    assert dpo["parent"] == {"id": "preferences", "title": "Fine-tuning to human preferences"}
    assert {s["id"] for s in dpo["siblings"]} >= {"rlhf", "ppo"}
    assert dpo["relations"]["builds_on"] == [
        {"id": "rlhf", "title": "Reinforcement Learning from Human Feedback"}
    ]
    assert dpo["url"].endswith("topics/dpo.html")
    rlhf = _json(built_site, "api/topics/rlhf.json")
    assert {"kind": "builds_on", "id": "dpo", "title": "Direct Preference Optimization"} in rlhf[
        "incoming"
    ]


def test_the_term_index_follows_its_schema_and_escapes_markup(built_site: Path) -> None:
    text = (built_site / "api/terms.json").read_text(encoding="utf-8")
    assert "<img" not in text  # markup in names and essences is escaped even inside strings
    terms = json.loads(text)
    jsonschema.Draft202012Validator(_json(built_site, "api/schema/terms.schema.json")).validate(
        terms
    )
    assert terms["exact"]["DPO"] == ["dpo"]
    assert terms["topics"]["dpo"][0] == "Direct Preference Optimization"
    assert any(XSS in essence for _, _, essence in terms["topics"].values())
