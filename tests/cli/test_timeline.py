"""`fomo timeline` end to end."""

from __future__ import annotations

import json
from pathlib import Path

from fomo.cli import main


def test_whole_map_and_branch(starter_kb: Path, capsys) -> None:
    assert main(["timeline", "--kb", str(starter_kb)]) == 0
    out = capsys.readouterr().out
    assert out.index("2022") < out.index("Reinforcement Learning") < out.index("2023")
    assert main(["timeline", "Building Blocks", "--kb", str(starter_kb)]) == 0
    assert "no topic here has a `year` yet" in capsys.readouterr().out


def test_json_and_unknown(starter_kb: Path, capsys) -> None:
    assert main(["timeline", "preferences", "--kb", str(starter_kb), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(y["year"], [t["id"] for t in y["topics"]]) for y in data] == [
        (2022, ["rlhf"]),
        (2023, ["dpo"]),
    ]
    assert main(["timeline", "nonexistent-branch", "--kb", str(starter_kb)]) == 2


def test_a_year_is_ordered_by_month(make_kb, capsys) -> None:
    from tests.query.test_freshness import APPEARED

    kb = str(make_kb(APPEARED))
    assert main(["timeline", "--kb", kb, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [y["year"] for y in data] == [2024, 2025, 2026]
    assert [(t["id"], t["released"]) for t in data[-1]["topics"]] == [
        ("march", "2026-03"),
        ("june-a", "2026-06"),
        ("june-b", "2026-06"),
        ("year-only", None),
    ]
    assert main(["timeline", "--kb", kb]) == 0
    out = capsys.readouterr().out
    assert out.index("03 March Model") < out.index("06 Alpha June") < out.index("Some 2026 Tool")
