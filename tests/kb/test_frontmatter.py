import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fomo.errors import FomoError
from fomo.kb.frontmatter import decode, parse_document


def test_parses_keys_body_and_key_lines() -> None:
    doc = parse_document("---\ntitle: A\n# comment\nessence: B\n---\nBody\n", "x.md")
    assert doc.meta == {"title": "A", "essence": "B"}
    assert doc.body == "Body\n"
    assert doc.line_of("essence") == 4
    assert doc.body_line == 6


def test_yaml_error_names_the_file_line() -> None:
    with pytest.raises(FomoError) as caught:
        parse_document("---\ntitle: A\nessence: [unclosed\n---\n", "x.md")
    assert caught.value.code == "bad-yaml"
    assert caught.value.file == "x.md"
    assert caught.value.line >= 3


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("no front matter", "no-front-matter"),
        ("---\ntitle: A\n", "no-front-matter"),
        ("---\n- a list\n---\n", "bad-yaml"),
    ],
)
def test_malformed_documents_raise_our_error(text: str, code: str) -> None:
    with pytest.raises(FomoError) as caught:
        parse_document(text, "x.md")
    assert caught.value.code == code


def test_non_utf8_reports_the_line() -> None:
    with pytest.raises(FomoError) as caught:
        decode(b"---\ntitle: \xff\n", "x.md")
    assert caught.value.code == "not-utf8"
    assert caught.value.line == 2


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_load_or_raise_our_error(raw: bytes) -> None:
    with contextlib.suppress(FomoError):
        parse_document(decode(raw, "x.md"), "x.md")


yaml_scalars = st.one_of(st.text(max_size=20), st.integers(), st.booleans(), st.none())
yaml_values = st.recursive(
    yaml_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=10), yaml_values, max_size=5), st.text(max_size=60))
def test_random_yaml_load_or_raise_our_error(meta: dict, junk: str) -> None:
    import yaml

    text = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + junk + "\n---\nbody"
    try:
        doc = parse_document(text, "x.md")
    except FomoError:
        return
    assert isinstance(doc.meta, dict)


def test_alias_bomb_is_refused_before_it_expands() -> None:
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    text = "---\ntitle: Bomb\n" + "\n".join(levels) + "\n---\n"
    with pytest.raises(FomoError) as caught:
        parse_document(text, "bomb.md")
    assert caught.value.code == "bad-yaml"
    assert caught.value.line == 4
    assert "alias" in caught.value.message
