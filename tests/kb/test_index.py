import os
import time

from fomo.kb.index import Index, open_index
from fomo.kb.location import index_path
from tests.conftest import topic_file


def test_first_open_parses_everything_then_nothing(starter_kb) -> None:
    index = Index(starter_kb)
    first = index.sync()
    assert first.parsed == first.scanned == 9
    assert index.sync().parsed == 0


def test_an_edit_is_seen_by_the_next_open(starter_kb) -> None:
    open_index(starter_kb).close()
    dpo = starter_kb / "map/training/preferences/dpo.md"
    dpo.write_text(topic_file("Direct Preference Optimization", "Changed.", aliases="[DPO, DPO2]"))
    index = open_index(starter_kb)
    assert index.ids_for_key("dpo2") == [("dpo", "alias")]
    assert index.topic_summary("dpo")[1] == "Changed."


def test_touch_without_change_does_not_reparse(starter_kb) -> None:
    open_index(starter_kb).close()
    dpo = starter_kb / "map/training/preferences/dpo.md"
    later = time.time() + 5
    os.utime(dpo, (later, later))
    assert Index(starter_kb).sync().parsed == 0


def test_removed_files_leave_the_index(starter_kb) -> None:
    open_index(starter_kb).close()
    (starter_kb / "map/training/preferences/ppo.md").unlink()
    index = open_index(starter_kb)
    assert index.ids_for_key("ppo") == []
    assert "ppo" not in {row.id for row in index.outline()}


def test_deleting_or_corrupting_the_cache_is_safe(starter_kb) -> None:
    open_index(starter_kb).close()
    path = index_path(starter_kb.resolve())
    path.write_bytes(b"this is not a database")
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    assert open_index(starter_kb.resolve()).ids_for_key("dpo") == [("dpo", "id")]
    path.unlink()
    assert open_index(starter_kb.resolve()).ids_for_key("rlhf") == [("rlhf", "id")]


def test_search_ranks_title_matches_first(starter_kb) -> None:
    index = open_index(starter_kb)
    ranked = index.search('"preference"*', 10)
    assert ranked[0][0] in {"preferences", "dpo"}
    assert {topic_id for topic_id, _ in ranked} >= {"preferences", "dpo"}


