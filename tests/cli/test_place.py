"""`fomo place` end to end."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from fomo.cli import main
from tests._placekb import PLACE_KB


@pytest.fixture
def kb(make_kb: Callable[..., Path]) -> str:
    return str(make_kb(PLACE_KB))


def test_known_alias(kb: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["place", "--kb", kb, "PEFT"]) == 0
    out = capsys.readouterr().out
    assert "already known as Parameter-efficient fine-tuning (fine-tuning)" in out
    assert "method: lexical" in out


def test_new_concept_json(kb: str, capsys: pytest.CaptureFixture[str]) -> None:
    text = "DoRA: weight-decomposed low-rank adaptation of frozen weights"
    assert main(["place", "--kb", kb, "--json", "--top", "2", text]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["existing"] is None
    assert answer["candidates"][0]["id"] == "fine-tuning"
    assert len(answer["candidates"]) == 2
    first = answer["candidates"][0]
    assert first["path"][0]["id"] == "large-language-models"
    assert first["evidence"]["terms"] and first["evidence"]["nearest"]


def test_text_from_file_and_stdin(
    kb: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "abstract.txt"
    source.write_text(
        "Medusa-Lite\nDraft heads propose several tokens that are verified in one pass to speed up decoding.\n"
    )
    assert main(["place", "--kb", kb, "--json", "--file", str(source)]) == 0
    assert json.loads(capsys.readouterr().out)["candidates"][0]["id"] == "inference"
    monkeypatch.setattr("sys.stdin", io.StringIO("Direct preference optimisation\n"))
    assert main(["place", "--kb", kb, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["existing"]["id"] == "dpo"


def test_text_output_shows_path_and_evidence(kb: str, capsys: pytest.CaptureFixture[str]) -> None:
    main(["place", "--kb", kb, "KTO-Lite: binary human feedback for preference alignment"])
    out = capsys.readouterr().out
    assert "not in the map yet" in out
    assert "Large Language Models › Training LLMs › Fine-tuning to human preferences" in out
    assert "shared terms:" in out and "nearest:" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["place", ""], "empty"),
        (["place", "--top", "0", "x"], "--top"),
        (["place", "--file", "/no/such/file"], "not a file"),
    ],
)
def test_bad_input_exits_2(
    kb: str, argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*argv, "--kb", kb]) == 2
    assert message in capsys.readouterr().err


def test_empty_stdin_exits_2(
    kb: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("  \n"))
    assert main(["place", "--kb", kb]) == 2
    assert "empty" in capsys.readouterr().err


def test_enormous_and_non_english_text(kb: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["place", "--kb", kb, "quantization " * 5000]) == 0
    assert "only the first" in capsys.readouterr().err
    assert main(["place", "--kb", kb, "大型语言模型"]) == 0
    captured = capsys.readouterr()
    assert "English" in captured.err and "no candidate parent" in captured.out


def test_help_names_the_method(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["place", "--help"])
    assert "lexical" in capsys.readouterr().out
