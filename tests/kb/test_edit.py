"""The safe edit layer: byte-for-byte round trips, atomic writes, the lock, refused edits."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from fomo.errors import FomoError
from fomo.kb import edit
from fomo.kb.load import load
from fomo.kb.validate import check

ANNOTATED = textwrap.dedent(
    """\
    ---
    # Direct Preference Optimization: keep this comment
    title: "Direct Preference Optimization"   # quoted on purpose
    aliases: [DPO]
    essence: >-
      Fine-tunes directly on preference pairs
      without a reward model.
    year: 2023
    builds_on:
    - rlhf
    references:
      - {title: 'TRL docs', url: "https://huggingface.co/docs/trl", kind: docs}

    # dates below
    added: 2026-01-01
    reviewed: 2026-01-02  # last look
    ---
    Body *stays*, even with --- inside.

    ---
    """
)


def tree_hash(root: Path) -> str:
    """A hash of every path and file content under `root`."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        digest.update(str(path.relative_to(root)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    old, new = before.splitlines(), after.splitlines()
    assert len(old) == len(new), (before, after)
    return [(a, b) for a, b in zip(old, new, strict=True) if a != b]


def test_rewrite_keeps_every_other_byte() -> None:
    def bump(data: object) -> None:
        data["year"] = 2024  # type: ignore[index]

    after = edit.rewrite_front_matter(ANNOTATED, "dpo.md", bump)
    assert changed_lines(ANNOTATED, after) == [("year: 2023", "year: 2024")]


def test_rewrite_keeps_comment_on_the_changed_key() -> None:
    def review(data: object) -> None:
        data["reviewed"] = dt.date(2026, 11, 26)  # type: ignore[index]

    after = edit.rewrite_front_matter(ANNOTATED, "dpo.md", review)
    assert changed_lines(ANNOTATED, after) == [
        ("reviewed: 2026-01-02  # last look", "reviewed: 2026-11-26  # last look")
    ]


def test_rewrite_appends_to_a_flow_list_and_inserts_new_keys_in_house_order() -> None:
    def mutate(data: object) -> None:
        data["aliases"].append("Direct PO")  # type: ignore[index]
        edit.insert_key(data, "tags", edit.flow_list(["alignment"]))

    after = edit.rewrite_front_matter(ANNOTATED, "dpo.md", mutate)
    lines = after.splitlines()
    assert "aliases: [DPO, Direct PO]" in lines
    assert lines.index("tags: [alignment]") == lines.index("builds_on:") + 2
    assert [
        line for line in lines if line not in ("aliases: [DPO, Direct PO]", "tags: [alignment]")
    ] == [line for line in ANNOTATED.splitlines() if line != "aliases: [DPO]"]


def test_rewrite_of_a_session_part_changes_only_that_key() -> None:
    text = textwrap.dedent(
        """\
        ---
        title: Training  # series 1
        parts:
          - {number: 1, title: Preferences, topics: [preferences], status: open}
          # the second part
          - number: 2
            title: "Basics: tokens"
            status: open
        ---
        """
    )

    def claim(data: object) -> None:
        data["parts"][1]["status"] = "claimed"  # type: ignore[index]

    after = edit.rewrite_front_matter(text, "s.md", claim, order=())
    assert changed_lines(text, after) == [("    status: open", "    status: claimed")]


def test_unchanged_data_returns_the_text_itself() -> None:
    assert edit.rewrite_front_matter(ANNOTATED, "dpo.md", lambda data: None) is ANNOTATED


def test_crlf_files_keep_their_line_ends() -> None:
    text = ANNOTATED.replace("\n", "\r\n")

    def bump(data: object) -> None:
        data["year"] = 2024  # type: ignore[index]

    after = edit.rewrite_front_matter(text, "dpo.md", bump)
    assert after == text.replace("year: 2023", "year: 2024")


@pytest.fixture
def annotated_kb(starter_kb: Path) -> Path:
    (starter_kb / "map/training/preferences/dpo.md").write_text(ANNOTATED, encoding="utf-8")
    return starter_kb


