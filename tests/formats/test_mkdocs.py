"""`fomo import mkdocs.yml`: an MkDocs project's pages become sessions, parts and articles with
their images and files, through the edit layer, never overwriting."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from fomo.cli import main
from fomo.formats.mkdocs import plan_mkdocs
from fomo.kb.load import load

SITE = Path(__file__).parent / "samples" / "mkdocs_site"
PART_1 = "sessions/03-session-1-tokens-and-preferences/01-part-1-tokenizers.md"


def _import(kb: Path, *extra: str, config: Path = SITE / "mkdocs.yml") -> int:
    return main(["import", str(config), "--kb", str(kb), *extra])


def test_dry_run_shows_the_plan_and_writes_nothing(
    starter_kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sorted(p for p in starter_kb.rglob("*"))
    assert _import(starter_kb, "--dry-run") == 0
    out, err = capsys.readouterr()
    assert "dry run, nothing written" in out
    assert "sessions/03-session-1-tokens-and-preferences/index.md" in out
    assert "images/pipeline diagram.png" in out
    assert sorted(p for p in starter_kb.rglob("*")) == before
    assert "plugin 'macros'" in err and "Markdown extension 'attr_list'" in err
    assert "nav entry 'Source code'" in err
    assert "the 3 imported parts name no topics yet" in err


def test_nav_sections_become_sessions_with_parts_and_files(starter_kb: Path) -> None:
    assert _import(starter_kb) == 0
    kb = load(starter_kb).kb
    by_title = {s.title: s for s in kb.sessions}
    first = by_title["Session 1 - Tokens and preferences"]
    assert first.number == 3  # after the knowledge base's own sessions (1) and the home one
    assert [(p.number, p.title, p.article) for p in first.parts] == [
        (1, "Part 1 - Tokenizers", "01-part-1-tokenizers.md"),
        (2, "Part 2 - RLHF in a notebook", "02-part-2-rlhf-in-a-notebook.ipynb"),
    ]
    assert first.summary.startswith("How text becomes tokens")
    # a nav entry without a title takes the page's H1
    second = by_title["Session 2 - Evaluation"]
    assert [p.title for p in second.parts] == ["Measuring language models"]
    # pages outside a section: a session named after the site
    assert "Reading Group on Language Models" in by_title
    # images and files keep their project paths; bytes copied unchanged
    for rel in ("images/pipeline diagram.png", "files/cheat sheet.txt"):
        assert (starter_kb / rel).read_bytes() == (SITE / rel).read_bytes()
    notebook = (
        starter_kb
        / "sessions/03-session-1-tokens-and-preferences/02-part-2-rlhf-in-a-notebook.ipynb"
    )
    assert json.loads(notebook.read_text())["cells"][0]["cell_type"] == "markdown"


def test_links_are_rewritten_to_where_pages_and_files_now_live(starter_kb: Path) -> None:
    assert _import(starter_kb) == 0
    text = (starter_kb / PART_1).read_text()
    assert text.startswith("---\ntitle: Part 1 - Tokenizers\n")
    assert "(../04-session-2-evaluation/01-measuring-language-models.md#what-we-measure)" in text
    assert "(02-part-2-rlhf-in-a-notebook.ipynb)" in text
    assert 'src="../../images/pipeline%20diagram.png"' in text
    assert "(../../session_1/part_1_tokens/merges.png)" in text
    assert "(../../files/cheat%20sheet.txt)" in text
    assert "def merge(pair, words):" in text  # code untouched


def test_import_never_overwrites(starter_kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (starter_kb / "images").mkdir()
    (starter_kb / "images/logo.png").write_bytes(b"ours")
    assert _import(starter_kb) == 0
    assert (starter_kb / "images/logo.png").read_bytes() == b"ours"
    assert "images/logo.png already exists with other content" in capsys.readouterr().err
    index = starter_kb / "sessions/03-session-1-tokens-and-preferences/index.md"
    index.write_text(index.read_text() + "\n<!-- edited -->\n")
    assert _import(starter_kb) == 0
    out, err = capsys.readouterr()
    assert "<!-- edited -->" in index.read_text()
    assert "already exists: not imported again" in err and "skip" in out
    assert len(load(starter_kb).kb.sessions) == 4


def test_without_nav_the_folder_tree_is_read(starter_kb: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(SITE, project)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().split("nav:")[0])
    plan = plan_mkdocs(config, starter_kb, load(starter_kb).kb)
    articles = [a.path for a in plan.actions if a.action == "article"]
    assert "sessions/03-session-1/overview.md" in articles
    assert "sessions/03-session-1/02-rlhf-in-a-notebook.ipynb" in articles
    assert "sessions/04-session-2/overview.md" in articles


def test_bad_yaml_is_a_clear_error(
    starter_kb: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\nnav:\n  - [unclosed\n")
    assert _import(starter_kb, config=config) == 2
    err = capsys.readouterr().err
    assert "mkdocs.yml" in err and "not valid YAML" in err and "Traceback" not in err


def test_missing_docs_dir_is_a_clear_error(
    starter_kb: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\ndocs_dir: nowhere\n")
    assert _import(starter_kb, config=config) == 2
    assert "docs_dir 'nowhere' is not a folder" in capsys.readouterr().err


def test_site_name_and_toc_depth_go_to_site_yml_without_overwriting(
    starter_kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _import(starter_kb) == 0
    from fomo.site.config import load_config

    config = load_config(starter_kb)
    assert config.name == "Reading Group on Language Models" and config.toc_depth == 3
    capsys.readouterr()
    (starter_kb / "site.yml").write_text("name: Ours\n")
    other = starter_kb.parent / "other"
    shutil.copytree(starter_kb, other)
    shutil.rmtree(other / "sessions")
    assert _import(other) == 0
    assert (other / "site.yml").read_text() == "name: Ours\n"
    err = capsys.readouterr().err
    assert 'set name: "Reading Group on Language Models" there' in err
    assert "set toc_depth: 3 there" in err


def test_nothing_outside_docs_dir_is_read(starter_kb: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "docs").mkdir(parents=True)
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the site")
    (project / "docs" / "leak.png").symlink_to(secret)
    (project / "docs" / "page.md").write_text("# Page\n\n![x](leak.png)\n")
    (project / "mkdocs.yml").write_text(
        "site_name: P\nnav:\n  - S:\n    - page.md\n    - ../../secret.md\n"
    )
    plan = plan_mkdocs(project / "mkdocs.yml", starter_kb, load(starter_kb).kb)
    assert not [a for a in plan.actions if a.action == "file"]
    assert any("outside docs_dir" in w for w in plan.warnings)
    assert any("leak.png' names a file that does not exist" in w for w in plan.warnings)


def test_a_config_that_is_no_regular_file_or_too_big_is_refused(tmp_path: Path) -> None:
    """mkdocs.yml is read like any imported file: a FIFO is refused at once (reading it would
    wait forever), and so is a file past the size a configuration can have."""
    import os

    from fomo.errors import FomoError
    from fomo.formats.mkdocs import MAX_CONFIG, read_config

    fifo = tmp_path / "fifo" / "mkdocs.yml"
    fifo.parent.mkdir()
    os.mkfifo(fifo)
    with pytest.raises(FomoError) as caught:
        read_config(fifo)
    assert caught.value.code == "not-a-file"
    big = tmp_path / "mkdocs.yml"
    big.write_text("site_name: x\n" + "#" * MAX_CONFIG, encoding="utf-8")
    with pytest.raises(FomoError) as caught:
        read_config(big)
    assert caught.value.code == "too-large"


def test_linked_hidden_files_go_under_files_not_the_kb_root(
    starter_kb: Path, tmp_path: Path
) -> None:
    """A site's page linking `.github/workflows/x.yml` must not plant a workflow in the kb."""
    project = tmp_path / "project"
    (project / "docs" / ".github" / "workflows").mkdir(parents=True)
    (project / "docs" / ".github" / "workflows" / "x.yml").write_text("on: push\n")
    (project / "docs" / "page.md").write_text("# Page\n\n[ci](.github/workflows/x.yml)\n")
    (project / "mkdocs.yml").write_text("site_name: P\nnav:\n  - S:\n    - page.md\n")
    plan = plan_mkdocs(project / "mkdocs.yml", starter_kb, load(starter_kb).kb)
    files = [a.path for a in plan.actions if a.action == "file"]
    assert files == ["files/.github/workflows/x.yml"]
