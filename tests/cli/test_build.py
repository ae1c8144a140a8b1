"""`fomo build` end to end through the CLI: a site, and clear errors with exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from fomo.cli import main


def test_build_writes_the_site(
    starter_kb: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "site"
    assert main(["build", "--kb", str(starter_kb), "--out", str(out), "--no-search"]) == 0
    assert "built" in capsys.readouterr().out
    assert (out / "index.html").is_file() and (out / "topics/dpo.html").is_file()


def test_build_refuses_a_foreign_folder(
    starter_kb: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "docs"
    out.mkdir()
    (out / "keep.txt").write_text("x")
    assert main(["build", "--kb", str(starter_kb), "--out", str(out)]) == 2
    assert "refusing" in capsys.readouterr().err and (out / "keep.txt").exists()


def test_bad_site_config_names_the_file(
    starter_kb: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (starter_kb / "site.yml").write_text("branch_colours:\n  training: blue\n")
    assert main(["build", "--kb", str(starter_kb), "--out", str(tmp_path / "s")]) == 2
    err = capsys.readouterr().err
    assert "site.yml:2" in err and "hex colour" in err and "Traceback" not in err
    assert not (tmp_path / "s").exists()


def test_build_without_mermaid_warns_once_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.site.conftest import SITE_KB, write_kb

    kb = write_kb(tmp_path / "kb", SITE_KB)  # its article has a ```mermaid diagram
    (tmp_path / "no-vendor").mkdir()
    monkeypatch.setattr("fomo.site.static.VENDOR", tmp_path / "no-vendor")
    out = tmp_path / "site"
    base = ["--base-url", "https://example.org/"]
    assert main(["build", "--kb", str(kb), "--out", str(out), "--no-search", *base]) == 0
    captured = capsys.readouterr()
    warnings = [line for line in captured.err.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "Mermaid" in warnings[0] and "npm ci" in warnings[0]
    assert "warning" not in captured.out
    article = (out / "articles/01-training/dpo-article.html").read_text()
    assert "mermaid.min.js" not in article


def test_serve_rejects_a_bad_port(starter_kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--kb", str(starter_kb), "--port", "70000"]) == 2
