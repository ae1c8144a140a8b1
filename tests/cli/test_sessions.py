"""`fomo sessions` end to end."""

from __future__ import annotations

import json
from pathlib import Path

from fomo.cli import main


def test_outline(starter_kb: Path, capsys) -> None:
    assert main(["sessions", "--kb", str(starter_kb)]) == 0
    out = capsys.readouterr().out
    assert " 1. Training  (1 open)" in out and "1. Preferences [open]" in out


def test_one_session_draws_part_subtrees(starter_kb: Path, capsys) -> None:
    assert main(["sessions", "1", "--kb", str(starter_kb)]) == 0
    out = capsys.readouterr().out
    assert "Part 1: Preferences [open]" in out
    assert "  └── Fine-tuning to human preferences (preferences)" in out
    assert "      ├── Direct Preference Optimization (dpo)" in out
    assert "fomo new-article --session 1" in out


def test_json(starter_kb: Path, capsys) -> None:
    assert main(["sessions", "1", "--kb", str(starter_kb), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    part = data["parts"][0]
    assert part["status"] == "open" and part["topics"][0]["id"] == "preferences"
    assert {c["id"] for c in part["topics"][0]["children"]} == {"dpo", "ppo", "rlhf"}
    assert main(["sessions", "--kb", str(starter_kb), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["folder"] == "sessions/01-training"


def test_unknown_session(starter_kb: Path, capsys) -> None:
    assert main(["sessions", "5", "--kb", str(starter_kb)]) == 2
    assert "no session 5" in capsys.readouterr().err
