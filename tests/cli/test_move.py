"""`fomo move` end to end, with and without git."""

from __future__ import annotations

from pathlib import Path

from fomo.cli import main
from fomo.kb.load import load
from tests.cli._git import git, init_repo


def test_move_plain_folder(starter_kb: Path, capsys) -> None:
    assert main(["move", "tokenization", "--kb", str(starter_kb), "--under", "dpo"]) == 0
    out = capsys.readouterr().out
    assert "rename from map/training/preferences/dpo.md" in out
    assert "rename to map/training/preferences/dpo/tokenization.md" in out
    assert "rename from map/basics/index.md" in out  # basics lost its last child: a leaf again
    kb = load(starter_kb).kb
    assert kb.topics["tokenization"].parent == "dpo"
    assert (starter_kb / "map/basics.md").is_file() and not (starter_kb / "map/basics").exists()


def test_move_into_own_subtree_is_refused(starter_kb: Path, capsys) -> None:
    assert main(["move", "training", "--kb", str(starter_kb), "--under", "rlhf"]) == 2
    assert "inside its own subtree" in capsys.readouterr().err
    assert (starter_kb / "map/training/index.md").exists()


def test_move_uses_git_mv_inside_a_work_tree(starter_kb: Path) -> None:
    init_repo(starter_kb)
    assert main(["move", "ppo", "--kb", str(starter_kb), "--under", "basics"]) == 0
    status = git(starter_kb, "status", "--porcelain")
    assert "R  map/training/preferences/ppo.md -> map/basics/ppo.md" in status
    assert main(["move", "tokenization", "--kb", str(starter_kb), "--under", "dpo"]) == 0
    status = git(starter_kb, "status", "--porcelain")
    assert "map/training/preferences/dpo.md -> map/training/preferences/dpo/index.md" in status
    assert "map/basics/tokenization.md -> map/training/preferences/dpo/tokenization.md" in status
    assert load(starter_kb).kb.topics["ppo"].parent == "basics"


def test_move_in_git_of_an_untracked_file_falls_back_to_rename(starter_kb: Path) -> None:
    init_repo(starter_kb)
    assert (
        main(
            [
                "add",
                "kto",
                "--kb",
                str(starter_kb),
                "--under",
                "basics",
                "--title",
                "KTO",
                "--essence",
                "A loss.",
            ]
        )
        == 0
    )
    assert main(["move", "kto", "--kb", str(starter_kb), "--under", "preferences"]) == 0
    assert (starter_kb / "map/training/preferences/kto.md").is_file()
