"""The broken-map catalogue: one small broken knowledge base per problem, each asserting the
finding's code, file and line."""

from __future__ import annotations

import pytest

from fomo.kb.load import load
from fomo.kb.validate import check
from tests.conftest import STARTER, topic_file

DPO = "map/training/preferences/dpo.md"
SESSION = "sessions/01-training/index.md"


def findings_for(make_kb, changes: dict[str, str | bytes], drop: tuple[str, ...] = ()):
    files = {k: v for k, v in STARTER.items() if k not in drop}
    files.update(changes)
    return check(load(make_kb(files), strict=False))


def test_starter_map_is_clean(starter_kb) -> None:
    assert check(load(starter_kb)) == []


CATALOGUE = [
    ("missing-title", {DPO: "---\nessence: Something.\n---\n"}, DPO, 1),
    ("missing-essence", {DPO: "---\ntitle: DPO thing\nessence: ''\n---\n"}, DPO, 3),
    ("essence-too-long", {DPO: topic_file("Direct Preference Optimization", "x" * 201)}, DPO, 3),
    (
        "name-collision",
        {"map/basics/other.md": topic_file("Other", "Another.", aliases="[RLHF]")},
        "map/basics/other.md",
        4,
    ),
    (
        "unknown-relation",
        {DPO: topic_file("Direct Preference Optimization", "E.", related="[no-such-topic]")},
        DPO,
        4,
    ),
    (
        "unknown-relation",
        {DPO: topic_file("Direct Preference Optimization", "E.", also_under="[nowhere]")},
        DPO,
        4,
    ),
    (
        "unknown-key",
        {DPO: topic_file("Direct Preference Optimization", "E.", aliasses="[DPO]")},
        DPO,
        4,
    ),
    ("bad-date", {DPO: "---\ntitle: D\nessence: E.\nadded: 2026-13-45x\n---\n"}, DPO, 4),
    ("bad-year", {DPO: topic_file("Direct Preference Optimization", "E.", year="3023")}, DPO, 4),
    (
        "bad-url",
        {
            DPO: topic_file(
                "Direct Preference Optimization",
                "E.",
                references='\n  - {title: x, url: "javascript:alert(1)", kind: docs}',
            )
        },
        DPO,
        5,
    ),
    ("not-utf8", {DPO: b"---\ntitle: D\nessence: \xff\n---\n"}, DPO, 3),
    ("bad-yaml", {DPO: "---\ntitle: D\nessence: [oops\n---\n"}, DPO, 3),
    ("no-front-matter", {DPO: "just text\n"}, DPO, 1),
    (
        "bad-id",
        {"map/basics/Bad_Name.md": topic_file("Bad", "Bad id.")},
        "map/basics/Bad_Name.md",
        1,
    ),
    (
        "unknown-topic",
        {SESSION: "---\ntitle: T\nparts:\n  - {number: 1, title: P, topics: [ghost]}\n---\n"},
        SESSION,
        4,
    ),
    (
        "missing-article",
        {
            SESSION: "---\ntitle: T\nparts:\n  - number: 1\n    title: P\n    article: gone.md\n---\n"
        },
        SESSION,
        6,
    ),
]


@pytest.mark.parametrize(
    ("code", "changes", "file", "line"), CATALOGUE, ids=[c[0] for c in CATALOGUE]
)
def test_catalogue(make_kb, code: str, changes: dict, file: str, line: int) -> None:
    found = [(f.code, f.file, f.line) for f in findings_for(make_kb, changes)]
    assert (code, file, line) in found
    assert all(f.hint for f in findings_for(make_kb, changes))


def test_duplicate_id_across_branches(make_kb) -> None:
    found = findings_for(make_kb, {"map/basics/dpo.md": topic_file("Another DPO", "Dup.")})
    duplicates = [(f.file, f.line) for f in found if f.code == "duplicate-id"]
    assert duplicates == [(DPO, 1)]


def test_builds_on_cycle(make_kb) -> None:
    found = findings_for(
        make_kb,
        {
            "map/training/preferences/rlhf.md": topic_file("RLHF", "E.", builds_on="[dpo]"),
        },
    )
    cycles = [f for f in found if f.code == "builds-on-cycle"]
    assert len(cycles) == 1
    assert "dpo" in cycles[0].message and "rlhf" in cycles[0].message


