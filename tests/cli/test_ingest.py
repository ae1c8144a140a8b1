"""`fomo ingest` end to end: every source kind, file and URL, outputs, --apply, bad input."""

from __future__ import annotations

import http.server
import io
import json
import os
import random
import re
import threading
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest

from fomo.cli import main
from tests._placekb import PLACE_KB
from tests.conftest import topic_file

FIXTURES = Path(__file__).parent.parent / "ingest" / "fixtures"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(_Quiet, directory=str(FIXTURES))
    )
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def kb(make_kb: Callable[..., Path]) -> Path:
    return make_kb(PLACE_KB)


def _json(capsys: pytest.CaptureFixture[str]) -> dict:
    return json.loads(capsys.readouterr().out)


def test_arxiv_feed_json(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", "--kb", str(kb), "--json", str(FIXTURES / "arxiv.xml")]) == 0
    report = _json(capsys)
    assert report["kind"] == "arxiv"
    statuses = [(i["title"][:12], i["status"]) for i in report["items"]]
    assert statuses == [
        ("KTO-Lite: Al", "new"),
        ("Direct Prefe", "known"),
        ("Soil moistur", "unrelated"),
    ]
    assert report["items"][0]["candidates"][0]["id"] == "preferences"
    assert report["problems"] == [{"where": "entry 4", "message": "entry has no title; skipped"}]


def test_url_source_table(kb: Path, server: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", "--kb", str(kb), f"{server}/rss.xml"]) == 0
    out = capsys.readouterr().out
    assert "Byte-level tokenisation" in out and "RLHF" in out
    assert "2 items:" in out


def test_bibtex_markdown_digest(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", "--kb", str(kb), "--format", "md", str(FIXTURES / "refs.bib")]) == 0
    captured = capsys.readouterr()
    digest = captured.out
    assert digest.startswith("## FOMO ingest digest")
    assert "### Already known (2)" in digest and "`dpo`" in digest and "`orpo`" in digest
    assert "### Skipped entries" in digest and "refs.bib:12" in digest
    assert "refs.bib:12: malformed @article entry" in captured.err


def test_text_list(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", "--kb", str(kb), "--json", str(FIXTURES / "list.txt")]) == 0
    items = _json(capsys)["items"]
    statuses = [i["status"] for i in items]
    assert statuses[:2] == ["known", "new"] and statuses[3] == "unrelated"
    assert items[2]["url"] == "https://huggingface.co/blog/byte-level-tokenizer-tricks"


def test_markdown_escapes_user_text(
    kb: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "list.txt"
    source.write_text("Prompt | injection <script>alert(1)</script> for chatbots\n")
    main(["ingest", "--kb", str(kb), "--format", "md", str(source)])
    digest = capsys.readouterr().out
    assert "<script>" not in digest and "\\|" in digest


def test_apply_yes_writes_emerging_topics(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["ingest", "--kb", str(kb), "--json", "--apply", "--yes", "--min-score", "0.05"]
    assert main([*argv, str(FIXTURES / "arxiv.xml")]) == 0
    written = _json(capsys)["written"]
    assert written == ["map/training/preferences/kto-lite.md"]
    text = (kb / written[0]).read_text()
    assert "status: emerging" in text and "TODO" in text
    assert main(["check", "--kb", str(kb)]) == 1
    assert "essence-placeholder" in capsys.readouterr().out


def test_apply_respects_min_score(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["ingest", "--kb", str(kb), "--json", "--apply", "--yes", "--min-score", "0.99"]
    assert main([*argv, str(FIXTURES / "arxiv.xml")]) == 0
    assert _json(capsys)["written"] == []


def test_apply_without_a_terminal_needs_yes(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", "--kb", str(kb), "--apply", str(FIXTURES / "list.txt")]) == 2
    assert "--yes" in capsys.readouterr().err


def test_apply_interactive(
    kb: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", Tty("maybe\ny\nn\n"))
    assert main(["ingest", "--kb", str(kb), "--apply", str(FIXTURES / "list.txt")]) == 0
    out = capsys.readouterr().out
    assert out.count("wrote ") == 1


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("http://127.0.0.1:9/feed.xml", "could not fetch"),
        ("/no/such/feed.xml", "not a file"),
    ],
)
def test_bad_sources_exit_2(
    kb: Path, source: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ingest", "--kb", str(kb), "--timeout", "2", source]) == 2
    assert message in capsys.readouterr().err


def test_missing_url_exits_2(kb: Path, server: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", "--kb", str(kb), f"{server}/missing.xml"]) == 2
    assert "HTTP 404" in capsys.readouterr().err


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


class _Stdin:
    """Standard input as bytes (ingest reads sys.stdin.buffer)."""

    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)

    def isatty(self) -> bool:
        return False


NEW_ITEMS = (
    "KTO-Lite: binary human feedback for preference alignment\n"
    "DoRA: weight-decomposed low-rank adaptation of frozen weights\n"
    "Medusa: draft heads propose several tokens verified in one pass to speed up decoding\n"
)


def test_apply_failure_on_the_third_item_writes_nothing_and_still_reports(
    kb: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = tmp_path / "list.txt"
    source.write_text(NEW_ITEMS)
    before = _snapshot(kb)
    real_replace = os.replace

    def failing_replace(src: str, dst: str) -> None:
        if Path(dst).name.startswith("medusa"):
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    argv = ["ingest", "--kb", str(kb), "--apply", "--yes", "--min-score", "0.05", str(source)]
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert re.search("nothing was (added|changed)", captured.err)
    assert "3 items: 0 known, 3 new" in captured.out  # the triage report is still printed
    assert "wrote " not in captured.out
    assert _snapshot(kb) == before


def test_apply_writes_a_batch_in_one_go(
    kb: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "list.txt"
    source.write_text(NEW_ITEMS)
    argv = ["ingest", "--kb", str(kb), "--json", "--apply", "--yes", "--min-score", "0.05"]
    assert main([*argv, str(source)]) == 0
    report = _json(capsys)
    assert report["written"] == [
        "map/training/preferences/kto-lite.md",
        "map/training/fine-tuning/dora.md",
        "map/inference/medusa.md",
    ]
    assert report["not_written"] == []
    assert main(["check", "--kb", str(kb), "--json"]) == 1
    codes = {f["code"] for f in json.loads(capsys.readouterr().out)}
    assert codes == {"essence-placeholder"}


def test_apply_refuses_the_bundled_map(
    make_kb: Callable[..., Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bundled = make_kb(PLACE_KB, name="venv/lib/site-packages/fomo/knowledge")
    before = _snapshot(bundled)
    monkeypatch.setattr("fomo.kb.location.bundled_kb", lambda: bundled)
    monkeypatch.chdir(tmp_path)  # no ./knowledge here: the bundled map would be used
    argv = ["ingest", "--apply", "--yes", "--min-score", "0.05", str(FIXTURES / "arxiv.xml")]
    assert main(argv) == 2
    assert "refusing to edit the map bundled inside the installed package" in (
        capsys.readouterr().err
    )
    assert _snapshot(bundled) == before
    assert main(["ingest", "--json", str(FIXTURES / "arxiv.xml")]) == 0  # reading it is fine
    assert _json(capsys)["written"] == []


@pytest.mark.parametrize(
    "data",
    [random.Random(6).randbytes(50_000), b"Direct preference optimisation\n\x00\x00\x01\x02\n"],
    ids=["random", "nul"],
)
def test_binary_stdin_exits_2_and_writes_nothing(
    kb: Path, data: bytes, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _snapshot(kb)
    monkeypatch.setattr("sys.stdin", _Stdin(data))
    assert main(["ingest", "--kb", str(kb), "--apply", "--yes", "--min-score", "0", "-"]) == 2
    captured = capsys.readouterr()
    assert "not a feed, BibTeX or list" in captured.err and captured.out == ""
    assert _snapshot(kb) == before


def test_enormous_stdin_is_truncated_with_a_notice(
    kb: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", _Stdin(b"Direct preference optimisation\n" * 200))
    monkeypatch.setattr("fomo.ingest.read.SIZE_LIMIT", 1000)
    assert main(["ingest", "--kb", str(kb), "--json", "-"]) == 0
    captured = capsys.readouterr()
    assert "note: standard input is over the size limit of 1,000 bytes" in captured.err
    report = json.loads(captured.out)
    assert len(report["items"]) == 1000 // 31 and report["notices"]


def test_a_paper_the_map_cites_is_known_as_its_topic(
    make_kb: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = dict(PLACE_KB)
    files["map/training/preferences/dpo.md"] = topic_file(
        "Direct Preference Optimization",
        "Fine-tunes directly on preference pairs without a reward model.",
        aliases="[DPO]",
        references='\n  - {title: "DPO", url: "https://arxiv.org/abs/2305.18290v3", kind: paper}',
    )
    kb = make_kb(files)
    feed = tmp_path / "links.txt"
    feed.write_text("https://arxiv.org/abs/2305.18290\nhttps://arxiv.org/pdf/2401.00001\n")
    assert main(["ingest", "--kb", str(kb), "--json", str(feed)]) == 0
    items = json.loads(capsys.readouterr().out)["items"]
    assert items[0]["status"] == "known" and items[0]["existing"]["id"] == "dpo"
    assert items[0]["existing"]["how"] == "citation"
    assert items[1]["status"] != "known"


def test_hostile_lines_and_feeds_give_a_clear_answer(
    kb: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = tmp_path / "list.txt"
    lines.write_text("http://[::1\nA real title about preference optimisation\n")
    assert main(["ingest", "--kb", str(kb), str(lines)]) == 0
    out, err = capsys.readouterr()
    assert "not a valid URL" in out + err and "Traceback" not in err
    feed = tmp_path / "feed.json"
    feed.write_text(
        '{"version":"https://jsonfeed.org/version/1.1","title":"F",'
        '"items":[{"id":"1","title":"Odd \\ud800 title","url":"https://example.org/a"}]}'
    )
    assert main(["ingest", "--kb", str(kb), str(feed)]) == 0
    assert "Traceback" not in capsys.readouterr().err
    huge = tmp_path / "huge.json"
    huge.write_text('{"version":"https://jsonfeed.org/version/1.1","items":[' + "1" * 5000 + "]}")
    assert main(["ingest", "--kb", str(kb), str(huge)]) == 2
    assert "not valid JSON" in capsys.readouterr().err


def test_an_unlikely_paraphrase_is_marked_as_a_guess_in_every_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from fomo.kb.location import bundled_kb

    source = tmp_path / "list.txt"
    source.write_text(
        "having the model write Python code for its reasoning and letting an interpreter compute\n"
    )
    argv = ["ingest", "--kb", str(bundled_kb()), "--method", "lexical", str(source)]
    assert main([*argv, "--json"]) == 0
    existing = _json(capsys)["items"][0]["existing"]
    assert existing["tentative"] is True
    assert main([*argv, "--format", "md"]) == 0
    assert f"`{existing['id']}`) | paraphrase {existing['score']:.2f} (a guess) |" in (
        capsys.readouterr().out
    )
    assert main([*argv, "--format", "table"]) == 0
    assert f"= perhaps {existing['title']}" in capsys.readouterr().out


def test_apply_asks_about_a_guessed_known_item_and_yes_never_adds_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Program-of-Thoughts in other words is only guessed to be Chain of Code: --yes leaves it
    out, and the interactive --apply offers it with the guess beside the parents."""
    import shutil

    from fomo.kb.location import bundled_kb

    kb = tmp_path / "kb"
    shutil.copytree(bundled_kb(), kb)
    source = tmp_path / "list.txt"
    source.write_text(
        "having the model write Python code for its reasoning and letting an interpreter compute\n"
    )
    argv = ["ingest", "--kb", str(kb), "--method", "lexical", "--json", "--apply"]
    before = _snapshot(kb / "map")
    assert main([*argv, "--yes", "--min-score", "0", str(source)]) == 0
    assert _json(capsys)["written"] == [] and _snapshot(kb / "map") == before

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", Tty("y\n"))
    assert main([*argv, str(source)]) == 0
    captured = capsys.readouterr()
    assert "perhaps already known as Chain of Code (chain-of-code)" in captured.err
    assert len(json.loads(captured.out)["written"]) == 1
