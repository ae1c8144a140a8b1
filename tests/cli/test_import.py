from __future__ import annotations

import json
from pathlib import Path

import pytest

from fomo.cli import main
from fomo.kb.load import load
from tests.conftest import topic_file

SAMPLES = Path(__file__).parent.parent / "formats" / "samples"
READABLE = {
    "xmind": ".xmind",
    "freeplane": ".mm",
    "opml": ".opml",
    "markdown": ".md",
    "json": ".json",
}


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


def _bundled_style_kb(make_kb) -> Path:
    """A small map written like the bundled one: lowercase and hyphenated aliases, titles that
    end in brackets, essences with "e.g." / "vs." / "et al.", CJK and punctuation-only titles."""
    return make_kb(
        {
            "map/index.md": topic_file("Large Language Models", "Models of text.", aliases="[LLM]"),
            "map/emergence/index.md": topic_file(
                "Emergence of LLMs", "How we got here, e.g. n-grams vs. neural models."
            ),
            "map/emergence/n-gram.md": topic_file(
                "N-gram Language Model",
                "Counts word sequences, e.g. bigrams, i.e. pairs (Shannon et al. 1948).",
                aliases="[n-gram]",
            ),
            "map/emergence/word2vec.md": topic_file(
                "word2vec", "Word vectors from context.", aliases="[skip-gram, CBOW]"
            ),
            "map/blocks/index.md": topic_file(
                "Tokenization", "Text to tokens.", aliases="[tokenisation, tokenizer, tokenizers]"
            ),
            "map/blocks/attention/index.md": topic_file(
                "Attention Mechanism", "Weighs tokens vs. each other.", aliases="[attention]"
            ),
            "map/blocks/attention/self-attention.md": topic_file(
                "Self-Attention",
                "Attention within one sequence.",
                aliases="[SDPA, intra-attention]",
            ),
            "map/blocks/scaling-laws.md": topic_file(
                "Scaling (laws)", "Loss falls as a power law."
            ),
            "map/blocks/foo-abc.md": topic_file("Foo (ABC)", "A title that ends in capitals."),
            "map/blocks/zhongwen.md": topic_file("中文", "A title with no ASCII letter."),
            "map/blocks/odd.md": topic_file("'<>{}*&^^&*^%@!'", "A title of punctuation only."),
        }
    )


def test_reimporting_our_own_export_in_every_readable_format_creates_nothing(
    make_kb, tmp_path: Path, capsys
) -> None:
    kb = _bundled_style_kb(make_kb)
    for fmt, suffix in READABLE.items():
        target = tmp_path / f"map{suffix}"
        assert main(["export", fmt, "--kb", str(kb), "-o", str(target)]) == 0
        capsys.readouterr()
        assert main(["import", str(target), "--kb", str(kb), "--dry-run", "--json"]) == 0
        plan = json.loads(capsys.readouterr().out)
        assert plan["counts"]["created"] == 0, (fmt, plan["actions"])
        reasons = {a["reason"] for a in plan["actions"]}
        assert reasons == {"already up to date"}, (fmt, reasons)


