"""The weekly loop's helpers (fomo.ingest.weekly): the week's sources and the issue body."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from fomo.ingest import weekly

TODAY = dt.date(2026, 11, 30)


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}


def test_sources_are_the_weeks_arxiv_queries_then_the_team_feeds() -> None:
    cl, lg, team = weekly.sources(["https://example.org/feed.xml"], TODAY)
    assert team == "https://example.org/feed.xml"
    assert cl.startswith("https://export.arxiv.org/api/query?")
    cl_query, lg_query = query_of(cl), query_of(lg)
    assert cl_query["search_query"] == "cat:cs.CL AND submittedDate:[202611240000 TO 202611302359]"
    assert lg_query["search_query"] == (
        "cat:cs.LG AND submittedDate:[202611240000 TO 202611302359] ANDNOT cat:cs.CL"
    )
    assert cl_query["sortBy"] == "submittedDate" and cl_query["max_results"] == "2000"
    (one_day, *_) = weekly.sources([], TODAY, days=1)
    assert "[202611300000 TO 202611302359]" in query_of(one_day)["search_query"]


def digest(new: int, known: int, unrelated: int) -> str:
    lines = ["## FOMO ingest digest (2026-11-30)", "", "Source: `x` (arxiv).", ""]
    lines += [
        f"### New ({new})",
        "",
        "| Paper | Suggested parent | Score | Why |",
        "|---|---|---|---|",
    ]
    lines += [f"| New paper {i} | **P** (`p`) | 0.50 | words |" for i in range(new)]
    lines += ["", f"### Already known ({known})", "", "| Paper | Topic | Match |", "|---|---|---|"]
    lines += [f"| Known paper {i} | **T** (`t`) | title 1.00 |" for i in range(known)]
    lines += ["", f"### Unrelated to LLMs ({unrelated})", ""]
    lines += [f"- Unrelated paper {i}" for i in range(unrelated)]
    return "\n".join(lines) + "\n"


def test_a_small_week_is_posted_whole() -> None:
    body = weekly.issue_body([digest(2, 1, 1)], TODAY, "https://github.com/o/r/actions/runs/7")
    assert body.startswith("# FOMO weekly triage: 2026-11-24 to 2026-11-30\n")
    assert weekly.MARKER in body and "(<https://github.com/o/r/actions/runs/7>)" in body
    assert digest(2, 1, 1).strip() in body and "more in the full triage" not in body


def test_a_large_week_is_cut_to_fit_keeping_every_section() -> None:
    big = [digest(3000, 800, 1500), digest(40, 0, 5)]
    body = weekly.issue_body(big, TODAY, limit=60_000)
    assert 55_000 < len(body) <= 60_000  # cut, but no more than it needs
    for heading in ("### New (3000)", "### Already known (800)", "### Unrelated to LLMs (1500)"):
        assert heading in body
    assert (
        "| New paper 0 |" in body and "| Known paper 0 |" in body and "- Unrelated paper 0" in body
    )
    assert "| New paper 2999 |" not in body
    first = body.split("## FOMO ingest digest")[1]
    new_kept = first.count("| New paper ")
    assert f"*... and {3000 - new_kept} more in the full triage (the run's artifact)*" in first
    assert "| Paper | Suggested parent | Score | Why |" in first  # table headers survive


def test_main_prints_sources_and_refuses_bad_input(tmp_path: Path, capsys) -> None:
    (tmp_path / "site.yml").write_text("feeds:\n  - https://example.org/f.xml\n", "utf-8")
    assert weekly.main(["sources", "--kb", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and lines[2] == "https://example.org/f.xml"
    (tmp_path / "site.yml").write_text("feeds:\n  - ftp://example.org/f.xml\n", "utf-8")
    assert weekly.main(["sources", "--kb", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "site.yml:1: feed 'ftp://example.org/f.xml' is not an http(s) URL" in err
    assert weekly.main(["sources", "--kb", str(tmp_path), "--days", "0"]) == 2
    assert "--days must be at least 1" in capsys.readouterr().err
    assert weekly.main(["body", str(tmp_path / "missing.md")]) == 2
    err = capsys.readouterr().err
    assert "missing.md: cannot read the digest" in err and "Traceback" not in err
