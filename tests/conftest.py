"""Shared test helpers: tiny knowledge bases written per test, and an isolated index cache."""

from __future__ import annotations

import contextlib
import http.server
import textwrap
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

TODAY = "2026-11-26"


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Skipped tests say why in the summary, even under `-q` (as `-rs`): a skip means a missing
    browser or tool, and its reason says how to install it. (Under CI=1 those tests fail.)"""
    chars = config.option.reportchars or ""
    if not {"s", "a", "A"} & set(chars):
        config.option.reportchars = chars + "s"


@pytest.fixture(autouse=True)
def _isolated_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FOMO_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("NO_COLOR", "1")


def topic_file(title: str, essence: str, **fields: str) -> str:
    """A topic file's text; extra fields are written verbatim as YAML values."""
    lines = ["---", f"title: {title}", f"essence: {essence}"]
    lines += [f"{key}: {value}" for key, value in fields.items()]
    lines += [f"added: {TODAY}", f"reviewed: {TODAY}", "---", ""]
    return "\n".join(lines)


STARTER = {
    "map/index.md": topic_file(
        "Large Language Models", "Models that predict text.", aliases="[LLM]"
    ),
    "map/training/index.md": topic_file("Training LLMs", "How models learn.", order="2"),
    "map/training/preferences/index.md": topic_file(
        "Fine-tuning to human preferences", "Aligning outputs with what people prefer."
    ),
    "map/training/preferences/rlhf.md": topic_file(
        "Reinforcement Learning from Human Feedback",
        "Trains a reward model on human rankings, then optimises the policy against it.",
        aliases="[RLHF]",
        year="2022",
    ),
    "map/training/preferences/dpo.md": topic_file(
        "Direct Preference Optimization",
        "Fine-tunes directly on preference pairs without a reward model.",
        aliases="[DPO]",
        year="2023",
        builds_on="[rlhf]",
        alternative_to="[ppo]",
        references='\n  - {title: "TRL docs", url: "https://huggingface.co/docs/trl", kind: docs}',
    ),
    "map/training/preferences/ppo.md": topic_file(
        "Proximal Policy Optimization",
        "The policy-gradient algorithm classic RLHF uses.",
        aliases="[PPO]",
    ),
    "map/basics/index.md": topic_file("Building Blocks", "The parts of a model.", order="1"),
    "map/basics/tokenization.md": topic_file(
        "Tokenization", "Splitting text into tokens.", aliases="[tokenisation, tokenizer]"
    ),
    "sessions/01-training/index.md": textwrap.dedent(
        """\
        ---
        title: Training
        summary: How models are trained.
        parts:
          - {number: 1, title: Preferences, topics: [preferences], status: open}
        ---
        """
    ),
}


@pytest.fixture
def make_kb(tmp_path: Path) -> Callable[[dict[str, str | bytes]], Path]:
    """Write a knowledge base from {relative path: text or bytes} and return its folder."""

    def make(files: dict[str, str | bytes], name: str = "kb") -> Path:
        root = tmp_path / name
        for rel, content in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return root

    return make


@pytest.fixture
def starter_kb(make_kb: Callable[[dict[str, str | bytes]], Path]) -> Path:
    return make_kb(STARTER)


@contextlib.contextmanager
def local_server(handler: Callable[..., http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve `handler` on a free loopback port for the duration; yields the base URL."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
