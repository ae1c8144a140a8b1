"""Source readers: arXiv/RSS feeds, BibTeX, plain lists, sniffing, and bad entries."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest

from fomo.errors import FomoError
from fomo.ingest.bibtex import latex_plain, read_bibtex
from fomo.ingest.feeds import read_feed
from fomo.ingest.read import read, sniff
from fomo.ingest.text import read_text, title_from_url

FIXTURES = Path(__file__).parent / "fixtures"


def test_arxiv_feed_is_cleaned_and_the_titleless_entry_reported() -> None:
    batch = read_feed((FIXTURES / "arxiv.xml").read_bytes(), "arxiv.xml")
    assert batch.kind == "arxiv"
    first = batch.items[0]
    assert first.title.startswith("KTO-Lite: Aligning Language Models with Binary Human Feedback")
    assert "\n" not in first.title
    assert first.url == "https://arxiv.org/abs/2405.00001"
    assert first.year == 2026
    assert first.authors == ["A. Author"]
    assert len(batch.items) == 3
    assert [p.where for p in batch.problems] == ["entry 4"]


def test_rss_feed_strips_html() -> None:
    batch = read_feed((FIXTURES / "rss.xml").read_bytes(), "rss.xml")
    assert batch.kind == "feed"
    assert batch.items[0].summary.startswith("Splitting text into bytes")
    assert "<p>" not in batch.items[0].summary
    assert batch.items[1].title == "RLHF"


def test_malformed_feed_keeps_what_it_can() -> None:
    batch = read_feed((FIXTURES / "broken.xml").read_bytes(), "broken.xml")
    assert batch.items[0].title.startswith("Ok one")
    assert batch.notices and "not well-formed" in batch.notices[0]


def test_a_document_without_entries_is_refused() -> None:
    with pytest.raises(FomoError, match="no feed entries"):
        read_feed(b"<html><body>nothing</body></html>", "page.html")


def test_bibtex_reads_good_entries_and_reports_broken_ones() -> None:
    batch = read_bibtex((FIXTURES / "refs.bib").read_text(), "refs.bib")
    titles = [item.title for item in batch.items]
    assert titles == [
        "Direct Preference Optimization: Your Language Model is Secretly a Reward Model",
        "Odds-Ratio Preference Alignment of Language Models without a Reference Model",
    ]
    assert batch.items[0].year == 2023
    assert batch.items[0].url == "https://arxiv.org/abs/2305.18290"
    assert batch.items[1].url == "https://arxiv.org/abs/2403.07691"
    assert batch.items[1].summary.startswith("A preference optimization")
    problems = {p.where: p.message for p in batch.problems}
    assert "refs.bib:12" in problems and "malformed" in problems["refs.bib:12"]
    assert any("no title" in message for message in problems.values())


def test_latex_is_made_plain() -> None:
    assert latex_plain(r"{\"U}ber {BERT} models") == "Uber BERT models"


def test_text_list_titles_urls_and_comments() -> None:
    batch = read_text((FIXTURES / "list.txt").read_text(), "list.txt")
    assert [i.title for i in batch.items] == [
        "Direct preference optimisation",
        "KTO: aligning language models with binary human feedback instead of preference pairs",
        "byte level tokenizer tricks",
        "Soil moisture dynamics in alpine meadows",
    ]
    assert batch.items[2].url == "https://huggingface.co/blog/byte-level-tokenizer-tricks"
    assert batch.items[0].where == "list.txt:2"


def test_urls_give_readable_titles() -> None:
    assert title_from_url("https://arxiv.org/abs/2305.18290v2") == "arXiv 2305.18290"
    assert title_from_url("https://example.org/") == "example.org"


def test_sniffing() -> None:
    assert sniff((FIXTURES / "arxiv.xml").read_bytes()) == "feed"
    assert sniff((FIXTURES / "refs.bib").read_bytes()) == "bibtex"
    assert sniff((FIXTURES / "list.txt").read_bytes()) == "text"


def test_read_picks_the_reader_and_refuses_bad_sources(tmp_path: Path) -> None:
    assert read(str(FIXTURES / "refs.bib")).kind == "bibtex"
    assert read(str(FIXTURES / "list.txt"), kind="text").kind == "text"
    with pytest.raises(FomoError, match="not a file"):
        read(str(tmp_path / "missing.xml"))
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    with pytest.raises(FomoError, match="empty"):
        read(str(empty))
    with pytest.raises(FomoError, match="unknown source kind"):
        read(str(FIXTURES / "list.txt"), kind="pdf")


class _Stdin:
    """Standard input as bytes (the readers use sys.stdin.buffer)."""

    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)

    def isatty(self) -> bool:
        return False


def test_stdin_over_the_limit_is_cut_at_a_line_with_a_notice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lines = [f"Paper number {n} about preference optimisation" for n in range(100)]
    monkeypatch.setattr("sys.stdin", _Stdin("\n".join(lines).encode()))
    monkeypatch.setattr("fomo.ingest.read.SIZE_LIMIT", 1000)
    batch = read("-")
    assert (
        batch.notices
        and "standard input is over the size limit of 1,000 bytes" in (batch.notices[0])
    )
    assert 0 < len(batch.items) < 100
    assert [i.title for i in batch.items] == lines[: len(batch.items)]  # no half line


def test_stdin_within_the_limit_has_no_notice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", _Stdin(b"Direct preference optimisation\n"))
    batch = read("-")
    assert batch.notices == [] and len(batch.items) == 1


@pytest.mark.parametrize(
    "data",
    [
        random.Random(6).randbytes(4096),
        b"Direct preference optimisation\nKTO\x00 binary feedback\n",
        b"A title\x1b[31m in red\n",
        b"@article{a, title={x\x01y}}\n",
    ],
    ids=["random", "nul", "escape", "bibtex-control"],
)
def test_binary_input_is_refused(tmp_path: Path, data: bytes) -> None:
    source = tmp_path / "input.bin"
    source.write_bytes(data)
    with pytest.raises(FomoError, match="not a feed, BibTeX or list") as caught:
        read(str(source))
    assert caught.value.file == str(source) and caught.value.line is not None


def test_binary_stdin_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", _Stdin(random.Random(12).randbytes(20_000)))
    with pytest.raises(FomoError, match="not a feed, BibTeX or list"):
        read("-")


def test_a_feed_with_a_stray_control_byte_is_read_with_a_notice(tmp_path: Path) -> None:
    data = (FIXTURES / "rss.xml").read_bytes().replace(b"Byte-level", b"Byte\x0b-level")
    source = tmp_path / "feed.xml"
    source.write_bytes(data)
    batch = read(str(source))
    assert batch.items[0].title == "Byte-level tokenisation without a vocabulary"
    assert any("control byte" in notice for notice in batch.notices)
    source.write_bytes(data.replace(b"\x0b", b"\x00"))
    with pytest.raises(FomoError, match="not a feed, BibTeX or list"):
        read(str(source))


def test_tabs_form_feeds_and_crlf_are_text(tmp_path: Path) -> None:
    source = tmp_path / "list.txt"
    source.write_bytes(b"Direct preference\toptimisation\r\n\x0c\r\nKTO\r\n")
    assert [i.title for i in read(str(source)).items] == ["Direct preference\toptimisation", "KTO"]


def test_a_utf16_list_is_read(tmp_path: Path) -> None:
    source = tmp_path / "list.txt"
    source.write_bytes("Direct preference optimisation\nKTO – binary\n".encode("utf-16"))
    assert [i.title for i in read(str(source)).items] == [
        "Direct preference optimisation",
        "KTO – binary",
    ]


def test_only_web_urls_are_kept() -> None:
    bib = (
        "@article{a, title={SimPO}, url={https://exa mple.org/simpo}}\n"
        "@article{b, title={ORPO}, url={https://example.org/orpo}}\n"
        "@article{c, title={KTO}, url={https:///no-host}}\n"
    )
    assert [i.url for i in read_bibtex(bib, "refs.bib").items] == [
        None,
        "https://example.org/orpo",
        None,
    ]
    feed = (
        (FIXTURES / "rss.xml")
        .read_bytes()
        .replace(b"https://blog.example.org/rlhf", b"https://exa mple.org/rlhf")
    )
    assert [i.url for i in read_feed(feed, "rss.xml").items] == [
        "https://blog.example.org/byte-tokens",
        None,
    ]
    batch = read_text("https:///nohost/paper\nhttps://example.org/a-paper\n", "list.txt")
    assert [i.url for i in batch.items] == ["https://example.org/a-paper"]
    assert batch.problems and "not a valid URL" in batch.problems[0].message
