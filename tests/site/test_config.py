"""The site config file: defaults, values and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from fomo.errors import FomoError
from fomo.site.config import KNOWN_KEYS, PALETTE, SiteConfig, load_config

EXAMPLE = Path(__file__).resolve().parents[2] / "knowledge" / "site.yml"


def test_defaults_without_file(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config.name and config.base_url == "" and config.edit_url == ""
    assert config.colour_for("x", 1) == PALETTE[1]


def test_values_are_read(tmp_path: Path) -> None:
    (tmp_path / "site.yml").write_text(
        "name: My map\nbase_url: https://ex.org/map\nrepo_url: https://github.com/a/b\n"
        "branch_colours:\n  training: '#123456'\n",
        encoding="utf-8",
    )
    config = load_config(tmp_path)
    assert config.name == "My map" and config.base_url == "https://ex.org/map/"
    assert config.edit_url == "https://github.com/a/b/edit/main/knowledge/"
    assert config.colour_for("training", 0) == "#123456"


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("name: x\nbranch_colours:\n  training: red\n", 3, "hex colour"),
        ("name: x\nrepo_url: javascript:alert(1)\n", 2, "http(s) URL"),
        ("nmae: x\n", 1, "unknown setting"),
        ("name: [unclosed\n", 2, "not valid YAML"),
        ("name: x\nfeeds: https://a.org/feed.xml\n", 2, "feeds must be a list"),
        ("name: x\nfeeds:\n  - javascript:alert(1)\n", 2, "is not an http(s) URL"),
    ],
)
def test_bad_values_name_file_and_line(tmp_path: Path, text: str, line: int, words: str) -> None:
    (tmp_path / "site.yml").write_text(text, encoding="utf-8")
    with pytest.raises(FomoError) as caught:
        load_config(tmp_path)
    assert words in str(caught.value) and caught.value.file.endswith("site.yml")
    assert caught.value.line == line


def test_example_file_sets_every_setting_to_its_default() -> None:
    assert load_config(EXAMPLE.parent) == SiteConfig()
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    keys = [line.split(":", 1)[0] for line in lines if line and not line.startswith(("#", " "))]
    assert sorted(keys) == sorted(KNOWN_KEYS)
    for at, line in enumerate(lines):  # each setting has its one-line comment right above it
        if line.split(":", 1)[0] in KNOWN_KEYS:
            assert lines[at - 1].startswith("# "), line


def test_error_hint_points_at_the_example(tmp_path: Path) -> None:
    (tmp_path / "site.yml").write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(FomoError) as caught:
        load_config(tmp_path)
    assert "knowledge/site.yml" in (caught.value.hint or "") and EXAMPLE.is_file()
    assert "README" not in (caught.value.hint or "")


def test_a_file_that_is_not_utf8_is_a_clear_error_in_build_and_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from fomo.cli import main
    from tests.conftest import STARTER
    from tests.site.conftest import write_kb

    kb = write_kb(tmp_path / "kb", STARTER)
    (kb / "site.yml").write_bytes(b"name: Caf\xe9 map\n# latin-1\n")
    assert main(["build", "--kb", str(kb), "--out", str(tmp_path / "out"), "--no-search"]) == 2
    err = capsys.readouterr().err
    assert "site.yml:1: site.yml is not UTF-8" in err and "save the file as UTF-8" in err
    assert "Traceback" not in err
    assert main(["check", "--kb", str(kb)]) == 1
    out = capsys.readouterr().out
    assert "site.yml:1" in out and "site-config" in out and "not UTF-8" in out


@pytest.mark.parametrize(
    "language",
    ["x" * 200, "en_US", "e", "en-", "../x", "<b>", "english", "en-abcdefgh-abcdefgh-abcd"],
)
def test_a_language_that_is_no_tag_is_refused(tmp_path: Path, language: str) -> None:
    (tmp_path / "site.yml").write_text(f"name: x\nlanguage: '{language}'\n", encoding="utf-8")
    with pytest.raises(FomoError, match="not a language tag") as caught:
        load_config(tmp_path)
    assert caught.value.line == 2 and "BCP 47" in caught.value.hint
    assert len(str(caught.value)) < 400  # a long value is shortened, not echoed whole


@pytest.mark.parametrize("language", ["en", "de", "pt-BR", "zh-Hans", "sr-Latn-RS"])
def test_language_tags_are_accepted(tmp_path: Path, language: str) -> None:
    (tmp_path / "site.yml").write_text(f"language: {language}\n", encoding="utf-8")
    assert load_config(tmp_path).language == language


def test_feeds_are_read(tmp_path: Path) -> None:
    (tmp_path / "site.yml").write_text(
        "feeds:\n  - https://example.org/blog/feed.xml\n", encoding="utf-8"
    )
    assert load_config(tmp_path).feeds == ["https://example.org/blog/feed.xml"]
    assert SiteConfig().feeds == []


def test_a_site_yml_linking_out_of_the_kb_is_refused(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    kb.mkdir()
    (tmp_path / "elsewhere.yml").write_text("name: Not ours\n")
    (kb / "site.yml").symlink_to(tmp_path / "elsewhere.yml")
    with pytest.raises(FomoError) as caught:
        load_config(kb)
    assert "outside the knowledge base" in caught.value.message
