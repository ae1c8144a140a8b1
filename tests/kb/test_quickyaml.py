"""The fast path must agree with PyYAML on everything it accepts, and accept the plain front
matter that topic files use."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from fomo.kb import quickyaml
from fomo.kb.frontmatter import parse_document

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"


def front_matter(path: Path) -> str:
    text = path.read_text("utf-8")
    return text.split("---\n", 2)[1]


def test_reads_the_usual_topic_front_matter() -> None:
    source = (
        "title: Direct Preference Optimization\n"
        'aliases: [DPO, "D.P.O."]\n'
        "# a comment\n"
        "essence: Fine-tunes on preference pairs, no reward model needed.\n"
        "year: 2023\n"
        'paper: {title: "DPO: Your Language Model is Secretly a Reward Model", year: 2023}\n'
        "added: 2026-11-26\n"
        "references:\n"
        '  - {title: "TRL docs", url: "https://huggingface.co/docs/trl", kind: docs}\n'
    )
    assert quickyaml.load(source) == yaml.safe_load(source)
    assert quickyaml.load(source)["added"] == dt.date(2026, 11, 26)


@pytest.mark.parametrize(
    "source",
    [
        "title: yes\n", "title: 1.5\n", "title: 0755\n", "title: 2026-02-30\n",
        "title: &a x\n", "title: |\n  text\n", "title: a: b\n", "title: x # c\n",
        "on: x\n", "title: \"esc\\\"aped\"\n", "title: [a, [b]]\n", "title: x\n  more\n",
        "title: x\ntitle: y\n", "- a\n", "title: {url: http://x}\n", "title: =\n",
    ],
)  # fmt: skip
def test_declines_what_it_does_not_read_exactly(source: str) -> None:
    assert quickyaml.load(source) is None


def test_agrees_with_pyyaml_on_every_bundled_file_and_takes_most() -> None:
    files = sorted((KNOWLEDGE / "map").rglob("*.md"))
    taken = 0
    for path in files:
        source = front_matter(path)
        fast = quickyaml.load(source)
        if fast is not None:
            taken += 1
            assert fast == yaml.safe_load(source), path
    assert taken >= 0.9 * len(files)


plain = st.text(st.characters(codec="utf-8", exclude_characters="\r"), max_size=12)
keys = st.sampled_from(["title", "essence", "aliases", "year", "on", "y", "a-b", "_k", "refs"])
scalars = st.one_of(
    plain,
    st.integers(-5, 3000).map(str),
    st.sampled_from(["2026-11-26", "2026-1-2", "yes", "No", "null", "~", "1e3", ".5", "-x"]),
    plain.map(lambda t: f'"{t}"'),
    plain.map(lambda t: f"'{t}'"),
)
values = st.one_of(
    scalars,
    st.lists(scalars, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
    st.lists(st.tuples(keys, scalars), max_size=3).map(
        lambda pairs: "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"
    ),
)
lines = st.one_of(
    st.tuples(keys, values).map(lambda kv: f"{kv[0]}: {kv[1]}"),
    keys.map(lambda k: f"{k}:"),
    values.map(lambda v: f"  - {v}"),
    st.just("# comment"),
    plain,
)


@settings(max_examples=600, deadline=None)
@given(st.lists(lines, max_size=6).map(lambda ls: "\n".join(ls) + "\n"))
def test_fast_path_never_disagrees_with_pyyaml(source: str) -> None:
    fast = quickyaml.load(source)
    if fast is None:
        return
    assert fast == yaml.safe_load(source)


def test_impossible_date_is_our_error_not_a_traceback() -> None:
    from fomo.errors import FomoError

    with pytest.raises(FomoError, match="impossible value"):
        parse_document("---\ntitle: x\nadded: 2026-02-30\n---\n", "x.md")
