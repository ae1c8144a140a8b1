"""Source readers: arXiv/RSS feeds, BibTeX, plain lists, sniffing, and bad entries."""

from __future__ import annotations

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
