from __future__ import annotations

import io
import json
import zipfile

import pytest

from fomo.errors import FomoError
from fomo.formats import safe, xmind
from fomo.formats.tree import walk
from tests.formats.helpers import SAMPLES, TRICKY, small_tree, zip_bytes


def _titles(root):
    return [n.title for n in walk(root)]


def test_reads_the_xmind_2020_sample() -> None:
    warnings: list[str] = []
    root = xmind.read((SAMPLES / "xmind_zen.xmind").read_bytes(), "zen.xmind", warnings)
    assert root.title == "Central Topic"
    titles = _titles(root)
    for expected in ("topic 1", "note topic", "中文", "<>{}*&^^&*^%@!", "Floating Topic"):
        assert expected in titles
    by_title = {n.title: n for n in walk(root)}
    assert by_title["note topic"].essence == "note info"
    assert by_title["note topic"].note == "new line of note"
    assert by_title["label topic"].aliases == ["great"]
    assert [x.url for x in by_title["link topic"].links] == ["http://www.link.com"]
    assert by_title["test.txt"].links == []  # xap: attachments are not web links
    assert any("2 sheets" in w for w in warnings)
    assert any("floating" in w for w in warnings)


def test_reads_the_xmind_8_sample() -> None:
    root = xmind.read((SAMPLES / "xmind_pro.xmind").read_bytes(), "pro.xmind")
    assert root.title == "test"
    assert [c.title for c in root.children] == ["a", "b", "c", "floating test"]
    by_title = {n.title: n for n in walk(root)}
    assert by_title["note2"].essence == "line1"
    assert by_title["note2"].note == "line2"
    assert by_title["测试"].children[0].essence == "测试中文"
    assert by_title["label"].aliases == ["this is a  label"]
    assert "</>{}[]*+-" in by_title
    assert [x.url for x in root.children[0].links] == ["http://test.com"]


def test_export_has_the_entries_and_fields_xmind_expects() -> None:
    data = xmind.write(small_tree())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {"content.json", "metadata.json", "manifest.json"} <= set(archive.namelist())
        content = json.loads(archive.read("content.json"))
        manifest = json.loads(archive.read("manifest.json"))
    assert set(manifest["file-entries"]) >= {"content.json", "metadata.json"}
    sheet = content[0]
    assert sheet["class"] == "sheet"
    root = sheet["rootTopic"]
    assert root["class"] == "topic" and root["title"] == "Large Language Models"
    dpo = root["children"]["attached"][0]["children"]["attached"][1]
    assert dpo["labels"] == ["DPO"]
    assert dpo["href"] == "https://arxiv.org/abs/2305.18290"
    assert dpo["notes"]["plain"]["content"].startswith("Fine-tunes on preference pairs.\n\n")
    assert sheet["relationships"] == [
        {"id": "rel-1", "end1Id": "dpo", "end2Id": "rlhf", "title": "builds on"}
    ]
    tricky = root["children"]["attached"][0]["children"]["attached"][2]
    assert tricky["title"] == TRICKY


def test_corrupt_zip_is_refused_naming_the_file() -> None:
    with pytest.raises(FomoError) as caught:
        xmind.read(b"PK\x03\x04 not really a zip", "broken.xmind")
    assert caught.value.file == "broken.xmind"
    assert caught.value.code == "bad-zip"


def test_zip_without_content_is_the_wrong_kind() -> None:
    with pytest.raises(FomoError) as caught:
        xmind.read(zip_bytes({"hello.txt": b"hi"}), "other.xmind")
    assert caught.value.code == "wrong-kind"


def test_zip_bomb_is_refused_before_inflating(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safe, "MAX_MEMBER", 1024 * 1024)
    bomb = zip_bytes({"content.json": b"[" + b" " * (8 * 1024 * 1024) + b"]"})
    assert len(bomb) < 100_000
    with pytest.raises(FomoError) as caught:
        xmind.read(bomb, "bomb.xmind")
    assert caught.value.code == "zip-bomb"


def test_high_ratio_member_is_refused_even_under_the_size_cap() -> None:
    bomb = zip_bytes({"content.json": b" " * (40 * 1024 * 1024)})
    with pytest.raises(FomoError) as caught:
        xmind.read(bomb, "bomb.xmind")
    assert caught.value.code == "zip-bomb"


def test_xml_entities_in_xmind_8_content_are_refused() -> None:
    data = zip_bytes(
        {
            "content.xml": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
            b'<xmap-content xmlns="urn:xmind:xmap:xmlns:content:2.0"><sheet><topic>'
            b"<title>&a;</title></topic></sheet></xmap-content>"
        }
    )
    with pytest.raises(FomoError) as caught:
        xmind.read(data, "evil.xmind")
    assert caught.value.code == "xml-entities"


def test_bad_json_content_names_the_file() -> None:
    with pytest.raises(FomoError) as caught:
        xmind.read(zip_bytes({"content.json": b"{nope"}), "bad.xmind")
    assert caught.value.file == "bad.xmind"