def test_folder_without_index(make_kb) -> None:
    found = findings_for(make_kb, {"map/orphans/child.md": topic_file("Orphan child", "E.")})
    assert ("folder-without-index", "map/orphans", 1) in [(f.code, f.file, f.line) for f in found]


def test_unknown_key_suggests_the_close_key(make_kb) -> None:
    found = findings_for(
        make_kb, {DPO: topic_file("Direct Preference Optimization", "E.", esence="x")}
    )
    (finding,) = [f for f in found if f.code == "unknown-key"]
    assert "essence" in finding.hint


def test_placeholder_essence_is_flagged(make_kb) -> None:
    found = findings_for(
        make_kb, {DPO: topic_file("Direct Preference Optimization", '"TODO: write one sentence"')}
    )
    assert "essence-placeholder" in [f.code for f in found]


def test_unknown_links_in_bodies_are_found_but_code_is_not_a_link(make_kb) -> None:
    body = "Intro [[rlhf]] and [[rhlf|typo]].\n\n```python\nx = a[[0]]\n```\n\nThen `b[[1]]` and [[ghost]].\n"
    found = findings_for(make_kb, {DPO: topic_file("Direct Preference Optimization", "E.") + body})
    links = [(f.line, f.message, f.hint) for f in found if f.code == "unknown-link"]
    assert [(line, message) for line, message, _ in links] == [
        (7, "[[rhlf]] links to no topic"),
        (13, "[[ghost]] links to no topic"),
    ]
    assert "rlhf" in links[0][2]


def test_a_link_broken_across_lines_is_flagged_but_code_is_not(make_kb) -> None:
    body = (
        "Trained with [[rl-with-verifiable-\nrewards]] and [[rlhf]].\n\n"
        "```python\nx = a[[0]\n```\n\nThen `b[[1` and [[dpo|DPO]], [[ a.\n"
    )
    found = findings_for(make_kb, {DPO: topic_file("Direct Preference Optimization", "E.") + body})
    unclosed = [(f.line, f.message, f.hint) for f in found if f.code == "unclosed-link"]
    assert [line for line, _, _ in unclosed] == [7, 14]
    assert "does not close on its line" in unclosed[0][1] and "one line" in unclosed[0][2]
    assert not [f for f in found if f.code == "unknown-link"]


def test_also_under_its_own_parent_is_flagged(make_kb) -> None:
    found = findings_for(
        make_kb,
        {DPO: topic_file("Direct Preference Optimization", "E.", also_under="[preferences]")},
    )
    assert ("bad-also-under", DPO, 4) in [(f.code, f.file, f.line) for f in found]


def test_article_dates_and_links_are_checked(make_kb) -> None:
    article = "---\ntitle: A\npublished: someday\ntopics: [dpo]\n---\nSee [[dpoo]].\n"
    session = (
        "---\ntitle: T\nparts:\n  - {number: 1, title: P, topics: [dpo], article: a.md}\n---\n"
    )
    found = findings_for(make_kb, {"sessions/01-training/a.md": article, SESSION: session})
    codes = {(f.code, f.line) for f in found if f.file == "sessions/01-training/a.md"}
    assert codes == {("bad-date", 3), ("unknown-link", 6)}


@pytest.mark.parametrize("value", ["2026-03", "'2026-03'"])
def test_released_month_is_accepted_and_agrees_with_year(make_kb, value: str) -> None:
    found = findings_for(
        make_kb,
        {DPO: topic_file("Direct Preference Optimization", "E.", year="2026", released=value)},
    )
    assert found == []


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("2026-13", "bad-month"),
        ("2026-3", "bad-month"),
        ("2026-03-01", "bad-month"),
        ("March", "bad-month"),
        ("[2026]", "bad-month"),
        ("1800-01", "bad-month"),
        ("2025-03", "released-year-mismatch"),
    ],
)
def test_released_must_be_a_real_month_in_year(make_kb, value: str, code: str) -> None:
    found = findings_for(
        make_kb,
        {DPO: topic_file("Direct Preference Optimization", "E.", year="2026", released=value)},
    )
    assert [(f.code, f.file, f.line) for f in found] == [(code, DPO, 5)]
    assert "released" in found[0].hint


def test_a_topic_may_repeat_its_own_name_in_another_spelling(make_kb) -> None:
    found = findings_for(
        make_kb,
        {
            DPO: topic_file(
                "Direct Preference Optimisation",
                "E.",
                aliases="[DPO, direct preference optimization]",
            )
        },
    )
    assert found == []
