from __future__ import annotations

import json

import pytest

from fomo.errors import FomoError
from fomo.formats import json as json_format
from tests.formats.helpers import small_tree


def test_export_validates_against_the_shipped_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(json_format.SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(json.loads(json_format.write(small_tree())), schema)


def test_reads_back_every_field() -> None:
    tree = small_tree()
    assert json_format.read(json_format.write(tree).encode(), "m.json") == tree


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("{nope", "not valid JSON"),
        ('{"format": "other"}', "not a FOMO map"),
        ('{"format": "fomo-map", "version": 9, "root": {}}', "unsupported version"),
        ('{"format": "fomo-map", "version": 1, "root": {"id": "a", "title": " "}}', "empty title"),
        (
            '{"format": "fomo-map", "version": 1, "root": {"title": "a", "year": "1"}}',
            "whole number",
        ),
    ],
)
def test_bad_documents_are_refused_naming_the_file(document: str, message: str) -> None:
    with pytest.raises(FomoError, match=message) as caught:
        json_format.read(document.encode(), "bad.json")
    assert caught.value.file == "bad.json"
