"""Reading one file into a record: deep nesting in front matter is an error, not a crash."""

from __future__ import annotations

from fomo.kb.records import MAX_NESTING, read_record


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_front_matter_nested_too_deep_is_an_error_at_its_key() -> None:
    raw = f"---\ntitle: Deep\nessence: Too deep.\nx: {nested(700)}\n---\nBody.\n".encode()
    record = read_record(raw, "map/deep.md")
    assert record["error"]["code"] == "bad-yaml"
    assert record["error"]["line"] == 4
    assert "'x'" in record["error"]["message"] and "nested" in record["error"]["message"]
    assert record["meta"] == {} and record["body"] == ""
    assert record["id"] == "deep"


def test_nesting_up_to_the_limit_is_read() -> None:
    raw = f"---\ntitle: Fine\nessence: Nested.\nx: {nested(MAX_NESTING)}\n---\n".encode()
    record = read_record(raw, "map/fine.md")
    assert record["error"] is None
    value = record["meta"]["x"]
    for _ in range(MAX_NESTING - 1):
        value = value[0]
    assert value == []
