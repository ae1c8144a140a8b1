"""End-to-end: where, tree, search and check through the CLI entry point."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from fomo.cli import main
from tests.conftest import STARTER


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_help_lists_every_command(capsys) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    from fomo.cli import COMMANDS

    for command in COMMANDS:
        assert command in out


def test_version(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.startswith("fomo ")


def test_where_text_and_json(capsys, starter_kb) -> None:
    code, out, _ = run(capsys, "where", "D.P.O.", "--kb", str(starter_kb))
    assert code == 0
    assert "Large Language Models › Training LLMs › Fine-tuning to human preferences" in out
    assert "Fine-tunes directly on preference pairs" in out
    code, out, _ = run(
        capsys, "where", "direct", "preference", "optimisation", "--kb", str(starter_kb), "--json"
    )
    data = json.loads(out)
    assert data["id"] == "dpo" and data["year"] == 2023 and data["aliases"] == ["DPO"]
    assert [c["id"] for c in data["path"]][-2:] == ["preferences", "dpo"]


def test_where_unknown_exits_1_with_the_closest_names(capsys, starter_kb) -> None:
    code, out, _ = run(capsys, "where", "tokenizashun", "--kb", str(starter_kb))
    assert code == 1
    assert "closest matches" in out and "Tokenization" in out


def test_tree_text_depth_and_json(capsys, starter_kb) -> None:
    code, out, _ = run(capsys, "tree", "--kb", str(starter_kb))
    assert code == 0
    assert out.splitlines()[0] == "Large Language Models  large-language-models"
    assert "├── Building Blocks" in out and "    └── Fine-tuning to human preferences" in out
    _, out, _ = run(capsys, "tree", "training", "--depth", "1", "--kb", str(starter_kb))
    assert "Fine-tuning to human preferences  preferences  (3 more)" in out
    assert "Direct" not in out
    _, out, _ = run(capsys, "tree", "--no-ids", "--kb", str(starter_kb))
    assert out.splitlines()[0] == "Large Language Models"
    _, out, _ = run(capsys, "tree", "preferences", "--json", "--kb", str(starter_kb))
    data = json.loads(out)
    assert data["id"] == "preferences"
    assert [c["id"] for c in data["children"]] == ["dpo", "ppo", "rlhf"]


def test_search_json_and_limit(capsys, starter_kb) -> None:
    code, out, _ = run(
        capsys, "search", "preference", "--limit", "1", "--json", "--kb", str(starter_kb)
    )
    assert code == 0
    hits = json.loads(out)
    assert len(hits) == 1 and hits[0]["id"] in {"preferences", "dpo"}


def test_check_clean_then_findings_then_unusable(capsys, make_kb, starter_kb) -> None:
    assert run(capsys, "check", "--kb", str(starter_kb))[0] == 0
    broken = make_kb({**STARTER, "map/basics/x.md": "---\ntitle: X\n---\n"}, name="broken")
    code, out, _ = run(capsys, "check", "--kb", str(broken), "--json")
    assert code == 1
    assert json.loads(out) == [
        {
            "code": "missing-essence",
            "file": "map/basics/x.md",
            "line": 1,
            "message": "'essence' is missing or empty",
            "hint": "add 'essence: ...' to the front matter (one sentence: what it is and why it exists)",
        }
    ]
    code, _, err = run(capsys, "check", "--kb", str(broken / "nope"))
    assert code == 2 and "does not exist" in err


def test_broken_map_gives_file_and_line_not_traceback(capsys, make_kb) -> None:
    broken = make_kb({**STARTER, "map/basics/x.md": "---\ntitle: [x\n---\n"})
    for command in (["where", "dpo"], ["tree"], ["search", "dpo"]):
        code, _, err = run(capsys, *command, "--kb", str(broken))
        assert code == 2
        assert "map/basics/x.md:2" in err and "Traceback" not in err


def test_usage_error_exits_2(capsys) -> None:
    with pytest.raises(SystemExit) as done:
        main(["tree", "--depth", "many"])
    assert done.value.code == 2


def test_console_script_runs_as_a_process(starter_kb) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "fomo", "where", "rlhf", "--kb", str(starter_kb)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert "Reinforcement Learning from Human Feedback" in result.stdout
