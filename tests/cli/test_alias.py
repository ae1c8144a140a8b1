"""`fomo alias` end to end."""

from __future__ import annotations

from pathlib import Path

from fomo.cli import main
from fomo.kb.load import load


def test_alias_appends_to_the_list(starter_kb: Path, capsys) -> None:
    assert main(["alias", "dpo", "Direct PO", "--kb", str(starter_kb)]) == 0
    assert "+aliases: [DPO, Direct PO]" in capsys.readouterr().out
    assert load(starter_kb).kb.topics["dpo"].aliases == ["DPO", "Direct PO"]


def test_alias_on_a_topic_without_aliases_adds_the_key(starter_kb: Path) -> None:
    assert main(["alias", "basics", "Components", "--kb", str(starter_kb)]) == 0
    text = (starter_kb / "map/basics/index.md").read_text()
    assert text.splitlines()[1:3] == ["title: Building Blocks", "aliases: [Components]"]


def test_alias_taken_by_another_topic_is_refused(starter_kb: Path, capsys) -> None:
    before = (starter_kb / "map/training/preferences/dpo.md").read_bytes()
    assert main(["alias", "dpo", "P.P.O.", "--kb", str(starter_kb)]) == 2
    assert "of topic 'ppo'" in capsys.readouterr().err
    assert (starter_kb / "map/training/preferences/dpo.md").read_bytes() == before