def test_review_through_the_api_writes_only_the_changed_line(annotated_kb: Path) -> None:
    path = annotated_kb / "map/training/preferences/dpo.md"
    change = edit.review_topic(annotated_kb, "dpo", today=dt.date(2026, 11, 26))
    assert "+reviewed: 2026-11-26  # last look" in change.diff()
    edit.apply(change, annotated_kb)
    assert path.read_text(encoding="utf-8") == ANNOTATED.replace(
        "2026-01-02  # last look", "2026-11-26  # last look"
    )
    assert load(annotated_kb).kb.topics["dpo"].reviewed == dt.date(2026, 11, 26)


def test_add_topic_creates_a_valid_file(starter_kb: Path) -> None:
    change = edit.add_topic(
        starter_kb,
        "preferences",
        "simpo",
        title="SimPO",
        essence="A preference loss without a reference model.",
        aliases=["Simple Preference Optimization"],
        year=2024,
        today=dt.date(2026, 11, 26),
    )
    edit.apply(change, starter_kb)
    text = (starter_kb / "map/training/preferences/simpo.md").read_text(encoding="utf-8")
    assert text == textwrap.dedent(
        """\
        ---
        title: SimPO
        aliases: [Simple Preference Optimization]
        essence: A preference loss without a reference model.
        year: 2024
        added: 2026-11-26
        reviewed: 2026-11-26
        ---
        """
    )
    loaded = load(starter_kb)
    assert loaded.kb.topics["simpo"].parent == "preferences"
    assert check(loaded) == []


def test_adding_under_a_leaf_turns_it_into_a_folder(starter_kb: Path) -> None:
    before = (starter_kb / "map/training/preferences/dpo.md").read_bytes()
    change = edit.add_topic(starter_kb, "dpo", "kto", title="KTO", essence="Prospect theory loss.")
    assert change.moves == [
        ("map/training/preferences/dpo.md", "map/training/preferences/dpo/index.md")
    ]
    edit.apply(change, starter_kb)
    assert (starter_kb / "map/training/preferences/dpo/index.md").read_bytes() == before
    assert not (starter_kb / "map/training/preferences/dpo.md").exists()
    kb = load(starter_kb).kb
    assert kb.topics["kto"].parent == "dpo"
    assert kb.topics["dpo"].parent == "preferences"


def test_an_edit_never_writes_through_a_folder_link_out_of_the_kb(starter_kb: Path) -> None:
    """A link made after the plan is refused by the apply; one there before, by the load."""
    outside = starter_kb.parent / "outside"
    outside.mkdir()
    (outside / "elsewhere.md").write_text("Not part of the map.\n", encoding="utf-8")
    change = edit.add_topic(starter_kb, "dpo", "kto", title="KTO", essence="Prospect theory loss.")
    (starter_kb / "map/training/preferences/dpo").symlink_to(outside)
    with pytest.raises(FomoError) as caught:
        edit.apply(change, starter_kb)
    assert "leads out of the knowledge base" in caught.value.message
    with pytest.raises(FomoError) as caught:
        edit.add_topic(starter_kb, "dpo", "kto", title="KTO", essence="Prospect theory loss.")
    assert caught.value.code == "symlink-folder"
    assert [p.name for p in outside.iterdir()] == ["elsewhere.md"]
    assert (starter_kb / "map/training/preferences/dpo.md").is_file()


def test_create_topic_under_the_root_and_allowing_a_placeholder(starter_kb: Path) -> None:
    fields = {"title": "Agents", "essence": "TODO: write it", "status": "emerging"}
    with pytest.raises(FomoError, match="placeholder"):
        edit.create_topic(starter_kb, "large-language-models", "agents", fields)
    change = edit.create_topic(
        starter_kb,
        "large-language-models",
        "agents",
        fields,
        "Body.",
        allow=["essence-placeholder"],
    )
    assert change.writes[0].path == "map/agents.md"
    edit.apply([change], starter_kb)
    assert load(starter_kb).kb.topics["agents"].body.strip() == "Body."


