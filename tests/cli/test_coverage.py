"""`fomo coverage` end to end."""

from __future__ import annotations

import json
from pathlib import Path

from fomo.cli import main


def test_table(starter_kb: Path, capsys) -> None:
    assert main(["coverage", "--kb", str(starter_kb)]) == 0
    out = capsys.readouterr().out
    assert "Training LLMs" in out and "20.0%" in out
    assert "session 1 part 1: Preferences [preferences]" in out
    assert "Direct Preference Optimization (dpo)" in out


def test_json(starter_kb: Path, capsys) -> None:
    assert main(["coverage", "--kb", str(starter_kb), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"]["topics"] == 8
    assert data["open_parts"][0]["title"] == "Preferences"
    assert "tokenization" in data["uncovered"]
