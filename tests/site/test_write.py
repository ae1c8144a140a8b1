"""Site files are replaced in one step: a build killed at any write leaves every page whole
(as it was, or as it should be), the preview server never serves the temporary files, and the
next build finishes the job."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fomo.errors import FomoError
from fomo.site.serve import resolve_request
from fomo.site.write import Writer, existing, put
from tests.conftest import topic_file
from tests.site.conftest import SITE_KB, write_kb

KILLED_BUILD = """
import os, signal, sys
from fomo.site import write
limit, count, real = int(sys.argv[3]), [0], os.replace
def replace(source, target):
    count[0] += 1
    if count[0] == limit:  # the temporary file is complete, the page not yet replaced
        os.kill(os.getpid(), signal.SIGKILL)
    real(source, target)
write.os.replace = replace
from fomo.cli import main
sys.exit(main(["build", "--kb", sys.argv[1], "--out", sys.argv[2], "--no-search", "--workers", "1"]))
"""


def test_put_replaces_in_one_step_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "page.html"
    put(target, b"old")
    put(target, b"new")
    assert target.read_bytes() == b"new" and os.listdir(tmp_path) == ["page.html"]


def test_put_creates_a_new_file_in_place_and_replaces_an_old_one_by_rename(tmp_path: Path) -> None:
    target = tmp_path / "page.html"
    renames: list[str] = []
    real = os.replace

    def replace(source: str | Path, destination: str | Path) -> None:
        renames.append(Path(destination).name)
        real(source, destination)

    os.replace, restore = replace, real  # type: ignore[assignment]
    try:
        put(target, b"first")
        assert renames == [] and target.read_bytes() == b"first"
        put(target, b"second")
        assert renames == ["page.html"] and target.read_bytes() == b"second"
    finally:
        os.replace = restore  # type: ignore[assignment]


def test_writer_skips_unchanged_bytes(tmp_path: Path) -> None:
    writer = Writer(tmp_path)
    assert writer.write("a/b.html", "x") is True
    assert writer.write("a/b.html", "x") is False
    assert writer.write("a/b.html", "y") is True
    (tmp_path / "a/b.html").unlink()
    assert writer.write("a/b.html", "y") is True  # gone from disk: written again


def test_existing_lists_files_and_removes_temporaries(tmp_path: Path) -> None:
    (tmp_path / "topics").mkdir()
    (tmp_path / "topics/a.html").write_text("a")
    (tmp_path / "topics/.fomo-b.html.99.tmp").write_text("half")
    (tmp_path / "pagefind").mkdir()
    (tmp_path / "pagefind/x.js").write_text("x")
    assert sorted(existing(tmp_path, ["pagefind"])) == ["topics/a.html"]
    assert not (tmp_path / "topics/.fomo-b.html.99.tmp").exists()


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and not p.name.startswith(".")
    }


def test_a_build_killed_at_any_write_leaves_whole_pages(tmp_path: Path) -> None:
    from fomo.site.build import build_site

    kb = write_kb(tmp_path / "kb", SITE_KB)
    first = tmp_path / "first"
    build_site(kb, first, search=False)
    old = _files(first)
    # an edit that changes most pages (the root's title is in every breadcrumb)
    (kb / "map/index.md").write_text(topic_file("Large Language Models v2", "Edited."))
    build_site(kb, tmp_path / "expected", search=False)
    new = _files(tmp_path / "expected")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    for kill_at in (1, 4, 12, 20):
        out = tmp_path / f"out-{kill_at}"
        shutil.copytree(first, out)
        killed = subprocess.run(
            [sys.executable, "-c", KILLED_BUILD, str(kb), str(out), str(kill_at)],
            env=env,
            capture_output=True,
            text=True,
        )
        assert killed.returncode == -9, killed.stderr
        temporaries = list(out.rglob(".fomo-*.tmp"))
        assert temporaries  # killed between writing a page and putting it in place
        for temporary in temporaries:
            assert resolve_request(out, "/" + temporary.relative_to(out).as_posix()) is None
        for rel, data in _files(out).items():
            assert data in (old.get(rel), new.get(rel)), f"{rel}: neither the old nor the new"
        build_site(kb, out, search=False)  # the next build finishes the job
        assert not list(out.rglob(".fomo-*.tmp"))
        assert _files(out) == new


@pytest.mark.parametrize("path", ["../escaped.html", "a/../../escaped.html", "/tmp/escaped.html"])
def test_writer_refuses_a_path_that_leaves_the_output_folder(tmp_path: Path, path: str) -> None:
    out = tmp_path / "out"
    writer = Writer(out)
    with pytest.raises(FomoError) as caught:
        writer.write(path, "x")
    assert "outside the output folder" in caught.value.message
    with pytest.raises(FomoError):
        writer.remove(path)
    assert not (tmp_path / "escaped.html").exists()
