"""The hostile-input catalogue, knowledge-base side (issue 16): one case per line fixed.

Each case runs the real CLI and asserts the exit code, that no traceback reaches the user, that
the message names the file and says how to fix it, and that nothing was lost or left behind.
(Kill points of add, move, new-article and import: tests/kb/test_killpoints.py.)
"""

from __future__ import annotations

import errno
import json
import os
import time
from pathlib import Path

import pytest

from fomo.cli import main
from tests.conftest import STARTER, topic_file
from tests.kb.test_edit import tree_hash

DPO = "map/training/preferences/dpo.md"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def findings(capsys, kb: Path) -> list[dict]:
    code, out, _ = run(capsys, "check", "--kb", str(kb), "--json")
    found = json.loads(out)
    assert code == (1 if found else 0)
    assert all(f["hint"] for f in found)
    return found


def codes_at(found: list[dict]) -> set[tuple[str, str]]:
    return {(f["code"], f["file"]) for f in found}


# ---- the walk: symlinks, FIFOs, folders, names ------------------------------------------


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda kb: os.symlink("/nonexistent/x.md", kb / "map/x.md"), "dangling-symlink"),
        (
            lambda kb: (
                os.symlink(kb / "map/y.md", kb / "map/x.md"),
                os.symlink(kb / "map/x.md", kb / "map/y.md"),
            ),
            "symlink-loop",
        ),
        (lambda kb: os.mkfifo(kb / "map/x.md"), "not-a-file"),
    ],
    ids=["dangling-symlink", "symlink-loop", "fifo"],
)
def test_entries_that_cannot_be_read_are_findings_never_a_crash_or_hang(
    starter_kb: Path, capsys, make, code: str
) -> None:
    make(starter_kb)
    found = findings(capsys, starter_kb)
    assert (code, "map/x.md") in codes_at(found)
    exit_code, _, err = run(capsys, "tree", "--kb", str(starter_kb))
    assert exit_code == 2 and "map/x.md" in err and "hint" in err


def test_a_symlink_out_of_the_knowledge_base_is_not_read(starter_kb: Path, tmp_path, capsys):
    secret = tmp_path / "secret.md"
    secret.write_text(topic_file("Secret Thing", "Private."), encoding="utf-8")
    os.symlink(secret, starter_kb / "map/basics/secret.md")
    assert ("symlink-outside", "map/basics/secret.md") in codes_at(findings(capsys, starter_kb))
    _, out, _ = run(capsys, "search", "Private", "--kb", str(starter_kb))
    assert "Secret Thing" not in out


def test_a_symlink_inside_the_knowledge_base_is_read(starter_kb: Path, capsys) -> None:
    (starter_kb / "map/basics/real.md").write_text(topic_file("Real One", "E."), encoding="utf-8")
    os.symlink(starter_kb / "map/basics/real.md", starter_kb / "map/basics/alias-of-real.md")
    found = findings(capsys, starter_kb)
    assert not [f for f in found if f["code"].startswith(("symlink", "dangling"))]


def test_a_link_to_a_folder_is_a_finding_not_a_branch_lost_in_silence(
    starter_kb: Path, tmp_path, capsys
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "index.md").write_text(topic_file("Linked Branch", "E."), encoding="utf-8")
    os.symlink(elsewhere, starter_kb / "map/basics/linked")
    os.symlink(starter_kb / "map/training", starter_kb / "map/basics/again")
    pictures = tmp_path / "pictures"
    pictures.mkdir()
    (pictures / "figure.png").write_bytes(b"\x89PNG")
    os.symlink(pictures, starter_kb / "map/basics/img")  # no Markdown in it: only linked to
    found = codes_at(findings(capsys, starter_kb))
    assert {
        ("symlink-folder", "map/basics/linked"),
        ("symlink-folder", "map/basics/again"),
    } <= found
    assert not [code for code, file in found if file == "map/basics/img"]
    exit_code, _, err = run(
        capsys,
        "add",
        "new-thing",
        "--under",
        "basics",
        "--title",
        "New Thing",
        "--essence",
        "E.",
        "--kb",
        str(starter_kb),
    )
    assert exit_code == 2 and "map/basics/" in err and "instead of linking" in err
    assert not list(starter_kb.rglob("new-thing*"))


