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


SECRET_NOTEBOOK = {
    "cells": [
        {"cell_type": "markdown", "id": "a", "metadata": {}, "source": "SECRET-TEXT"},
        {
            "cell_type": "code",
            "id": "b",
            "execution_count": 1,
            "metadata": {},
            "source": "x",
            "outputs": [
                {
                    "output_type": "display_data",
                    "metadata": {},
                    "data": {"image/png": "iVBORw0KGgo="},
                }
            ],
        },
    ],
    "metadata": {},
    "nbformat": 4,
    "nbformat_minor": 5,
}


def _session(article: str) -> str:
    return f"---\ntitle: S\nparts:\n  - {{number: 1, title: P, article: {article!r}}}\n---\n"


@pytest.mark.parametrize("how", ["dotdot", "symlink"])
def test_a_notebook_part_cannot_read_or_write_outside(
    make_kb, tmp_path: Path, capsys: pytest.CaptureFixture[str], how: str
) -> None:
    """A cloned kb's part may name a notebook outside it: never published, never written to."""
    import json

    from tests.conftest import STARTER

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.ipynb").write_text(json.dumps(SECRET_NOTEBOOK))
    article = "../../../outside/x.ipynb" if how == "dotdot" else "nb.ipynb"
    kb = make_kb({**STARTER, "sessions/01-s/index.md": _session(article)})
    if how == "symlink":
        (kb / "sessions/01-s/nb.ipynb").symlink_to(outside / "x.ipynb")
    assert main(["check", "--kb", str(kb)]) == 1
    assert "bad-article" in capsys.readouterr().out
    out = tmp_path / "site"
    assert main(["build", "--kb", str(kb), "--out", str(out), "--no-search"]) == 0
    published = "".join(p.read_text("utf-8", "replace") for p in out.rglob("*.html"))
    assert "SECRET-TEXT" not in published
    assert sorted(p.name for p in outside.iterdir()) == ["x.ipynb"]


def test_a_notebook_against_the_schema_is_a_finding_and_a_clear_build_error(
    make_kb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from tests.conftest import STARTER

    book = {**SECRET_NOTEBOOK, "metadata": {"kernelspec": "python", "authors": 5}}
    kb = make_kb(
        {
            **STARTER,
            "sessions/01-s/index.md": _session("nb.ipynb"),
            "sessions/01-s/nb.ipynb": json.dumps(book),
        }
    )
    assert main(["check", "--kb", str(kb)]) == 1
    assert "bad-notebook" in capsys.readouterr().out
    assert main(["build", "--kb", str(kb), "--out", str(tmp_path / "s"), "--no-search"]) == 2
    err = capsys.readouterr().err
    assert "nb.ipynb" in err and "not a readable Jupyter notebook" in err
    assert "Traceback" not in err


def test_files_a_browser_would_run_are_not_copied(
    make_kb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.conftest import STARTER

    script = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    kb = make_kb(
        {
            **STARTER,
            "sessions/01-s/index.md": _session("a.md"),
            "sessions/01-s/a.md": "---\ntitle: A\n---\n[one](p.svgz) and [two](p.xhtm)\n",
            "sessions/01-s/p.svgz": script,
            "sessions/01-s/p.xhtm": script,
        }
    )
    out = tmp_path / "site"
    assert main(["build", "--kb", str(kb), "--out", str(out), "--no-search"]) == 0
    assert not [p for p in out.rglob("p.*")]
