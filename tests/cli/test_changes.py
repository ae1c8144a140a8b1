"""`fomo changes` end to end, from dates and from git history."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fomo.cli import main
from tests.cli._git import git, init_repo


def test_text_md_and_json(starter_kb: Path, capsys) -> None:
    assert main(["changes", "--kb", str(starter_kb), "--since", "2026-11-01"]) == 0
    out = capsys.readouterr().out
    assert "2026-11-26  added     Direct Preference Optimization [dpo] (Training LLMs)" in out
    assert (
        main(["changes", "--kb", str(starter_kb), "--since", "2026-11-01", "--format", "md"]) == 0
    )
    assert capsys.readouterr().out.startswith("# New in the LLM map since 2026-11-01")
    assert main(["changes", "--kb", str(starter_kb), "--since", "2027-01-01", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"since": "2027-01-01", "changes": []}


def test_git_history_shows_undated_edits(make_kb, capsys) -> None:
    from tests.conftest import STARTER

    files = {k: v.replace("2026-11-26", "2020-01-01") for k, v in STARTER.items()}
    root = make_kb(files)
    init_repo(root, date="2020-01-01T12:00:00")
    path = root / "map/training/preferences/ppo.md"
    path.write_text(path.read_text() + "A new body nobody dated.\n")
    git(root, "commit", "-qam", "explain ppo", date="2026-11-20T12:00:00")
    assert main(["changes", "--kb", str(root), "--since", "2026-11-01", "--json"]) == 0
    events = json.loads(capsys.readouterr().out)["changes"]
    assert [(e["date"], e["kind"], e["id"]) for e in events] == [("2026-11-20", "modified", "ppo")]
    assert main(["changes", "--kb", str(root), "--since", "2026-11-01", "--no-git"]) == 0
    assert "nothing added or changed" in capsys.readouterr().out


def test_git_history_inside_a_larger_repository(make_kb, capsys) -> None:
    from tests.conftest import STARTER

    files = {f"knowledge/{k}": v.replace("2026-11-26", "2020-01-01") for k, v in STARTER.items()}
    repo = make_kb(files)
    init_repo(repo, date="2020-01-01T12:00:00")
    git(
        repo, "mv", "knowledge/map/basics/tokenization.md", "knowledge/map/training/tokenization.md"
    )
    git(repo, "commit", "-qm", "move", date="2026-11-21T12:00:00")
    assert (
        main(["changes", "--kb", str(repo / "knowledge"), "--since", "2026-11-01", "--json"]) == 0
    )
    events = json.loads(capsys.readouterr().out)["changes"]
    assert [(e["kind"], e["id"], e["file"]) for e in events] == [
        ("renamed", "tokenization", "map/training/tokenization.md")
    ]
    assert events[0]["detail"] == "from map/basics/tokenization.md"


def _appeared_kb(make_kb) -> Path:
    from tests.query.test_freshness import APPEARED

    return make_kb(APPEARED)


def test_appeared_since_text_md_and_json(make_kb, capsys) -> None:
    kb = str(_appeared_kb(make_kb))
    assert main(["changes", "--kb", kb, "--appeared-since", "2026-03"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "2026-06  Alpha June [june-a] (Models)"
    assert [line.split()[0] for line in lines[:3]] == ["2026-06", "2026-06", "2026-03"]
    assert "December Model" not in out and "Some 2026 Tool" not in out
    assert "1 topics of 2026 have no month and are left out" in out
    assert main(["changes", "--kb", kb, "--appeared-since", "2026-03", "--format", "md"]) == 0
    md = capsys.readouterr().out
    assert md.startswith("# Appeared since 2026-03 in the LLM map")
    assert md.index("Beta June") < md.index("March Model")
    assert main(["changes", "--kb", kb, "--appeared-since", "2026", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["appeared_since"] == "2026-01" and data["month_unknown"] == []
    assert [(t["appeared"], t["id"]) for t in data["topics"]] == [
        ("2026-06", "june-a"),
        ("2026-06", "june-b"),
        ("2026-03", "march"),
        ("2026", "year-only"),
    ]
    assert main(["changes", "--kb", kb, "--appeared-since", "2030-01"]) == 0
    assert "nothing in the map appeared since 2030-01" in capsys.readouterr().out


def test_appeared_since_bad_input_exits_2(make_kb, capsys) -> None:
    kb = str(_appeared_kb(make_kb))
    assert main(["changes", "--kb", kb, "--appeared-since", "2026-13"]) == 2
    err = capsys.readouterr().err
    assert "cannot read the month '2026-13'" in err and "YYYY-MM" in err
    assert "Traceback" not in err
    assert main(["changes", "--kb", kb, "--appeared-since", "2026-06", "--no-git"]) == 2
    assert "--no-git goes with --since" in capsys.readouterr().err
    for usage in (["--since", "7d", "--appeared-since", "2026-06"], []):
        with pytest.raises(SystemExit) as done:
            main(["changes", "--kb", kb, *usage])
        assert done.value.code == 2 and "--appeared-since" in capsys.readouterr().err
