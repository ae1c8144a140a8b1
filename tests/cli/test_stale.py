"""`fomo stale` end to end."""

from __future__ import annotations

import json
from pathlib import Path

from fomo.cli import main


def test_fresh_map_exits_0(starter_kb: Path, capsys) -> None:
    # the starter map was added and reviewed on 2026-11-26; far-future cut-offs list nothing
    assert main(["stale", "--kb", str(starter_kb), "--older-than", "100y"]) == 0


def test_old_review_is_listed(starter_kb: Path, capsys) -> None:
    path = starter_kb / "map/training/preferences/ppo.md"
    path.write_text(path.read_text().replace("reviewed: 2026-11-26", "reviewed: 2000-01-01"))
    assert main(["stale", "--kb", str(starter_kb), "--older-than", "10y"]) == 1
    out = capsys.readouterr().out
    assert "Proximal Policy Optimization (ppo): reviewed" in out and "fomo review ID" in out
    assert main(["stale", "--kb", str(starter_kb), "--older-than", "10y", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [t["id"] for t in data["topics"]] == ["ppo"]


def test_bad_age(starter_kb: Path, capsys) -> None:
    assert main(["stale", "--kb", str(starter_kb), "--older-than", "ages"]) == 2
    assert "cannot read the age" in capsys.readouterr().err
