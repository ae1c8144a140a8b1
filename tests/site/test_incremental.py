"""An incremental update leaves the site exactly as a full build would, whatever the edit, and
an edit of a topic's text alone redraws that topic and not the site-wide pages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from fomo.site.build import SiteBuilder
from tests.conftest import topic_file
from tests.site.conftest import SITE_KB, write_kb

Edit = Callable[[Path], None]


def _rewrite(path: str, old: str, new: str) -> Edit:
    def edit(kb: Path) -> None:
        file = kb / path
        text = file.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path}"
        file.write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


def _append(path: str, text: str) -> Edit:
    def edit(kb: Path) -> None:
        file = kb / path
        file.write_text(file.read_text(encoding="utf-8") + text, encoding="utf-8")

    return edit


def _write(path: str, text: str) -> Edit:
    return lambda kb: (kb / path).write_text(text, encoding="utf-8")


def _delete(path: str) -> Edit:
    return lambda kb: (kb / path).unlink()


PPO = "map/training/preferences/ppo.md"
KB = {**SITE_KB, PPO: SITE_KB[PPO] + "It clips each update.\n"}  # the one topic with a text
EDITS: dict[str, Edit] = {
    "body": _append(PPO, "\nA new paragraph that links [[dpo]].\n"),
    "first body": _append("map/basics/tokenization.md", "Now it has a text.\n"),
    "title": _rewrite(PPO, "title: Proximal Policy Optimization", "title: PPO, the method"),
    "alias": _rewrite(PPO, "aliases: [PPO]", "aliases: [PPO, PPO-clip]"),
    "essence": _rewrite(PPO, "essence: ", "essence: Edited. "),
    "touched": _append(PPO, ""),  # saved again as it was: nothing changes
    "new topic": _write("map/basics/bpe.md", topic_file("Byte-Pair Encoding", "Merges pairs.")),
    "removed topic": _delete("map/basics/xss.md"),
    "article": _append("sessions/01-training/dpo-article.md", "\nOne more line.\n"),
    "session": _rewrite("sessions/01-training/index.md", "title: Training", "title: Teaching"),
}


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and p.name != ".fomo-site"
    }


@pytest.mark.parametrize("name", list(EDITS))
def test_an_update_writes_what_a_full_build_writes(tmp_path: Path, name: str) -> None:
    kb = write_kb(tmp_path / "kb", KB)
    builder = SiteBuilder(kb, tmp_path / "out", search=False)
    builder.build()
    EDITS[name](kb)
    builder.update()
    SiteBuilder(kb, tmp_path / "full", search=False).build()
    updated, full = _files(tmp_path / "out"), _files(tmp_path / "full")
    assert sorted(updated) == sorted(full)
    assert [p for p in full if updated[p] != full[p]] == []


def test_updates_in_a_row_keep_the_site_a_full_build_and_reuse_unchanged_topics(
    tmp_path: Path,
) -> None:
    """`fomo serve` updates the same builder again and again: what it remembers between
    updates (the topics it decoded, the pages it wrote) never goes stale."""
    kb = write_kb(tmp_path / "kb", KB)
    builder = SiteBuilder(kb, tmp_path / "out", search=False)
    builder.build()
    for number, name in enumerate(EDITS):
        before = builder.data.kb.topics["rlhf"]
        EDITS[name](kb)
        builder.update()
        assert builder.data.kb.topics["rlhf"] is before  # its file was never edited
        SiteBuilder(kb, tmp_path / f"full-{number}", search=False).build()
        updated, full = _files(tmp_path / "out"), _files(tmp_path / f"full-{number}")
        assert sorted(updated) == sorted(full), name
        assert [p for p in full if updated[p] != full[p]] == [], name


def test_editing_only_the_text_of_a_topic_redraws_no_site_wide_page(tmp_path: Path) -> None:
    kb = write_kb(tmp_path / "kb", KB)
    builder = SiteBuilder(kb, tmp_path / "out", search=False)
    builder.build()
    EDITS["body"](kb)
    text_only, touched = builder.update()
    assert touched == {"topics/ppo.html"}
    EDITS["first body"](kb)  # the contribution board counts topics with a text
    _, touched = builder.update()
    assert touched == {"topics/tokenization.html", "contribute.html"}
    EDITS["essence"](kb)
    outline, touched = builder.update()
    assert {"api/terms.json", "assets/map-data.js", "topics/index.html"} <= touched
    # the 13 site-wide pages (listings, feeds, map data, term index) were rendered again, and
    # only for the second edit
    assert outline.pages >= text_only.pages + 13
