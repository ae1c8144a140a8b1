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
