"""`fomo add` end to end."""

from __future__ import annotations

import json
from pathlib import Path

from fomo.cli import main
from fomo.kb.load import load


def test_add_prints_the_diff_and_writes(starter_kb: Path, capsys) -> None:
    code = main(
        [
            "add",
            "simpo",
            "--kb",
            str(starter_kb),
            "--under",
            "preferences",
            "--title",
            "SimPO",
            "--essence",
            "A preference loss without a reference model.",
            "--alias",
            "Simple PO",
            "--year",
            "2024",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0
    assert "+++ b/map/training/preferences/simpo.md" in out and "+aliases: [Simple PO]" in out
    assert "done: add topic 'simpo'" in err
    assert load(starter_kb).kb.topics["simpo"].year == 2024


def test_dry_run_writes_nothing(starter_kb: Path, capsys) -> None:
    code = main(
        [
            "add",
            "kto",
            "--kb",
            str(starter_kb),
            "--under",
            "dpo",
            "--title",
            "KTO",
            "--essence",
            "A loss.",
            "--dry-run",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0
    assert "rename from map/training/preferences/dpo.md" in out and "+title: KTO" in out
    assert "dry run" in err
    assert not (starter_kb / "map/training/preferences/kto.md").exists()
    assert (starter_kb / "map/training/preferences/dpo.md").exists()


def test_refused_add_exits_2_with_a_reason(starter_kb: Path, capsys) -> None:
    code = main(
        [
            "add",
            "x",
            "--kb",
            str(starter_kb),
            "--under",
            "prefrences",
            "--title",
            "X",
            "--essence",
            "An x.",
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "unknown parent 'prefrences'" in err and "did you mean 'preferences'" in err
    assert "Traceback" not in err


def test_add_refuses_a_crafted_journal_and_leaves_outside_files(starter_kb: Path, capsys) -> None:
    victim = starter_kb.parent / "victim.txt"
    victim.write_text("precious")
    step = {"writes": [{"path": "../victim.txt", "old": None}]}
    (starter_kb / ".fomo-journal.json").write_text(json.dumps({"version": 1, "changes": [step]}))
    argv = ["add", "simpo", "--kb", str(starter_kb), "--under", "preferences"]
    code = main([*argv, "--title", "SimPO", "--essence", "A preference loss."])
    err = capsys.readouterr().err
    assert code == 2 and "not an edit journal FOMO wrote" in err and "Traceback" not in err
    assert victim.read_text() == "precious"
    assert "simpo" not in load(starter_kb).kb.topics