REFUSED = [
    (lambda root: edit.add_topic(root, "nope", "x", title="X", essence="An x."), "unknown parent"),
    (
        lambda root: edit.add_topic(root, "basics", "dpo", title="X", essence="An x."),
        "already used",
    ),
    (
        lambda root: edit.add_topic(
            root, "basics", "x", title="Direct preference optimisation", essence="An x."
        ),
        "reads the same",
    ),
    (
        lambda root: edit.add_topic(
            root, "basics", "x", title="X", essence="An x.", aliases=["PPO"]
        ),
        "reads the same",
    ),
    (lambda root: edit.add_topic(root, "basics", "Bad_Id", title="X", essence="An x."), "kebab"),
    (
        lambda root: edit.add_topic(root, "basics", "x", title="X", essence="x" * 300),
        "over the limit",
    ),
    (lambda root: edit.move_topic(root, "training", "dpo"), "own subtree"),
    (lambda root: edit.move_topic(root, "training", "training"), "own subtree"),
    (lambda root: edit.move_topic(root, "large-language-models", "basics"), "root"),
    (lambda root: edit.move_topic(root, "dpo", "nowhere"), "unknown parent"),
    (lambda root: edit.add_alias(root, "dpo", "rlhf"), "reads the same"),
    (lambda root: edit.add_alias(root, "dpo", "D.P.O."), "already answers"),
    (lambda root: edit.review_topic(root, "missing"), "unknown topic"),
    (lambda root: edit.update_part(root, 1, 9, {"status": "claimed"}), "no part 9"),
    (lambda root: edit.update_part(root, 7, 1, {"status": "claimed"}), "no session 7"),
]


@pytest.mark.parametrize(("plan", "message"), REFUSED)
def test_refused_edits_change_nothing(starter_kb: Path, plan, message: str) -> None:
    before = tree_hash(starter_kb)
    with pytest.raises(FomoError, match=message), edit.locked(starter_kb):
        edit.apply(plan(starter_kb), starter_kb)
    assert tree_hash(starter_kb) == before


def test_apply_refuses_a_plan_made_stale_by_another_edit(starter_kb: Path) -> None:
    change = edit.add_alias(starter_kb, "dpo", "Direct PO")
    other = edit.add_alias(starter_kb, "dpo", "DirPO")
    edit.apply(other, starter_kb)
    before = tree_hash(starter_kb)
    with pytest.raises(FomoError, match="changed since"):
        edit.apply(change, starter_kb)
    assert tree_hash(starter_kb) == before


def test_failed_replace_leaves_the_old_file_and_no_temporary(
    starter_kb: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = starter_kb / "map/training/preferences/dpo.md"
    before = tree_hash(starter_kb)
    change = edit.add_alias(starter_kb, "dpo", "Direct PO")

    real_replace = os.replace

    def broken(source: str, target: str) -> None:
        if Path(target).name == "dpo.md":
            raise OSError("disk full")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(FomoError, match="disk full") as refused:
        edit.apply(change, starter_kb)
    assert refused.value.file == "map/training/preferences/dpo.md" and refused.value.hint
    assert tree_hash(starter_kb) == before
    assert list(path.parent.glob(".fomo-*")) == [] and list(starter_kb.glob(".fomo-*")) == []


def test_failure_midway_through_a_change_undoes_the_earlier_steps(
    starter_kb: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = tree_hash(starter_kb)
    change = edit.add_topic(starter_kb, "dpo", "kto", title="KTO", essence="A loss.")
    monkeypatch.setattr(os, "replace", lambda *a: (_ for _ in ()).throw(OSError("boom")))
    with pytest.raises(FomoError, match="boom"):
        edit.apply(change, starter_kb)
    assert tree_hash(starter_kb) == before


KILLED_WRITER = """
import os, sys, time
from pathlib import Path
from fomo.kb import edit
real_fsync = os.fsync
def slow_fsync(fd):
    Path(sys.argv[2]).write_text("writing")
    time.sleep(60)
os.fsync = slow_fsync
edit.atomic_write(Path(sys.argv[1]), "new text " * 100000)
"""


def test_a_process_killed_while_writing_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "topic.md"
    target.write_text("old text\n", encoding="utf-8")
    marker = tmp_path / "marker"
    process = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(target), str(marker)])
    deadline = time.monotonic() + 30
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert marker.exists()
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert target.read_text(encoding="utf-8") == "old text\n"
    # the next write clears the dead process's temporary file
    edit.atomic_write(target, "fresh\n")
    assert target.read_text(encoding="utf-8") == "fresh\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["marker", "topic.md"]