def test_a_file_name_that_is_not_utf8_is_a_finding(starter_kb: Path, capsys) -> None:
    name = os.fsencode(starter_kb / "map/basics") + b"/bad\xff.md"
    with open(name, "wb") as handle:
        handle.write(topic_file("Bad", "E.").encode())
    found = findings(capsys, starter_kb)
    assert ("bad-file-name", "map/basics/bad\ufffd.md") in codes_at(found)
    assert run(capsys, "tree", "--kb", str(starter_kb))[0] == 2


def test_an_unlistable_folder_is_a_finding(starter_kb: Path, capsys, monkeypatch) -> None:
    real = os.scandir
    blocked = str(starter_kb / "map/basics")

    def scandir(path):  # what chmod 000 does to a folder (tests may run as root)
        if str(path) == blocked:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = findings(capsys, starter_kb)
    assert ("unreadable-folder", "map/basics") in codes_at(found)


def test_an_unreadable_file_is_named_and_read_again_once_readable(
    starter_kb: Path, capsys, monkeypatch
) -> None:
    import builtins

    real_open = builtins.open
    target = str(starter_kb / DPO)

    def denied(path, *args, **kwargs):  # what chmod 000 does to a file
        if str(path) == target:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", denied)
    assert ("unreadable", DPO) in codes_at(findings(capsys, starter_kb))
    monkeypatch.setattr(builtins, "open", real_open)  # readable again, mtime unchanged
    assert findings(capsys, starter_kb) == []
    code, out, _ = run(capsys, "where", "dpo", "--kb", str(starter_kb))
    assert code == 0 and "Direct Preference Optimization" in out


# ---- values: types and ranges before anything reaches the index ---------------------------


def test_a_huge_number_is_a_finding_and_every_command_still_works(starter_kb, capsys) -> None:
    (starter_kb / DPO).write_text(
        topic_file("Direct Preference Optimization", "E.", order="-99999999999999999999"),
        encoding="utf-8",
    )
    found = findings(capsys, starter_kb)
    assert [(f["code"], f["file"], f["line"]) for f in found] == [("bad-number", DPO, 4)]
    assert run(capsys, "tree", "--kb", str(starter_kb))[0] == 0
    assert run(capsys, "where", "dpo", "--kb", str(starter_kb))[0] == 0


def test_lists_and_mappings_inside_topics_of_parts_and_articles(starter_kb, capsys) -> None:
    session = starter_kb / "sessions/01-training/index.md"
    session.write_text(
        "---\ntitle: T\nparts:\n  - {number: 1, title: P, topics: [[dpo], {a: b}]}\n---\n",
        encoding="utf-8",
    )
    (starter_kb / "sessions/01-training/a.md").write_text(
        "---\ntitle: A\ntopics: [{x: 1}, [y]]\n---\nText.\n", encoding="utf-8"
    )
    found = codes_at(findings(capsys, starter_kb))
    assert ("bad-type", "sessions/01-training/index.md") in found
    assert ("bad-type", "sessions/01-training/a.md") in found


def test_a_duplicate_front_matter_key_is_a_finding(starter_kb: Path, capsys) -> None:
    (starter_kb / DPO).write_text(
        "---\ntitle: DPO\nessence: First.\nessence: Second.\n---\n", encoding="utf-8"
    )
    found = [f for f in findings(capsys, starter_kb) if f["code"] == "duplicate-key"]
    assert [(f["file"], f["line"]) for f in found] == [(DPO, 4)]
    assert "essence" in found[0]["message"] and "line 3" in found[0]["message"]


# ---- messages: one finding per cause, ids that are valid, the right file blamed -------------


def test_one_broken_topic_file_gives_one_finding(make_kb, capsys) -> None:
    files = dict(STARTER)
    files["map/training/preferences/rlhf.md"] = (
        topic_file("RLHF", "E.", related="[dpo]") + "See [[dpo]].\n"
    )
    files["map/training/preferences/ppo.md"] = topic_file("PPO", "E.", builds_on="[dpo]")
    files["sessions/01-training/index.md"] = (
        "---\ntitle: T\nparts:\n  - {number: 1, title: P, topics: [dpo]}\n---\n"
    )
    files[DPO] = "---\ntitle: [unclosed\n---\n"
    kb = make_kb(files)
    found = findings(capsys, kb)
    assert [(f["code"], f["file"]) for f in found] == [("bad-yaml", DPO)]


