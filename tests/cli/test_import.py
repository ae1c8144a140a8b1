from __future__ import annotations

import json
from pathlib import Path

import pytest

from fomo.cli import main
from fomo.kb.load import load

SAMPLES = Path(__file__).parent.parent / "formats" / "samples"


def _files(kb: Path) -> list[str]:
    return sorted(str(p.relative_to(kb)) for p in kb.rglob("*.md"))


@pytest.mark.parametrize("sample", ["xmind_zen.xmind", "xmind_pro.xmind"])
def test_real_xmind_samples_import(starter_kb: Path, sample: str, capsys) -> None:
    assert (
        main(["import", str(SAMPLES / sample), "--kb", str(starter_kb), "--under", "training"]) == 0
    )
    out = capsys.readouterr().out
    assert "created" in out
    kb = load(starter_kb).kb
    if sample == "xmind_zen.xmind":
        assert kb.topics["central-topic"].parent == "training"
        assert kb.topics["note-topic"].essence == "note info"
        assert kb.topics["topic-after-empty"].parent == "topic-2"  # blank node lifted
        assert kb.topics["label-topic"].aliases == ["great"]
    else:
        assert kb.topics["test"].parent == "training"
        assert kb.topics["note2"].essence == "line1"
        assert kb.topics["this-is-a-note"].parent == "e-2"  # untitled, named from its note


def test_dry_run_writes_nothing(starter_kb: Path, capsys) -> None:
    before = _files(starter_kb)
    assert (
        main(["import", str(SAMPLES / "xmind_zen.xmind"), "--kb", str(starter_kb), "--dry-run"])
        == 0
    )
    assert "dry run, nothing written" in capsys.readouterr().out
    assert _files(starter_kb) == before


def test_export_then_import_into_a_fresh_map(starter_kb: Path, make_kb, tmp_path, capsys) -> None:
    target = tmp_path / "map.mm"
    assert main(["export", "freeplane", "--kb", str(starter_kb), "-o", str(target)]) == 0
    fresh = make_kb({"map/.keep": ""}, name="fresh")
    assert main(["import", str(target), "--kb", str(fresh), "--json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert plan["counts"]["created"] == 8
    kb = load(fresh).kb
    assert kb.topics["dpo"].builds_on == ["rlhf"]
    assert kb.topics["dpo"].essence.startswith("Fine-tunes directly")
    assert main(["export", "json", "--kb", str(fresh)]) == 0
    again = json.loads(capsys.readouterr().out)
    assert main(["export", "json", "--kb", str(starter_kb)]) == 0
    original = json.loads(capsys.readouterr().out)

    def titles(node):
        return [node["title"], [titles(c) for c in node["children"]]]

    assert titles(again["root"]) == titles(original["root"])


def test_second_import_skips_without_force(starter_kb: Path, tmp_path, capsys) -> None:
    source = tmp_path / "o.opml"
    source.write_text(
        '<opml version="2.0"><body><outline text="Tokenization" _note="Changed essence.">'
        "</outline></body></opml>"
    )
    assert main(["import", str(source), "--kb", str(starter_kb)]) == 0
    assert "would update essence; pass --force" in capsys.readouterr().out
    assert main(["import", str(source), "--kb", str(starter_kb), "--force"]) == 0
    assert load(starter_kb).kb.topics["tokenization"].essence == "Changed essence."


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("broken.xmind", b"PK\x03\x04garbage", "not a readable zip"),
        ("photo.png", b"\x89PNG\r\n\x1a\n", "not a mind map"),
        ("lol.mm", b'<!DOCTYPE m [<!ENTITY a "a">]><map><node TEXT="&a;"/></map>', "entities"),
        ("empty.opml", b'<opml><body><outline text=""/></body></opml>', "no title"),
    ],
)
def test_bad_files_exit_2_and_write_nothing(
    starter_kb: Path, tmp_path: Path, capsys, name: str, content: bytes, message: str
) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    before = _files(starter_kb)
    assert main(["import", str(bad), "--kb", str(starter_kb)]) == 2
    err = capsys.readouterr().err
    assert message in err and name in err and "Traceback" not in err
    assert _files(starter_kb) == before


def test_sample_copy_has_the_same_bytes() -> None:
    shared = Path("/work/shared/samples/xmind_zen.xmind")
    if shared.exists():
        assert (SAMPLES / "xmind_zen.xmind").read_bytes() == shared.read_bytes()