def test_the_lock_is_exclusive_across_processes_and_reentrant(starter_kb: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from fomo.kb.edit import locked\n"
            "with locked(sys.argv[1]):\n    print('held', flush=True); time.sleep(30)",
            str(starter_kb),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with (
            pytest.raises(FomoError, match="another fomo edit"),
            edit.locked(starter_kb, timeout=0.2),
        ):
            pass
    finally:
        holder.kill()
        holder.wait()
    with edit.locked(starter_kb, timeout=1), edit.locked(starter_kb, timeout=0):
        pass


def test_two_concurrent_adds_both_land(starter_kb: Path) -> None:
    env = {**os.environ}
    runs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "fomo",
                "add",
                topic_id,
                "--kb",
                str(starter_kb),
                "--under",
                "dpo",
                "--title",
                title,
                "--essence",
                f"{title} is a preference loss.",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for topic_id, title in (("kto", "KTO"), ("ipo", "IPO"))
    ]
    results = [(run.wait(), run.stderr.read()) for run in runs]  # type: ignore[union-attr]
    for code, stderr in results:
        assert code == 0 or "another fomo edit" in stderr, stderr
    kb = load(starter_kb).kb
    landed = [code for code, _ in results if code == 0]
    assert {"kto", "ipo"} & set(kb.topics) and len(landed) >= 1
    for topic_id, (code, _) in zip(("kto", "ipo"), results, strict=True):
        assert (topic_id in kb.topics) == (code == 0)
        if code == 0:
            assert kb.topics[topic_id].parent == "dpo"
    assert check(load(starter_kb)) == []


def test_move_leaf_under_leaf_and_collapse_the_emptied_folder(make_kb) -> None:
    from tests.conftest import topic_file

    root = make_kb(
        {
            "map/index.md": topic_file("Root", "The root."),
            "map/a/index.md": topic_file("A", "Branch a."),
            "map/a/only.md": topic_file("Only", "The only child of a."),
            "map/b.md": topic_file("B", "A leaf."),
        }
    )
    change = edit.move_topic(root, "only", "b")
    assert change.moves == [
        ("map/b.md", "map/b/index.md"),
        ("map/a/only.md", "map/b/only.md"),
        ("map/a/index.md", "map/a.md"),
    ]
    edit.apply(change, root)
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*"))
    assert files == ["map", "map/a.md", "map/b", "map/b/index.md", "map/b/only.md", "map/index.md"]
    kb = load(root).kb
    assert kb.topics["only"].parent == "b"
    assert kb.children("a") == []


def test_move_a_folder_topic_with_its_subtree(starter_kb: Path) -> None:
    edit.apply(edit.move_topic(starter_kb, "preferences", "basics"), starter_kb)
    kb = load(starter_kb).kb
    assert kb.topics["preferences"].parent == "basics"
    assert kb.topics["dpo"].source.file == "map/basics/preferences/dpo.md"
    assert check(load(starter_kb)) == []


