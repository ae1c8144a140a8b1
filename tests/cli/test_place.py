"""`fomo place` end to end."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from fomo.cli import main
from fomo.query.place import semantic_available
from tests._placekb import PLACE_KB


@pytest.fixture
def kb(make_kb: Callable[..., Path]) -> str:
    return str(make_kb(PLACE_KB))


def test_known_alias(kb: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["place", "--kb", kb, "--method", "lexical", "PEFT"]) == 0
    out = capsys.readouterr().out
    assert "already known as Parameter-efficient fine-tuning (fine-tuning)" in out
    assert "method: lexical" in out


def test_a_cited_papers_title_is_known_as_its_topic(
    make_kb: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.conftest import topic_file

    cited = {
        **PLACE_KB,
        "map/training/fine-tuning/lora.md": topic_file(
            "Low-Rank Adaptation",
            "Trains small low-rank matrices added to frozen weight matrices instead of all weights.",
            aliases="[LoRA]",
            paper='{title: "LoRA: Low-Rank Adaptation of Large Language Models", year: 2021}',
        ),
    }
    title = "LoRA: Low-Rank Adaptation of Large Language Models"
    assert main(["place", "--kb", str(make_kb(cited)), "--method", "lexical", title]) == 0
    out = capsys.readouterr().out
    assert "already known as Low-Rank Adaptation (lora)" in out and "by paper" in out


def test_new_concept_json(kb: str, capsys: pytest.CaptureFixture[str]) -> None:
    text = "DoRA: weight-decomposed low-rank adaptation of frozen weights"
    assert main(["place", "--kb", kb, "--method", "lexical", "--json", "--top", "2", text]) == 0
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
    assert main(["place", "--kb", kb, "--method", "lexical", "--json", "--file", str(source)]) == 0
    assert json.loads(capsys.readouterr().out)["candidates"][0]["id"] == "inference"
    monkeypatch.setattr("sys.stdin", io.StringIO("Direct preference optimisation\n"))
    assert main(["place", "--kb", kb, "--method", "lexical", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["existing"]["id"] == "dpo"


def test_text_output_shows_path_and_evidence(kb: str, capsys: pytest.CaptureFixture[str]) -> None:
    main(
        [
            "place",
            "--kb",
            kb,
            "--method",
            "lexical",
            "KTO-Lite: binary human feedback for preference alignment",
        ]
    )
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
    assert main(["place", "--kb", kb, "--method", "lexical", "quantization " * 5000]) == 0
    assert "only the first" in capsys.readouterr().err
    assert main(["place", "--kb", kb, "--method", "lexical", "大型语言模型"]) == 0
    captured = capsys.readouterr()
    assert "English" in captured.err and "unrelated" in captured.out


def test_help_names_the_method(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["place", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "lexical" in out and "semantic" in out
    assert ("here auto runs semantic" if semantic_available() else "here auto runs lexical") in out


def test_auto_without_the_extra_runs_lexical_and_says_so(
    kb: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("fomo.query.embed.available", lambda: False)
    assert main(["place", "--kb", kb, "--json", "PEFT"]) == 0
    assert json.loads(capsys.readouterr().out)["method"] == "lexical"


def test_semantic_without_the_extra_exits_2_with_the_install_hint(
    kb: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("fomo.query.embed.available", lambda: False)
    assert main(["place", "--kb", kb, "--method", "semantic", "PEFT"]) == 2
    err = capsys.readouterr().err
    assert "semantic" in err and "pip install" in err


@pytest.mark.skipif(not semantic_available(), reason="the `semantic` extra is not installed")
def test_semantic_method_end_to_end(kb: str, capsys: pytest.CaptureFixture[str]) -> None:
    text = "KTO-Lite: binary human feedback for preference alignment"
    assert main(["place", "--kb", kb, "--method", "semantic", "--json", text]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["method"] == "semantic"
    assert answer["candidates"][0]["id"] == "preferences"
    assert main(["place", "--kb", kb, "--method", "semantic", text]) == 0
    assert "method: semantic" in capsys.readouterr().out


@pytest.mark.skipif(not semantic_available(), reason="the `semantic` extra is not installed")
def test_semantic_non_english_text_has_no_candidates(
    kb: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["place", "--kb", kb, "--method", "semantic", "大型语言模型"]) == 0
    captured = capsys.readouterr()
    assert "English" in captured.err and "unrelated" in captured.out


def test_known_topic_is_not_listed_as_its_own_parent(
    kb: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["place", "--kb", kb, "--method", "lexical", "--json", "--top", "20", "PEFT"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["existing"]["id"] == "fine-tuning"
    ids = [c["id"] for c in answer["candidates"]]
    assert ids and not {"fine-tuning", "lora", "qlora"} & set(ids)
    assert main(["place", "--kb", kb, "--method", "lexical", "PEFT"]) == 0
    out = capsys.readouterr().out
    assert "already known as" in out and "(fine-tuning)  " not in out.split("go under:")[1]


# ---- issue 12: "already known" needs real evidence; off-topic text is unrelated ---------------


@pytest.mark.parametrize("text", ["Chocolate cake recipe", "test", "a new method"])
def test_vague_or_off_topic_text_is_never_already_known(
    kb: str, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    assert main(["place", "--kb", kb, "--method", "lexical", "--json", text]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["existing"] is None and data["status"] in ("new", "unrelated")


def test_off_topic_text_is_unrelated_in_place_and_ingest_alike(
    kb: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["place", "--kb", kb, "--method", "lexical", "Chocolate cake recipe"]) == 0
    assert capsys.readouterr().out.startswith("unrelated:")
    feed = tmp_path / "feed.txt"
    feed.write_text("Chocolate cake recipe\n")
    assert main(["ingest", "--kb", kb, "--json", str(feed)]) == 0
    assert json.loads(capsys.readouterr().out)["items"][0]["status"] == "unrelated"


@pytest.mark.parametrize("method", ["lexical", "semantic"])
def test_off_topic_text_sharing_two_words_with_a_topic_is_not_already_known(
    capsys: pytest.CaptureFixture[str], method: str
) -> None:
    """ "Train travel across Europe" shares "train" and "Europe" with Apertus; it was "already
    known as Apertus" with the semantic method, since "train" counted as a word of LLMs."""
    from fomo.kb.location import bundled_kb
    from fomo.query.place import semantic_available

    if method == "semantic" and not semantic_available():
        pytest.skip("the `semantic` extra is not installed")
    argv = ["place", "--kb", str(bundled_kb()), "--method", method, "--json"]
    assert main([*argv, "Train travel across Europe on a budget"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["existing"] is None and data["status"] in ("new", "unrelated")


def test_a_different_method_with_shared_words_is_not_known_as_its_neighbour(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from fomo.kb.location import bundled_kb

    argv = ["place", "--kb", str(bundled_kb()), "--method", "lexical", "--json"]
    assert main([*argv, "Self-rewarding language models"]) == 0
    existing = json.loads(capsys.readouterr().out)["existing"]
    assert existing is None or existing["id"] != "self-refine"


@pytest.mark.parametrize(
    ("text", "tentative", "topic_id"),
    [
        # Program-of-Thoughts in other words: nearest to Chain of Code at a probability of
        # about 0.13; "already known as Chain of Code" would state a guess as a fact.
        (
            "having the model write Python code for its reasoning and letting an interpreter compute",
            True,
            "chain-of-code",
        ),
        ("xAI's chatbot models integrated into X", False, "grok"),  # at about 0.8
    ],
)
def test_an_unlikely_paraphrase_is_answered_as_a_guess_a_likely_one_plainly(
    capsys: pytest.CaptureFixture[str], text: str, tentative: bool, topic_id: str
) -> None:
    from fomo.kb.location import bundled_kb

    argv = ["place", "--kb", str(bundled_kb()), "--method", "lexical"]
    assert main([*argv, "--json", text]) == 0
    existing = json.loads(capsys.readouterr().out)["existing"]
    assert existing["how"] == "paraphrase" and existing["tentative"] is tentative
    assert existing["id"] == topic_id
    assert main([*argv, text]) == 0
    first, second = capsys.readouterr().out.splitlines()[:2]
    lead = "perhaps already known as" if tentative else "already known as"
    assert first.startswith(f"{lead} {existing['title']} ({existing['id']})")
    assert ("a guess" in second) is tentative
