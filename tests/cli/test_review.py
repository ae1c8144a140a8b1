"""`fomo review` end to end."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fomo.cli import main
from fomo.kb.load import load


def test_review_sets_today(starter_kb: Path, capsys) -> None:
    path = starter_kb / "map/training/preferences/ppo.md"
    path.write_text(path.read_text().replace("reviewed: 2026-11-26", "reviewed: 2020-01-01"))
    assert main(["review", "ppo", "rlhf", "--kb", str(starter_kb)]) == 0
    out = capsys.readouterr().out
    assert f"+reviewed: {dt.date.today().isoformat()}" in out
    assert load(starter_kb).kb.topics["ppo"].reviewed == dt.date.today()


def test_review_unknown_topic(starter_kb: Path, capsys) -> None:
    assert main(["review", "dpoo", "--kb", str(starter_kb)]) == 2
    assert "did you mean 'dpo'" in capsys.readouterr().err
