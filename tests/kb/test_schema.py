"""The one schema: the validator, loader, index and edit layer all follow it."""

from __future__ import annotations

from fomo.kb import edit, schema, validate
from fomo.kb.load import load
from fomo.kb.validate import check
from fomo.model import RELATION_KINDS, Topic
from tests.conftest import STARTER, topic_file

SESSION = "sessions/01-training/index.md"


def test_every_derived_list_follows_the_schema() -> None:
    assert validate.TOPIC_KEYS == schema.order(schema.TOPIC) == edit.TOPIC_ORDER
    assert schema.order(schema.PART) == validate.PART_KEYS
    assert tuple(r.kind for r in schema.RELATIONS) == RELATION_KINDS
    assert schema.RELATION_LABELS == {
        "builds_on": "builds on",
        "alternative_to": "alternative to",
        "related": "related",
    }
    headings = {r.kind: (r.heading, r.inverse_heading) for r in schema.RELATIONS}
    assert headings == {
        "builds_on": ("builds on", "built on by"),
        "alternative_to": ("alternatives", None),  # symmetric: listed once, from either end
        "related": ("related", None),
    }
    simple = {f.name for f in schema.TOPIC if f.type not in ("paper", "references")}
    assert simple <= set(Topic.__dataclass_fields__)


def test_read_drops_values_of_the_wrong_type() -> None:
    spec = schema.field_of(schema.TOPIC, "order")
    assert schema.read(spec, 3) == 3
    assert schema.read(spec, -(10**20)) is None
    assert schema.read(spec, True) is None
    assert schema.read(schema.field_of(schema.TOPIC, "aliases"), "one") == ["one"]


def _findings(make_kb, changes: dict[str, str]):
    files = dict(STARTER)
    files.update(changes)
    return check(load(make_kb(files), strict=False))


def test_lists_and_mappings_inside_a_part_or_article_topics_are_findings(make_kb) -> None:
    found = _findings(
        make_kb,
        {
            SESSION: "---\ntitle: T\nparts:\n  - {number: 1, title: P, topics: [[dpo], {a: b}]}\n---\n",
            "sessions/01-training/a.md": "---\ntitle: A\ntopics: [{x: 1}]\n---\nBody\n",
        },
    )
    codes = {(f.code, f.file) for f in found}
    assert ("bad-type", SESSION) in codes
    assert ("bad-type", "sessions/01-training/a.md") in codes


def test_huge_numbers_are_a_finding_not_a_crash(make_kb) -> None:
    dpo = "map/training/preferences/dpo.md"
    found = _findings(
        make_kb,
        {dpo: topic_file("Direct Preference Optimization", "E.", order="-99999999999999999999")},
    )
    assert [(f.code, f.file, f.line) for f in found] == [("bad-number", dpo, 4)]
    assert "between" in found[0].hint