def test_the_suggested_id_for_a_non_ascii_file_name_is_valid(starter_kb: Path, capsys) -> None:
    from fomo.kb.validate import ID_PATTERN

    (starter_kb / "map/basics/ünïcödé-名前.md").write_text(topic_file("Uni", "E."), "utf-8")
    (finding,) = [f for f in findings(capsys, starter_kb) if f["code"] == "bad-id"]
    suggested = finding["hint"].split("'")[1]
    assert ID_PATTERN.match(suggested) and suggested == "unicode"


def test_a_new_file_taking_an_existing_title_is_the_one_blamed(starter_kb: Path, capsys):
    newcomer = starter_kb / "map/basics/proximal-policy-optimization.md"
    newcomer.write_text(topic_file("Another PPO", "E."), encoding="utf-8")
    later = time.time() + 3600
    os.utime(newcomer, (later, later))
    (collision,) = [f for f in findings(capsys, starter_kb) if f["code"] == "name-collision"]
    assert collision["file"] == "map/basics/proximal-policy-optimization.md"


# ---- OS errors in every edit command: file named, fix given, exit 2, nothing changed --------

EDITS = {
    "add": ["add", "kto", "--under", "dpo", "--title", "KTO", "--essence", "A loss."],
    "alias": ["alias", "dpo", "Direct PO"],
    "review": ["review", "dpo"],
    "move": ["move", "tokenization", "--under", "preferences"],
    "new-article": ["new-article", "--session", "1", "--part", "1", "--author", "Ann"],
}
FAULTS = {
    "disk-full": (errno.ENOSPC, "space"),
    "read-only": (errno.EROFS, "read-only"),
    "permission": (errno.EACCES, "permission"),
}


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("command", list(EDITS))
def test_an_os_error_in_an_edit_is_one_clear_message(
    starter_kb: Path, capsys, monkeypatch, command: str, fault: str
) -> None:
    number, words = FAULTS[fault]
    before = tree_hash(starter_kb)

    def refuse(*args, **kwargs):
        raise OSError(number, os.strerror(number), str(args[-1]))

    for name in ("replace", "rename", "mkdir"):  # every way an edit puts something on disk
        monkeypatch.setattr(os, name, refuse)
    code, _, err = run(capsys, *EDITS[command], "--kb", str(starter_kb))
    assert code == 2
    assert words in err.lower() and "hint" in err
    assert str(starter_kb.name) in err or "map/" in err or "sessions/" in err
    monkeypatch.undo()
    assert tree_hash(starter_kb) == before
    assert list(starter_kb.rglob(".fomo-*")) == []


def test_an_index_cache_that_cannot_be_written_does_not_stop_commands(
    starter_kb: Path, tmp_path, capsys, monkeypatch
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be")
    monkeypatch.setenv("FOMO_CACHE_DIR", str(blocked))
    code, out, _ = run(capsys, "where", "dpo", "--kb", str(starter_kb))
    assert code == 0 and "Direct Preference Optimization" in out
    assert findings(capsys, starter_kb) == []


def test_a_full_disk_during_import_leaves_no_empty_folder(
    starter_kb, tmp_path, capsys, monkeypatch
):
    outline = tmp_path / "in.md"
    outline.write_text("- New Branch\n  - Deep Child\n    - Deeper\n", encoding="utf-8")
    before = tree_hash(starter_kb)
    real_replace = os.replace

    def full(source, target):
        if Path(target).name == "deeper.md":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", full)
    code, _, err = run(capsys, "import", str(outline), "--kb", str(starter_kb))
    assert code == 2 and "deeper.md" in err and "space" in err
    assert tree_hash(starter_kb) == before
    assert not (starter_kb / "map/new-branch").exists()
    assert list(starter_kb.rglob(".fomo-*")) == []