def test_new_files_get_the_usual_mode_not_0600(tmp_path) -> None:
    import os
    import stat

    from fomo.kb.edit import atomic_write

    old = os.umask(0o022)
    try:
        target = tmp_path / "new.md"
        atomic_write(target, "x\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_a_failing_change_in_a_batch_undoes_the_earlier_ones(starter_kb, monkeypatch) -> None:
    import pytest

    from fomo.kb import edit

    first = edit.create_topic(
        starter_kb, "basics", "first-new", {"title": "First New", "essence": "One."}
    )
    second = edit.create_topic(
        starter_kb, "basics", "second-new", {"title": "Second New", "essence": "Two."}
    )
    before = tree_hash(starter_kb)
    real_replace = os.replace

    def fail_on_second(source, target):
        if Path(target).name == "second-new.md":
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", fail_on_second)
    with pytest.raises(FomoError, match="no space left") as refused:
        edit.apply([first, second], starter_kb)
    assert refused.value.file == "map/basics/second-new.md"
    assert tree_hash(starter_kb) == before
    assert not (starter_kb / "map/basics/first-new.md").exists()


def test_released_is_inserted_after_year_in_house_order() -> None:
    def mutate(data: object) -> None:
        edit.insert_key(data, "released", "2023-05")

    lines = edit.rewrite_front_matter(ANNOTATED, "dpo.md", mutate).splitlines()
    assert lines[lines.index("year: 2023") + 1] == "released: 2023-05"


@pytest.mark.parametrize("word", ["on", "yes", "No", "1e3", "0x1F", "~", "2026-01-01", "12:30"])
def test_text_that_yaml_would_read_otherwise_is_quoted(word: str) -> None:
    import yaml

    text = edit.render_front_matter({"title": word, "aliases": [word, "plain"]})
    meta = yaml.safe_load(text.split("---")[1])
    assert meta == {"title": word, "aliases": [word, "plain"]}


@pytest.mark.parametrize("text", ["?0", ":x", "-x", "on", "1e3", "a: b", "#x", "x, y", "[x]", "~"])
def test_one_line_maps_and_lists_read_back_as_written(text: str) -> None:
    """ruamel writes YAML 1.2; PyYAML reads the map as 1.1, which refuses `?0` plain inside
    `{...}` (found by the export/import round-trip property test)."""
    import io

    import yaml

    from fomo.kb.edit.render import _yaml, flow_list, flow_map

    out = io.StringIO()
    _yaml().dump(
        {
            "references": [flow_map({"title": text, "url": "https://example.org/"})],
            "aliases": flow_list([text]),
        },
        out,
    )
    assert yaml.safe_load(out.getvalue()) == {
        "references": [{"title": text, "url": "https://example.org/"}],
        "aliases": [text],
    }


@pytest.mark.parametrize(
    "step",
    [
        {"writes": [{"path": "../outside/victim.txt", "old": None}]},
        {"writes": [{"path": "../outside/victim.txt", "old": "overwritten"}]},
        {"moves": [["../outside/victim.txt", "map/stolen.md"]]},
        {"created_dirs": ["/tmp"]},
        {"writes": {"path": "map/index.md"}},
        {"created_dirs": 5},
        {"removed_dirs": "map"},
    ],
)
def test_a_journal_fomo_did_not_write_is_refused_and_touches_nothing(
    starter_kb: Path, step: dict
) -> None:
    """A knowledge base cloned from someone's repository may carry a crafted journal: rolling
    it back must not delete, overwrite or move a file outside the knowledge base."""
    import json

    from fomo.kb.location import JOURNAL

    victim = starter_kb.parent / "outside" / "victim.txt"
    victim.parent.mkdir()
    victim.write_text("precious")
    (starter_kb / JOURNAL).write_text(json.dumps({"version": 1, "changes": [step]}))
    with pytest.raises(FomoError) as caught:
        edit.recover(starter_kb)
    assert caught.value.file == JOURNAL and "not an edit journal" in caught.value.message
    assert victim.read_text() == "precious"
    assert (starter_kb / JOURNAL).exists()
    assert "rlhf" in load(starter_kb).kb.topics  # reading still works, and still harmless
    assert victim.read_text() == "precious"
