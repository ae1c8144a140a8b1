"""`fomo check` on the images, files and pages an article links to: a missing one is a finding
with the article's file and line; links that resolve are not."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from fomo.cli import main
from tests.conftest import STARTER

ARTICLE = """\
---
title: Links
---
Intro with ![ok](img/a%20b.png) and [a page](02-other.md#part) and [[dpo]].

[the session](index.md) and [a topic file](../../map/index.md) and [notes](../../files/n.txt).

![gone](img/missing.png)

<p align="center"><img src="../../images/nope.png"></p>

See [lost page](03-lost.md#x) and [away](../../../outside.png).

```
![not a link](code.png)
```
"""


@pytest.fixture
def linked_kb(make_kb: Callable[..., Path]) -> Path:
    files: dict[str, str | bytes] = dict(STARTER)
    files["sessions/01-training/01-links.md"] = ARTICLE
    files["sessions/01-training/02-other.md"] = "---\ntitle: Other\n---\n## Part\n"
    files["sessions/01-training/img/a b.png"] = b"\x89PNG"
    files["files/n.txt"] = "notes"
    return make_kb(files)


def test_missing_images_files_and_pages_are_findings_with_lines(
    linked_kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--kb", str(linked_kb), "--json"]) == 1
    findings = json.loads(capsys.readouterr().out)
    found = findings["findings"] if isinstance(findings, dict) else findings
    ours = sorted(
        (f["line"], f["code"]) for f in found if f["file"] == "sessions/01-training/01-links.md"
    )
    assert ours == [
        (8, "missing-file"),
        (10, "missing-file"),
        (12, "link-outside"),
        (12, "missing-page"),
    ]
    messages = " ".join(f["message"] for f in found)
    assert "img/missing.png" in messages and "sessions/01-training/03-lost.md" in messages


def test_a_notebook_parts_links_are_checked_on_their_line(
    make_kb: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    notebook = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["# Notebook\n", "![ok](a.png)\n"]},
            {"cell_type": "markdown", "metadata": {}, "source": ["![gone](gone.png)"]},
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    files: dict[str, str | bytes] = dict(STARTER)
    files["sessions/01-training/index.md"] = (
        "---\ntitle: Training\nparts:\n  - {number: 1, title: Notes, article: notes.ipynb}\n"
        "  - {number: 2, title: Broken, article: broken.ipynb}\n---\n"
    )
    files["sessions/01-training/notes.ipynb"] = json.dumps(notebook, indent=1)
    files["sessions/01-training/a.png"] = b"\x89PNG"
    files["sessions/01-training/broken.ipynb"] = "{not json"
    kb = make_kb(files)
    assert main(["check", "--kb", str(kb), "--json"]) == 1
    found = json.loads(capsys.readouterr().out)
    found = found["findings"] if isinstance(found, dict) else found
    ours = [(f["file"], f["line"], f["code"]) for f in found]
    line = json.dumps(notebook, indent=1).splitlines().index('    "![gone](gone.png)"') + 1
    assert ours == [
        ("sessions/01-training/broken.ipynb", 1, "bad-notebook"),
        ("sessions/01-training/notes.ipynb", line, "missing-file"),
    ]


def test_a_notebook_without_cell_ids_is_read_without_warnings() -> None:
    import warnings

    from fomo.kb.articles import load_notebook

    book = {
        "cells": [{"cell_type": "markdown", "metadata": {}, "source": "# Old notebook"}],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        node = load_notebook(json.dumps(book))
    assert node.cells[0].source == "# Old notebook"
    assert caught == []