def test_processes_syncing_one_cache_at_once_all_succeed(make_kb) -> None:
    """Several `fomo` commands starting together on a cold cache: the first creates it while
    the others wait (they used to unlink it under it: "database disk image is malformed"), and
    each then sees what the one before it wrote (they used to insert the same paths again:
    `UNIQUE constraint failed: files.path`)."""
    import subprocess
    import sys

    files = {"map/index.md": topic_file("Root", "The root.")}
    for i in range(300):
        files[f"map/t{i:03}.md"] = topic_file(f"Topic {i}", f"Essence {i}.")
    kb = make_kb(files)
    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from fomo.kb.index import Index\n"
        "from fomo.kb.load import build\n"
        "time.sleep(max(0.0, float(sys.argv[2]) - time.time()))\n"
        "index = Index(Path(sys.argv[1]))\n"
        "stats = index.sync()\n"
        "assert len(build(index).topics) == 301\n"
        "print(stats.scanned)\n"
    )
    for _ in range(4):
        for cache in index_path(kb).parent.glob("*"):
            cache.unlink()
        start = time.time() + 3
        runs = [
            subprocess.Popen(
                [sys.executable, "-c", code, str(kb), str(start)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(6)
        ]
        for run in runs:
            out, err = run.communicate(timeout=120)
            assert run.returncode == 0, err
            assert "Traceback" not in err and out.strip() == "301"


def test_check_reads_one_snapshot_while_another_process_syncs(starter_kb, monkeypatch) -> None:
    """`fomo check` reads the cache twice (records, then the tree); another command syncing in
    between (a file moved, one added) must not make them disagree: it raised KeyError in
    validate._check_tree."""
    from fomo.kb import validate
    from fomo.kb.load import load

    loaded = load(starter_kb)
    real_build = validate.build

    def build_after_another_sync(index, **options):  # type: ignore[no-untyped-def]
        moved = starter_kb / "map/basics/tokenization.md"
        moved.rename(starter_kb / "map/basics/tokenisation-moved.md")
        (starter_kb / "map/basics/embeddings.md").write_text(
            topic_file("Embeddings", "Vectors for tokens.")
        )
        other = Index(starter_kb)  # another `fomo` process on the same cache file
        other.sync()
        other.close()
        return real_build(index, **options)

    monkeypatch.setattr(validate, "build", build_after_another_sync)
    findings = validate.check(loaded)
    assert all(f.code for f in findings)  # a list of findings, no KeyError


def test_a_cache_being_created_is_never_unlinked_under_another_process(starter_kb) -> None:
    """A second command finds no cache, and before it acts a first one creates it: the second
    must use that cache, not unlink it under the first ("database disk image is malformed"
    when several `fomo where` started together on a cold cache)."""
    import subprocess
    import sys

    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from fomo.kb.index import Index\n"
        "real, calls = Index._has_meta, []\n"
        "def slow(db):\n"
        "    found = real(db)\n"
        "    if not calls:\n"
        "        calls.append(found)\n"
        "        print('no cache yet', flush=True)\n"
        "        time.sleep(3)\n"
        "    return found\n"
        "Index._has_meta = staticmethod(slow)\n"
        "index = Index(Path(sys.argv[1]))\n"
        "index.sync()\n"
        "index.db.execute(\"INSERT OR REPLACE INTO meta VALUES ('marker', 'second')\")\n"
    )
    run = subprocess.Popen(
        [sys.executable, "-c", code, str(starter_kb)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert run.stdout is not None and run.stdout.readline().strip() == "no cache yet"
    first = Index(starter_kb)  # creates the cache while the second one looks away
    first.sync()
    _, err = run.communicate(timeout=120)
    assert run.returncode == 0, err
    marker = first.db.execute("SELECT value FROM meta WHERE key='marker'").fetchone()
    assert marker == ("second",)  # both processes wrote into the one cache file
    assert first.db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def _search_rows(index: Index) -> int:
    return index.db.execute("SELECT count(*) FROM search").fetchone()[0]


def test_a_big_first_sync_leaves_full_text_for_the_first_search(starter_kb, monkeypatch) -> None:
    """A first sync from LAZY_SEARCH_FROM files on writes no full-text rows; the first search
    fills them from the records and answers as an index that wrote them at once."""
    import fomo.kb.index as index_module

    eager = open_index(starter_kb)
    assert _search_rows(eager) == 8
    expected = eager.search("preference", 10)
    eager.close()
    index_path(starter_kb).unlink()
    for suffix in ("-wal", "-shm"):
        index_path(starter_kb).with_name(index_path(starter_kb).name + suffix).unlink(True)
    monkeypatch.setattr(index_module, "LAZY_SEARCH_FROM", 5)
    lazy = open_index(starter_kb)
    assert _search_rows(lazy) == 0
    assert lazy.search("preference", 10) == expected
    assert _search_rows(lazy) == 8
    lazy.close()


def test_an_edit_before_the_first_search_is_searched(starter_kb, monkeypatch) -> None:
    import fomo.kb.index as index_module

    monkeypatch.setattr(index_module, "LAZY_SEARCH_FROM", 5)
    open_index(starter_kb).close()
    ppo = starter_kb / "map/training/preferences/ppo.md"
    ppo.write_text(topic_file("Proximal Policy Optimization", "Clipped zanzibar updates."))
    index = open_index(starter_kb)
    assert _search_rows(index) == 0  # still left for the first search
    assert [tid for tid, _ in index.search("zanzibar", 5)] == ["ppo"]
    ppo.write_text(topic_file("Proximal Policy Optimization", "Clipped updates, again."))
    index.close()
    index = open_index(starter_kb)  # filled now: this sync updates its rows as usual
    assert index.search("zanzibar", 5) == [] and _search_rows(index) == 8