def test_importing_the_same_xmind_twice_creates_nothing_the_second_time(make_kb, capsys) -> None:
    kb = make_kb({"map/.keep": ""})
    sample = str(SAMPLES / "xmind_zen.xmind")
    assert main(["import", sample, "--kb", str(kb), "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["counts"]["created"] > 20
    ids = {a["title"]: a["id"] for a in first["actions"]}
    assert ids["中文"].startswith("topic-") and ids["<>{}*&^^&*^%@!"].startswith("topic-")
    before = _files(kb)
    assert main(["import", sample, "--kb", str(kb), "--json"]) == 0
    second = json.loads(capsys.readouterr().out)
    assert second["counts"]["created"] == 0, second["actions"]
    assert _files(kb) == before


def test_force_rewrites_only_the_changed_keys_byte_for_byte(
    make_kb, tmp_path: Path, capsys
) -> None:
    untouched_head = (
        "---\n"
        "title:   Tokenization   \n"
        "# a comment the maintainer wrote\n"
        "aliases:\n"
        "    - tokenisation\n"
        "    - tokenizer\n"
    )
    untouched_tail = (
        "year: 2016\n"
        "summary: A long line that ruamel would have wrapped at a hundred characters because its"
        " width said so, which it must not be.\n"
        "added: 2026-11-26   \n"
        "---\n"
        "The body stays.\n"
    )
    text = untouched_head + "essence:  Splitting text into tokens.\n" + untouched_tail
    kb = make_kb(
        {
            "map/index.md": topic_file("Root", "The root."),
            "map/tokenization.md": text,
        }
    )
    source = tmp_path / "o.opml"
    source.write_text(
        '<opml version="2.0"><body><outline text="Root"><outline text="Tokenization" '
        '_note="Text to tokens, e.g. words."/></outline></body></opml>'
    )
    assert main(["import", str(source), "--kb", str(kb), "--force"]) == 0
    assert "updated  map/tokenization.md" in capsys.readouterr().out
    after = (kb / "map/tokenization.md").read_text()
    assert after == untouched_head + "essence: Text to tokens, e.g. words.\n" + untouched_tail


def test_import_refuses_the_map_bundled_in_site_packages(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    from fomo.kb import location

    bundled = tmp_path / "lib" / "site-packages" / "fomo" / "knowledge"
    (bundled / "map").mkdir(parents=True)
    (bundled / "map" / "index.md").write_text(topic_file("Root", "The root."))
    monkeypatch.setattr(location, "resolve_kb", lambda kb: bundled)
    source = tmp_path / "o.opml"
    source.write_text('<opml version="2.0"><body><outline text="New"/></body></opml>')
    assert main(["import", str(source)]) == 2
    err = capsys.readouterr().err
    assert "bundled" in err and "--kb" in err and "Traceback" not in err
    assert sorted(p.name for p in (bundled / "map").iterdir()) == ["index.md"]


def _outline(tmp_path: Path) -> Path:
    source = tmp_path / "in.md"
    source.write_text("- Direct Preference Optimization\n  - Beta-DPO\n", encoding="utf-8")
    return source


def test_import_goes_through_the_edit_layer_with_git_mv(starter_kb: Path, tmp_path, capsys):
    from tests.cli._git import git, init_repo

    init_repo(starter_kb)
    source = _outline(tmp_path)
    args = ["import", str(source), "--kb", str(starter_kb), "--under", "preferences", "--force"]
    assert main([*args, "--dry-run", "--diff"]) == 0
    out = capsys.readouterr().out
    assert "rename from map/training/preferences/dpo.md" in out
    assert "+++ b/map/training/preferences/dpo/beta-dpo.md" in out
    assert (starter_kb / "map/training/preferences/dpo.md").exists()  # dry run: nothing moved
    assert main(args) == 0
    status = git(starter_kb, "status", "--porcelain")
    assert "R  map/training/preferences/dpo.md -> map/training/preferences/dpo/index.md" in status
    kb = load(starter_kb).kb
    assert kb.topics["beta-dpo"].parent == "dpo"


def test_a_failing_import_undoes_everything(starter_kb: Path, tmp_path, monkeypatch, capsys):
    import os

    from tests.kb.test_edit import tree_hash

    before = tree_hash(starter_kb)
    real_replace = os.replace

    def disk_full(source, target):
        if Path(target).name == "beta-dpo.md":
            raise OSError(28, "No space left on device", str(target))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", disk_full)
    args = ["import", str(_outline(tmp_path)), "--kb", str(starter_kb), "--under", "preferences"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "beta-dpo.md" in err and "space" in err and "Traceback" not in err
    assert tree_hash(starter_kb) == before


def _fomo_map(root: str) -> str:
    return '{"format":"fomo-map","version":1,"root":' + root + "}"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("huge.json", _fomo_map('{"title":"X","year":' + "1" * 5000 + "}"), 2),
        ("surrogate.json", _fomo_map('{"title":"Odd \\ud800 name","essence":"E."}'), 0),
        (
            "year.mm",
            '<map><node TEXT="Root"><node TEXT="Child">'
            f'<attribute NAME="year" VALUE="{"9" * 5000}"/></node></node></map>',
            0,
        ),
    ],
)
def test_hostile_values_give_a_clear_answer_not_a_traceback(
    starter_kb: Path, tmp_path: Path, capsys, name: str, content: str, code: int
) -> None:
    source = tmp_path / name
    source.write_text(content, encoding="utf-8")
    assert main(["import", str(source), "--kb", str(starter_kb), "--dry-run"]) == code
    assert "Traceback" not in capsys.readouterr().err


def test_xmind_children_of_the_wrong_type_are_ignored(
    starter_kb: Path, tmp_path: Path, capsys
) -> None:
    import json
    import zipfile

    sheet = [{"rootTopic": {"title": "Root", "children": {"attached": 5, "detached": 5}}}]
    source = tmp_path / "odd.xmind"
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr("content.json", json.dumps(sheet))
    assert main(["import", str(source), "--kb", str(starter_kb), "--dry-run"]) == 0
