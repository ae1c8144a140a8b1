import pytest

from fomo.errors import FomoError
from fomo.kb import load as load_module
from fomo.kb.load import TopicCache, load, load_once
from fomo.kb.location import index_path, resolve_kb
from tests.conftest import STARTER, topic_file


def test_folder_tree_becomes_the_hierarchy(starter_kb) -> None:
    kb = load(starter_kb).kb
    assert kb.root.id == "large-language-models"
    assert [t.id for t in kb.children("large-language-models")] == ["basics", "training"]
    assert [t.id for t in kb.path("dpo")] == [
        "large-language-models",
        "training",
        "preferences",
        "dpo",
    ]
    assert {t.id for t in kb.siblings("dpo")} == {"rlhf", "ppo"}
    dpo = kb.topics["dpo"]
    assert dpo.aliases == ["DPO"] and dpo.year == 2023 and dpo.builds_on == ["rlhf"]
    assert dpo.references[0].url == "https://huggingface.co/docs/trl"
    assert dpo.source.file == "map/training/preferences/dpo.md"
    assert dpo.added.isoformat() == "2026-11-26"


def test_sessions_and_their_coverage(starter_kb) -> None:
    kb = load(starter_kb).kb
    (session,) = kb.sessions
    assert session.number == 1 and session.parts[0].topics == ["preferences"]
    assert kb.session_topics(session) == {"preferences", "rlhf", "dpo", "ppo"}
    assert [(s.number, p.number) for s, p in kb.coverage_of("dpo")] == [(1, 1)]


def test_unreadable_file_refuses_strict_load_with_file_and_line(make_kb) -> None:
    root = make_kb({**STARTER, "map/basics/bad.md": "---\ntitle: [x\n---\n"})
    with pytest.raises(FomoError) as caught:
        load(root)
    assert caught.value.file == "map/basics/bad.md"
    assert caught.value.line == 2
    assert len(load(root, strict=False).kb) == 8


def test_missing_kb_folder_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(FomoError, match="does not exist"):
        resolve_kb(tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(FomoError, match="no map/"):
        resolve_kb(tmp_path / "empty")


def test_default_is_local_knowledge_then_bundled(tmp_path, monkeypatch, make_kb) -> None:
    monkeypatch.chdir(tmp_path)
    bundled = resolve_kb(None)
    assert (bundled / "map" / "index.md").is_file()
    make_kb(STARTER, name="knowledge")
    assert resolve_kb(None) == (tmp_path / "knowledge").resolve()


def test_released_month_is_loaded_and_a_bad_one_is_dropped(make_kb) -> None:
    files = dict(STARTER)
    files["map/training/preferences/dpo.md"] = topic_file("DPO", "E.", released="2026-03")
    files["map/basics/other.md"] = topic_file("Other", "E.", released="2026-13")
    kb = load(make_kb(files)).kb
    assert kb.topics["dpo"].released == "2026-03"
    assert kb.topics["other"].released is None


def _same_topics(cached: dict, fresh: dict) -> bool:
    return cached.keys() == fresh.keys() and all(cached[k] == fresh[k] for k in fresh)


def test_cache_decodes_only_changed_files_and_matches_a_fresh_load(make_kb) -> None:
    root = make_kb(STARTER)
    cache = TopicCache()
    first = load(root, cache=cache).kb
    dpo = root / "map/training/preferences/dpo.md"
    dpo.write_text(dpo.read_text().replace("without a reward model", "with no reward model"))
    (root / "map/basics/tokenization.md").unlink()
    second = load(root, cache=cache).kb
    assert second.topics["rlhf"] is first.topics["rlhf"]
    assert second.topics["dpo"] is not first.topics["dpo"]
    assert "with no reward model" in second.topics["dpo"].essence
    assert "tokenization" not in second.topics
    assert _same_topics(second.topics, load(root).kb.topics)


def test_cache_follows_a_new_root_id_into_the_root_children(make_kb) -> None:
    root = make_kb(STARTER)
    cache = TopicCache()
    load(root, cache=cache)
    index = root / "map/index.md"
    index.write_text(index.read_text().replace("Large Language Models", "LLMs", 1))
    kb = load(root, cache=cache).kb
    assert kb.root.id == "llms"
    assert [t.id for t in kb.children("llms")] == ["basics", "training"]
    assert _same_topics(kb.topics, load(root).kb.topics)


def test_cache_forgets_files_that_are_gone_so_renames_do_not_pile_up(make_kb) -> None:
    root = make_kb(STARTER)
    cache = TopicCache()
    files = len(load(root, cache=cache).kb.topics)
    folder = root / "map/basics"
    for name in ("basics-1", "basics-2", "basics-3", "basics"):
        moved = folder.with_name(name)
        folder.rename(moved)
        folder = moved
        kb = load(root, cache=cache).kb
        assert len(cache) == files == len(kb.topics)
    assert _same_topics(kb.topics, load(root).kb.topics)


def test_cache_still_refuses_a_file_broken_since(make_kb) -> None:
    root = make_kb(STARTER)
    cache = TopicCache()
    load(root, cache=cache)
    (root / "map/training/preferences/ppo.md").write_text("---\ntitle: [x\n---\n")
    with pytest.raises(FomoError) as caught:
        load(root, cache=cache)
    assert caught.value.file == "map/training/preferences/ppo.md"


def test_load_once_without_an_index_reads_the_files_and_leaves_no_index(make_kb) -> None:
    root = make_kb(STARTER)
    kb, folder = load_once(root)
    assert folder == root.resolve() and not index_path(folder).exists()
    indexed = load(root).kb
    assert _same_topics(kb.topics, indexed.topics)
    assert [t.id for t in kb.children("training")] == [t.id for t in indexed.children("training")]
    assert kb.sessions == indexed.sessions and kb.articles == indexed.articles


def test_load_once_reads_through_an_index_that_exists(make_kb, monkeypatch) -> None:
    root = make_kb(STARTER)
    load(root)
    monkeypatch.setattr(load_module, "read_files", lambda root: pytest.fail("parsed again"))
    assert load_once(root)[0].topics.keys() == load(root).kb.topics.keys()


@pytest.mark.parametrize("with_index", [False, True])
def test_load_once_refuses_an_unreadable_file_with_file_and_line(make_kb, with_index) -> None:
    root = make_kb({**STARTER, "map/basics/bad.md": "---\ntitle: [x\n---\n"})
    if with_index:
        load(root, strict=False)
    with pytest.raises(FomoError) as caught:
        load_once(root)
    assert (caught.value.file, caught.value.line) == ("map/basics/bad.md", 2)


def test_load_once_refuses_a_link_out_of_the_knowledge_base(make_kb, tmp_path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text(topic_file("Outside", "E."))
    root = make_kb(STARTER)
    (root / "map/basics/outside.md").symlink_to(outside)
    with pytest.raises(FomoError) as caught:
        load_once(root)
    assert caught.value.file == "map/basics/outside.md"
