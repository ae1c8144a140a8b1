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


def test_negative_limit_is_a_usage_error(capsys, starter_kb) -> None:
    from fomo.cli import main

    assert main(["coverage", "--limit", "-5", "--kb", str(starter_kb)]) == 2
    assert "--limit must be 0 or more" in capsys.readouterr().err
