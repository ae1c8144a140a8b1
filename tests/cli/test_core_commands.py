"""End-to-end: where, tree, search and check through the CLI entry point."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys

import pytest

from fomo.cli import main
from fomo.kb.location import bundled_kb
from tests.conftest import STARTER, topic_file


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_help_lists_every_command(capsys) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    from fomo.cli import COMMANDS

    for command in COMMANDS:
        assert command in out


def test_version(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.startswith("fomo ")


def test_where_text_and_json(capsys, starter_kb) -> None:
    code, out, _ = run(capsys, "where", "D.P.O.", "--kb", str(starter_kb))
    assert code == 0
    assert "Large Language Models › Training LLMs › Fine-tuning to human preferences" in out
    assert "Fine-tunes directly on preference pairs" in out
    code, out, _ = run(
        capsys, "where", "direct", "preference", "optimisation", "--kb", str(starter_kb), "--json"
    )
    data = json.loads(out)
    assert data["id"] == "dpo" and data["year"] == 2023 and data["aliases"] == ["DPO"]
    assert [c["id"] for c in data["path"]][-2:] == ["preferences", "dpo"]


def test_where_unknown_exits_1_with_the_closest_names(capsys, starter_kb) -> None:
    code, out, _ = run(capsys, "where", "tokenizashun", "--kb", str(starter_kb))
    assert code == 1
    assert "closest matches" in out and "Tokenization" in out


def test_where_a_name_with_a_symbol_and_no_near_names_is_a_clean_miss(capsys, starter_kb) -> None:
    """'Alexa+' keeps its '+' (as 'LoRA+' must), matches no name and comes near none: a plain
    "no topic" answer, not a crash on an empty list of suggestions."""
    code, out, err = run(capsys, "where", "Alexa+", "--kb", str(starter_kb))
    assert code == 1
    assert "no topic matches 'Alexa+'" in err and "fomo search" in err
    assert "Traceback" not in out + err
    code, out, _ = run(capsys, "where", "Alexa+", "--json", "--kb", str(starter_kb))
    assert code == 1
    assert json.loads(out)["match"] == "none"


def test_tree_text_depth_and_json(capsys, starter_kb) -> None:
    code, out, _ = run(capsys, "tree", "--kb", str(starter_kb))
    assert code == 0
    assert out.splitlines()[0] == "Large Language Models  large-language-models"
    assert "├── Building Blocks" in out and "    └── Fine-tuning to human preferences" in out
    _, out, _ = run(capsys, "tree", "training", "--depth", "1", "--kb", str(starter_kb))
    assert "Fine-tuning to human preferences  preferences  (3 more)" in out
    assert "Direct" not in out
    _, out, _ = run(capsys, "tree", "--no-ids", "--kb", str(starter_kb))
    assert out.splitlines()[0] == "Large Language Models"
    _, out, _ = run(capsys, "tree", "preferences", "--json", "--kb", str(starter_kb))
    data = json.loads(out)
    assert data["id"] == "preferences"
    assert [c["id"] for c in data["children"]] == ["dpo", "ppo", "rlhf"]


def test_search_json_and_limit(capsys, starter_kb) -> None:
    code, out, _ = run(
        capsys, "search", "preference", "--limit", "1", "--json", "--kb", str(starter_kb)
    )
    assert code == 0
    hits = json.loads(out)
    assert len(hits) == 1 and hits[0]["id"] in {"preferences", "dpo"}


def test_check_clean_then_findings_then_unusable(capsys, make_kb, starter_kb) -> None:
    assert run(capsys, "check", "--kb", str(starter_kb))[0] == 0
    broken = make_kb({**STARTER, "map/basics/x.md": "---\ntitle: X\n---\n"}, name="broken")
    code, out, _ = run(capsys, "check", "--kb", str(broken), "--json")
    assert code == 1
    assert json.loads(out) == [
        {
            "code": "missing-essence",
            "file": "map/basics/x.md",
            "line": 1,
            "message": "'essence' is missing or empty",
            "hint": "add 'essence: ...' to the front matter (one sentence: what it is and why it exists)",
        }
    ]
    code, _, err = run(capsys, "check", "--kb", str(broken / "nope"))
    assert code == 2 and "does not exist" in err


def test_broken_map_gives_file_and_line_not_traceback(capsys, make_kb) -> None:
    broken = make_kb({**STARTER, "map/basics/x.md": "---\ntitle: [x\n---\n"})
    for command in (["where", "dpo"], ["tree"], ["search", "dpo"]):
        code, _, err = run(capsys, *command, "--kb", str(broken))
        assert code == 2
        assert "map/basics/x.md:2" in err and "Traceback" not in err


def test_deeply_nested_front_matter_is_refused_with_its_line(capsys, make_kb, tmp_path) -> None:
    deep = "[" * 700 + "]" * 700
    broken = make_kb({**STARTER, "map/basics/x.md": f"---\ntitle: X\nx: {deep}\n---\n"})
    code, out, err = run(capsys, "check", "--kb", str(broken))
    assert code == 1 and "map/basics/x.md:3" in out and "nested more than" in out
    code, _, err = run(capsys, "build", "--kb", str(broken), "--out", str(tmp_path / "site"))
    assert code == 2 and "map/basics/x.md:3" in err and "Traceback" not in err


def test_usage_error_exits_2(capsys) -> None:
    with pytest.raises(SystemExit) as done:
        main(["tree", "--depth", "many"])
    assert done.value.code == 2


def test_console_script_runs_as_a_process(starter_kb) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "fomo", "where", "rlhf", "--kb", str(starter_kb)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert "Reinforcement Learning from Human Feedback" in result.stdout


# ---- issue 12: answers that do not mislead, on the bundled map ---------------------------------

BUNDLED = str(bundled_kb())


NAMES_KB = {
    "map/index.md": topic_file("Large Language Models", "Models that predict text."),
    "map/models/index.md": topic_file("Models", "Model families."),
    "map/models/olmo.md": topic_file("OLMo", "An open model with open data."),
    "map/models/palm.md": topic_file("PaLM", "A large dense model."),
    "map/models/autogpt.md": topic_file("AutoGPT", "An early autonomous agent."),
    "map/models/deepseek.md": topic_file(
        "DeepSeek", "A lab's model family.", aliases='["DeepSeek models"]'
    ),
    "map/models/deepseek-r1.md": topic_file(
        "DeepSeek-R1", "A reasoning model.", aliases='["DeepSeek-R1-Zero"]'
    ),
    "map/models/codex-2021.md": topic_file("Codex (2021 code model)", "A code model."),
    "map/models/codex-cli.md": topic_file("OpenAI Codex CLI", "A coding agent."),
    "map/eval/index.md": topic_file(
        "Evaluating LLMs", "Measuring models.", aliases='["LLM evals"]'
    ),
    "map/eval/math-dataset.md": topic_file(
        "MATH Dataset", "Competition problems.", aliases='["Hendrycks MATH"]'
    ),
    "map/eval/math-benchmarks.md": topic_file("Math Benchmarks", "Maths tests."),
    "map/eval/chinchilla-scaling-laws.md": topic_file(
        "Chinchilla Scaling Laws", "Tokens per parameter."
    ),
    "map/eval/multi-agent-systems.md": topic_file("Multi-Agent Systems", "Agents together."),
    "map/eval/decoder-only-transformer.md": topic_file("Decoder-Only Transformer", "GPT-style."),
    "map/eval/gpt-2.md": topic_file("GPT-2", "A 2019 model."),
    "map/eval/gpt-3.md": topic_file("GPT-3", "A 2020 model."),
    "map/eval/gptq.md": topic_file("GPTQ", "Post-training quantisation."),
    "map/eval/gaia.md": topic_file("GAIA", "An agent benchmark."),
    "map/eval/lion.md": topic_file("Lion", "An optimizer.", aliases='["Lion optimizer"]'),
}


@pytest.fixture
def names_kb(make_kb) -> str:
    return str(make_kb(NAMES_KB))


@pytest.mark.parametrize(
    ("term", "offered"),
    [
        ("OLMoE", "olmo"),
        ("AutoGPTQ", "autogpt"),
        ("PaLM-E", "palm"),
        ("DeepSeekMoE", "deepseek"),
        ("C-Eval", None),
        ("LAION", "lion"),  # an acronym one letter from a word
    ],
)
def test_where_never_answers_a_near_miss_as_another_topic(
    capsys, names_kb: str, term: str, offered: str | None
) -> None:
    code, out, _ = run(capsys, "where", term, "--kb", names_kb, "--json")
    data = json.loads(out)
    assert code == 1 and "id" not in data and data["match"] in ("closest", "none")
    if offered:
        assert data["candidates"][0]["id"] == offered
        code, out, _ = run(capsys, "where", term, "--kb", names_kb)
        assert code == 1 and "closest matches" in out


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("Chinchilla", "chinchilla-scaling-laws"),
        ("multi-agent", "multi-agent-systems"),
        ("decoder-only", "decoder-only-transformer"),
        ("R1-Zero", "deepseek-r1"),
        ("MATH", "math-dataset"),
    ],
)
def test_where_finds_a_short_form_of_a_unique_name(
    capsys, names_kb: str, term: str, expected: str
) -> None:
    code, out, _ = run(capsys, "where", term, "--kb", names_kb, "--json")
    data = json.loads(out)
    assert code == 0 and data["id"] == expected and data["match"] == "partial"
    _, out, _ = run(capsys, "where", term, "--kb", names_kb)
    assert f"(partial match for '{term}'" in out


def test_where_json_says_how_the_answer_was_found(capsys, starter_kb) -> None:
    kb = str(starter_kb)
    assert json.loads(run(capsys, "where", "dpo", "--kb", kb, "--json")[1])["match"] == "exact"
    assert json.loads(run(capsys, "where", "LLM", "--kb", kb, "--json")[1])["match"] == "alias"
    typo = json.loads(
        run(capsys, "where", "direct preferance optimisaton", "--kb", kb, "--json")[1]
    )
    assert typo["id"] == "dpo" and typo["match"] == "fuzzy"
    _, out, _ = run(capsys, "where", "direct preferance optimisaton", "--kb", kb)
    assert "closest match for" in out


def test_where_finds_a_topic_by_its_papers_title(capsys, make_kb) -> None:
    kb = str(
        make_kb(
            {
                **NAMES_KB,
                "map/eval/transformer.md": topic_file(
                    "Transformer",
                    "Attention only.",
                    paper='{title: "Attention Is All You Need", year: 2017}',
                ),
            }
        )
    )
    code, out, _ = run(capsys, "where", "attention is all you need", "--kb", kb, "--json")
    data = json.loads(out)
    assert code == 0 and data["id"] == "transformer" and data["match"] == "paper"
    code, out, _ = run(capsys, "where", "Attention Is All You Need", "--kb", kb)
    assert code == 0 and "the topic of the paper" in out


def test_where_lists_every_topic_an_ambiguous_name_belongs_to(capsys, names_kb: str) -> None:
    code, out, _ = run(capsys, "where", "Codex", "--kb", names_kb)
    assert code == 1 and "codex-2021" in out and "codex-cli" in out


def test_where_hints_put_whole_words_before_noise(capsys, names_kb: str) -> None:
    _, out, _ = run(capsys, "where", "GPT", "--kb", names_kb, "--json")
    ids = [c["id"] for c in json.loads(out)["candidates"]]
    assert ids == ["decoder-only-transformer", "gpt-2", "gpt-3"] or ids[:2] == ["gpt-2", "gpt-3"]
    assert "gptq" not in ids
    code, out, err = run(capsys, "where", "garak", "--kb", names_kb)
    assert code == 1 and "GAIA" not in out + err


@pytest.mark.parametrize(
    ("query", "first", "limit"),
    [
        ("speculative decoding", "speculative-decoding", "3"),
        ("dpo", "dpo", "10"),
        ("flash attention", "flash-attention", "10"),
    ],
)
def test_search_puts_the_named_topic_first(capsys, query: str, first: str, limit: str) -> None:
    code, out, _ = run(capsys, "search", query, "--limit", limit, "--kb", BUNDLED, "--json")
    assert code == 0 and json.loads(out)[0]["id"] == first


def test_search_says_when_no_topic_has_every_word(capsys) -> None:
    code, out, _ = run(capsys, "search", "foo", "bar", "--kb", BUNDLED)
    assert code == 0 and out.startswith("no topic has every word")
    hits = json.loads(run(capsys, "search", "foo", "bar", "--kb", BUNDLED, "--json")[1])
    assert hits and {h["match"] for h in hits} == {"any word"}


@pytest.mark.parametrize("command", ["where", "search"])
def test_a_100_kb_query_is_refused_with_a_clear_cap(capsys, command: str) -> None:
    code, out, err = run(capsys, command, "attention " * 10_000, "--kb", BUNDLED)
    assert code == 2 and out == "" and "at most" in err and "Traceback" not in err


def test_where_reads_relations_once_with_their_labels(capsys) -> None:
    _, out, _ = run(capsys, "where", "dpo", "--kb", BUNDLED)
    labels = [line.split("  ")[0] for line in out.splitlines()]
    assert "builds on" in labels and "built on by" in labels
    assert not any(label.endswith(" by") and label != "built on by" for label in labels)
    for label in ("builds on", "built on by", "alternatives", "related"):
        assert labels.count(label) <= 1  # one row per label
    mentioned = [line for line in out.splitlines() if "(ppo)" in line]
    assert len(mentioned) == 1  # a symmetric relation stated from both ends shows once


def _tokens(text: str) -> list[str]:
    return text.split()


@pytest.mark.parametrize(
    "argv",
    [
        ("where", "dpo"),
        ("where", "speculative decoding"),
        ("search", "preference optimisation"),
        (
            "place",
            "--method",
            "lexical",
            "Speculative sampling with a small draft model that proposes tokens the large model verifies",
        ),
    ],
)
def test_at_80_columns_no_line_is_too_long_and_no_word_is_split(
    capsys, monkeypatch, argv: tuple[str, ...]
) -> None:
    _, plain, _ = run(capsys, *argv, "--kb", BUNDLED)
    monkeypatch.setenv("COLUMNS", "80")
    _, wrapped, _ = run(capsys, *argv, "--kb", BUNDLED)
    assert max(len(line) for line in wrapped.splitlines()) <= 80
    assert wrapped != plain  # it did wrap
    whole = set(_tokens(plain))
    for token in _tokens(wrapped):
        # a word is never split; a path or URL may break after a '/'
        assert token in whole or any("/" in w and token in w for w in whole), token


def test_piped_output_is_not_wrapped(capsys, monkeypatch) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    _, out, _ = run(capsys, "where", "dpo", "--kb", BUNDLED)
    essence = next(
        line for line in out.splitlines() if line.startswith("  ") and "preference" in line
    )
    assert len(essence) > 80


def test_tree_shows_ids_and_says_how_many_are_folded(capsys) -> None:
    _, out, _ = run(capsys, "tree", "--depth", "1", "--kb", BUNDLED)
    first_child = out.splitlines()[1]
    assert re.search(r"├── .+  [a-z0-9-]+  \(\d+ more\)$", first_child)


def test_an_unknown_command_suggests_the_nearest(capsys) -> None:
    code, _, err = run(capsys, "wher", "dpo")
    assert code == 2 and "error: unknown command 'wher'" in err and "fomo where" in err


def test_every_command_reports_errors_in_one_style(capsys, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    for argv in (("search", "()", "--kb", BUNDLED), ("tree", "--depth", "-1", "--kb", BUNDLED)):
        code, _, err = run(capsys, *argv)
        lines = err.splitlines()
        assert code == 2 and lines[0].startswith("error: ") and lines[1].startswith("  hint: ")
        assert "\033[" not in err


def test_errors_are_red_on_a_terminal(capsys, monkeypatch) -> None:
    from fomo.cli import style

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    style.error("bad \033[2Jthing", "do this")
    assert "\033[31;1merror:" in terminal.getvalue()
    assert "\033[2J" not in terminal.getvalue()  # map text cannot drive the terminal
    monkeypatch.setenv("NO_COLOR", "1")
    terminal.truncate(0)
    terminal.seek(0)
    style.error("bad", "do this")
    assert terminal.getvalue() == "error: bad\n  hint: do this\n"


def test_other_commands_name_the_candidates_in_their_error(capsys, names_kb: str) -> None:
    code, _, err = run(capsys, "tree", "OLMoE", "--kb", names_kb)
    assert code == 2 and err.startswith("error: no topic is named 'OLMoE'")
    assert "hint: closest: OLMo (olmo)" in err
    code, _, err = run(capsys, "tree", "Codex", "--kb", names_kb)
    assert code == 2 and "codex-2021" in err and "codex-cli" in err
