"""`fomo annotate` end to end: text, file, stdin and URL sources; text, JSON and Markdown
output; bad input (binary, empty, huge, unreachable or non-http(s)) without a traceback."""

from __future__ import annotations

import http.server
import io
import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from fomo.cli import main
from tests.conftest import local_server

PAGE = b"""<!doctype html><html><head><title>Post</title><script>RLHF()</script></head>
<body><article><p>DPO is simpler than RLHF.</p><pre>PPO = 1</pre></article></body></html>"""


@pytest.fixture
def kb(starter_kb: Path) -> str:
    return str(starter_kb)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["annotate", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_text_groups_terms_by_branch(kb: str, capsys) -> None:
    code, out, _ = run(capsys, "--kb", kb, "--text", "Tokenization, then DPO after RLHF.")
    assert code == 0
    assert out.splitlines()[0] == "3 mention(s) of 3 topic(s)"
    assert "Training LLMs" in out and "Building Blocks" in out
    assert "Direct Preference Optimization (dpo)  as 'DPO'" in out
    assert "Fine-tunes directly on preference pairs without a reward model." in out


def test_a_file_as_json(kb: str, tmp_path: Path, capsys) -> None:
    source = tmp_path / "post.md"
    source.write_text("We compared DPO with PPO in `PPO.step()` code.\n", encoding="utf-8")
    code, out, _ = run(capsys, "--kb", kb, "--json", str(source))
    assert code == 0
    rows = json.loads(out)
    assert [(r["text"], r["start"], r["end"], r["id"]) for r in rows] == [
        ("DPO", 12, 15, "dpo"),
        ("PPO", 21, 24, "ppo"),
    ]
    assert rows[0]["path"][-1] == "Direct Preference Optimization"


def test_standard_input_as_markdown(kb: str, monkeypatch, capsys) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(b"RLHF first, then DPO; RLHF again.\n"))
    monkeypatch.setattr(sys, "stdin", stdin)
    code, out, _ = run(capsys, "--kb", kb, "--format", "md", "--base-url", "https://x.org/m")
    assert code == 0
    assert out.startswith(
        "[RLHF](<https://x.org/m/topics/rlhf.html>) first, then "
        "[DPO](<https://x.org/m/topics/dpo.html>); RLHF again."
    )
    assert "**Glossary**" in out


@pytest.fixture
def server() -> Iterator[str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(PAGE)))
            self.end_headers()
            self.wfile.write(PAGE)

        def log_message(self, *args: object) -> None:
            pass

    with local_server(Handler) as url:
        yield url + "/post"


def test_a_url_is_fetched_and_its_html_read_as_text(kb: str, server: str, capsys) -> None:
    code, out, _ = run(capsys, "--kb", kb, "--json", server)
    assert code == 0
    assert [r["text"] for r in json.loads(out)] == ["DPO", "RLHF"]  # not the script or <pre>


def test_the_command_runs_as_a_process(kb: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "fomo", "annotate", "--kb", kb, "--json", "-"],
        input="PPO and DPO", capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert [r["id"] for r in json.loads(done.stdout)] == ["ppo", "dpo"]


def test_no_term_is_said_plainly(kb: str, capsys) -> None:
    code, out, _ = run(capsys, "--kb", kb, "--text", "Nothing to see here.")
    assert code == 0
    assert out.strip() == "no term of the map in this text"


def test_a_binary_file_is_refused(kb: str, tmp_path: Path, capsys) -> None:
    blob = tmp_path / "image.png"
    blob.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    code, _, err = run(capsys, "--kb", kb, str(blob))
    assert code == 2
    assert f"{blob}:2: not text" in err and "Traceback" not in err


@pytest.mark.parametrize("content", [b"", b"  \n\t\n"])
def test_an_empty_text_is_refused(kb: str, tmp_path: Path, capsys, content: bytes) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(content)
    code, _, err = run(capsys, "--kb", kb, str(empty))
    assert code == 2
    assert "holds no text" in err


def test_a_huge_standard_input_is_cut_with_a_notice(kb: str, monkeypatch, capsys) -> None:
    huge = b"plain words and DPO here\n" * (100 * 1024 * 1024 // 25 + 1)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(huge)))
    code, out, err = run(capsys, "--kb", kb)
    assert code == 0
    assert "over the size limit" in err
    assert "Direct Preference Optimization" in out


def test_unreachable_and_non_web_urls_are_refused(kb: str, capsys) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, _, err = run(capsys, "--kb", kb, "--timeout", "5", f"http://127.0.0.1:{port}/x")
    assert code == 2 and "could not fetch" in err
    code, _, err = run(capsys, "--kb", kb, "ftp://example.org/post.txt")
    assert code == 2 and "not a file or an http(s) URL" in err
    code, _, err = run(capsys, "--kb", kb, "--text", "   ")
    assert code == 2 and "--text is empty" in err
