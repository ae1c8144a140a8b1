from __future__ import annotations

import json
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from fomo.cli import main


@pytest.mark.parametrize("fmt", ["freeplane", "opml", "markdown", "mermaid", "dot", "json", "svg"])
def test_text_formats_go_to_stdout(starter_kb: Path, fmt: str, capsys) -> None:
    assert main(["export", fmt, "--kb", str(starter_kb)]) == 0
    out = capsys.readouterr().out
    assert "Direct Preference Optimization" in out


def test_root_accepts_an_alias_and_depth_cuts(starter_kb: Path, capsys) -> None:
    assert main(["export", "json", "--kb", str(starter_kb), "--root", "Training LLMs"]) == 0
    root = json.loads(capsys.readouterr().out)["root"]
    assert root["id"] == "training"
    assert main(["export", "json", "--kb", str(starter_kb), "--root", "LLM", "--depth", "1"]) == 0
    root = json.loads(capsys.readouterr().out)["root"]
    assert all(c["children"] == [] for c in root["children"])


def test_xmind_needs_an_output_file(starter_kb: Path, tmp_path: Path, capsys) -> None:
    assert main(["export", "xmind", "--kb", str(starter_kb)]) == 2
    assert "-o" in capsys.readouterr().err
    target = tmp_path / "map.xmind"
    assert main(["export", "xmind", "--kb", str(starter_kb), "-o", str(target)]) == 0
    with zipfile.ZipFile(target) as archive:
        assert "content.json" in archive.namelist()


def test_svg_of_a_branch_to_a_file(starter_kb: Path, tmp_path: Path) -> None:
    target = tmp_path / "training.svg"
    args = ["export", "svg", "--kb", str(starter_kb), "--root", "training", "--layout", "both"]
    assert main([*args, "-o", str(target)]) == 0
    ET.parse(target)


def test_unknown_root_is_bad_input(starter_kb: Path, capsys) -> None:
    assert main(["export", "opml", "--kb", str(starter_kb), "--root", "zzzzqqq"]) == 2
    assert "no topic matches" in capsys.readouterr().err


def test_mermaid_warns_when_it_cuts(make_kb, capsys) -> None:
    from tests.conftest import topic_file

    files = {"map/index.md": topic_file("Root", "The root.")}
    for i in range(15):
        files[f"map/b{i}/index.md"] = topic_file(f"Branch {i}", "A branch.")
        for j in range(15):
            files[f"map/b{i}/l{i}-{j}.md"] = topic_file(f"Leaf {i} {j}", "A leaf.")
    kb = make_kb(files)
    assert main(["export", "mermaid", "--kb", str(kb)]) == 0
    captured = capsys.readouterr()
    assert "warning:" in captured.err and "cut to 1 level" in captured.err
    assert "Leaf" not in captured.out


def test_a_missing_output_folder_is_refused_not_created(
    starter_kb: Path, tmp_path: Path, capsys
) -> None:
    target = tmp_path / "nonexistent" / "dir" / "x.json"
    assert main(["export", "json", "--kb", str(starter_kb), "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert "does not exist" in err and "x.json" in err and "Traceback" not in err
    assert not (tmp_path / "nonexistent").exists()


def test_png_that_cairo_cannot_draw_is_bad_input_with_a_hint(
    starter_kb: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    cairosvg = pytest.importorskip("cairosvg")
    from cairocffi import CairoError

    def refuse(**_options):
        raise CairoError("invalid value (typically too big) for the size of the input", 32)

    monkeypatch.setattr(cairosvg, "svg2png", refuse)
    target = tmp_path / "map.png"
    assert main(["export", "png", "--kb", str(starter_kb), "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert "too large for a PNG" in err and "--root" in err and "--depth" in err
    assert "svg" in err and "Traceback" not in err and not target.exists()
