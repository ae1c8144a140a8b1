"""`fomo new-article` end to end: scaffold, claim, pass `fomo check`."""

from __future__ import annotations

from pathlib import Path

from fomo.cli import main
from fomo.kb.load import load


def test_scaffold_and_claim(starter_kb: Path, capsys) -> None:
    session_file = starter_kb / "sessions/01-training/index.md"
    before = session_file.read_text()
    assert (
        main(
            [
                "new-article",
                "--kb",
                str(starter_kb),
                "--session",
                "1",
                "--part",
                "1",
                "--author",
                "Ada Lovelace",
            ]
        )
        == 0
    )
    article = (starter_kb / "sessions/01-training/01-preferences.md").read_text()
    assert article.startswith(
        "---\ntitle: Preferences\nauthor: Ada Lovelace\ntopics: [preferences]\nstatus: draft\n---\n"
    )
    headings = [line for line in article.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Introduction",
        "## Fine-tuning to human preferences",
        "## Conclusion",
        "## References",
    ]
    assert "- [TRL docs](https://huggingface.co/docs/trl) (docs)" in article
    after = session_file.read_text()
    assert after == before.replace(
        "status: open}",
        "status: claimed, author: Ada Lovelace, article: 01-preferences.md}",
    )
    kb = load(starter_kb).kb
    part = kb.sessions[0].parts[0]
    assert (part.status, part.author, part.article) == (
        "claimed",
        "Ada Lovelace",
        "01-preferences.md",
    )
    capsys.readouterr()
    assert main(["check", "--kb", str(starter_kb)]) == 0
    assert (
        main(
            [
                "new-article",
                "--kb",
                str(starter_kb),
                "--session",
                "1",
                "--part",
                "1",
                "--author",
                "Bob",
            ]
        )
        == 2
    )
    assert "already claimed by Ada Lovelace" in capsys.readouterr().err


def test_dry_run_and_bad_part(starter_kb: Path, capsys) -> None:
    assert (
        main(
            [
                "new-article",
                "--kb",
                str(starter_kb),
                "--session",
                "1",
                "--part",
                "1",
                "--author",
                "Ada",
                "--dry-run",
            ]
        )
        == 0
    )
    assert not (starter_kb / "sessions/01-training/01-preferences.md").exists()
    assert (
        main(
            [
                "new-article",
                "--kb",
                str(starter_kb),
                "--session",
                "1",
                "--part",
                "3",
                "--author",
                "Ada",
            ]
        )
        == 2
    )
    assert "has no part 3" in capsys.readouterr().err
