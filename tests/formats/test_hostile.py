"""Hostile mind maps through `fomo import` and hostile links through `fomo export` (issue 16):
each case ends in exit code 2 with the file named, a hint and no traceback, and writes nothing;
no exporter ever carries a link `fomo check` refuses."""

from __future__ import annotations

import io
import json
import os
import stat
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fomo.cli import main
from fomo.errors import FomoError
from fomo.formats.safe import MAX_DEPTH
from tests.conftest import STARTER, topic_file
from tests.formats.helpers import zip_bytes

DEEP = 20_000  # far past any recursion limit


def _files(kb: Path) -> dict[str, bytes]:
    return {str(p.relative_to(kb)): p.read_bytes() for p in sorted(kb.rglob("*")) if p.is_file()}


def _refused(kb: Path, source: str, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Run `fomo import`, assert the clean refusal and that the kb is unchanged; the message."""
    before = _files(kb)
    code = main(["import", "--kb", str(kb), source, *args])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err
    assert f"error: {source}" in err  # the file leads the message
    assert "hint:" in err
    assert _files(kb) == before  # nothing written
    return err


def _xmind_chain(levels: int) -> bytes:
    """An XMind content.json nested `levels` topics deep, built as text (json.dumps recurses)."""
    opening = "".join(
        f'{{"id":"t{i}","title":"T{i}","children":{{"attached":[' for i in range(levels)
    )
    content = '[{"id":"s","rootTopic":' + opening + '{"id":"x","title":"X"}' + "]}}" * levels
    return zip_bytes({"content.json": (content + "}]").encode()})


@pytest.mark.parametrize("dry_run", [(), ("--dry-run",)])
def test_an_xmind_map_nested_900_levels_is_refused(
    starter_kb: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], dry_run: tuple
) -> None:
    source = tmp_path / "deep.xmind"
    source.write_bytes(_xmind_chain(900))
    err = _refused(starter_kb, str(source), capsys, *dry_run)
    assert f"more than {MAX_DEPTH} levels" in err


def test_an_xmind_map_just_past_the_limit_is_refused(
    starter_kb: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "deep.xmind"
    source.write_bytes(_xmind_chain(MAX_DEPTH + 1))
    assert "levels deep" in _refused(starter_kb, str(source), capsys)


def test_an_xmind_8_map_nested_deep_is_refused(
    starter_kb: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ns = "urn:xmind:xmap:xmlns:content:2.0"
    chain = '<topic><title>t</title><children><topics type="attached">' * DEEP
    xml = (
        f'<xmap-content xmlns="{ns}"><sheet>{chain}<topic><title>x</title></topic>'
        + "</topics></children></topic>" * DEEP
        + "</sheet></xmap-content>"
    )
    source = tmp_path / "deep.xmind"
    source.write_bytes(zip_bytes({"content.xml": xml.encode()}))
    assert "levels deep" in _refused(starter_kb, str(source), capsys)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("deep.mm", "<map>" + "<node TEXT='a'>" * DEEP + "</node>" * DEEP + "</map>"),
        (
            "deep.opml",
            "<opml><body>" + "<outline text='a'>" * DEEP + "</outline>" * DEEP + "</body></opml>",
        ),
        (
            "deep.json",
            '{"format":"fomo-map","version":1,"root":'
            + '{"title":"a","children":[' * DEEP
            + '{"title":"b"}'
            + "]}" * DEEP
            + "}",
        ),
    ],
)
@pytest.mark.parametrize("dry_run", [(), ("--dry-run",)])
def test_a_map_nested_20000_levels_is_refused(
    starter_kb: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    text: str,
    dry_run: tuple,
) -> None:
    source = tmp_path / name
    source.write_text(text, encoding="utf-8")
    assert "levels deep" in _refused(starter_kb, str(source), capsys, *dry_run)


@pytest.mark.parametrize(
    "outline",
    [
        "".join("  " * i + f"- item{i}\n" for i in range(5_000)),  # indented, 25 MB
        "- " * 5_000 + "x\n",  # lists opened on one line
        "> " * 5_000 + "x\n",  # block quotes
        "".join("  " * i + f"- item{i}\n" for i in range(MAX_DEPTH + 1)),  # one past the limit
    ],
    ids=["indented-5000", "compact-5000", "quotes-5000", "limit-plus-one"],
)
def test_a_markdown_outline_nested_too_deep_is_refused_not_cut(
    starter_kb: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], outline: str
) -> None:
    source = tmp_path / "deep.md"
    source.write_text("# Root\n" + outline, encoding="utf-8")
    err = _refused(starter_kb, str(source), capsys, "--dry-run")
    assert "levels deep" in err
    assert f"error: {source}:" in err  # with the line where it goes too deep


def test_an_outline_at_the_depth_limit_is_read_whole(tmp_path: Path) -> None:
    from fomo.formats import read_file
    from fomo.formats.tree import count, height

    source = tmp_path / "ok.md"
    outline = "".join("  " * i + f"- item{i}\n" for i in range(MAX_DEPTH))
    source.write_text("# Root\n" + outline, encoding="utf-8")
    tree = read_file(source)
    assert (count(tree), height(tree)) == (MAX_DEPTH + 1, MAX_DEPTH)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_dev_zero_is_refused_without_reading(
    starter_kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _refused(starter_kb, "/dev/zero", capsys)
    assert "not a regular file" in err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_named_like_a_map_is_refused_without_waiting(
    starter_kb: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "pipe.mm"
    os.mkfifo(fifo)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert "not a regular file" in _refused(starter_kb, str(fifo), capsys)


def test_a_file_over_the_size_limit_is_refused(
    starter_kb: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import fomo.formats

    monkeypatch.setattr(fomo.formats, "MAX_INPUT", 1000)
    source = tmp_path / "big.opml"
    source.write_text("<opml><body>" + "<outline text='a'/>" * 100 + "</body></opml>")
    assert "past the limit of 1,000" in _refused(starter_kb, str(source), capsys)


def test_a_folder_is_refused(
    starter_kb: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "folder.mm"
    folder.mkdir()
    _refused(starter_kb, str(folder), capsys)


# ---- one link rule for every exporter -----------------------------------------------------

HOSTILE_LINKS = (
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "ftp://example.org/file",
    "file:///etc/passwd",
    "vbscript:msgbox(1)",
)


@pytest.fixture
def hostile_kb(make_kb) -> Path:
    references = "".join(
        f'\n  - {{title: "r{i}", url: "{url}", kind: docs}}' for i, url in enumerate(HOSTILE_LINKS)
    )
    files = dict(STARTER)
    files["map/training/preferences/evil.md"] = topic_file(
        "Evil Links",
        "A topic whose links are all refused by check.",
        paper='{title: "P", url: "javascript:alert(2)", year: 2024}',
        references=references,
    )
    files["map/training/preferences/good.md"] = topic_file(
        "Good Link",
        "A topic with one web link.",
        references='\n  - {title: "ok", url: "https://example.org/ok", kind: docs}',
    )
    return make_kb(files)


def _export_text(kb: Path, fmt: str, tmp_path: Path) -> str:
    out = tmp_path / f"out.{fmt}"
    assert main(["export", fmt, "--kb", str(kb), "-o", str(out)]) == 0
    if fmt == "xmind":
        with zipfile.ZipFile(io.BytesIO(out.read_bytes())) as archive:
            return archive.read("content.json").decode("utf-8")
    return out.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["xmind", "freeplane", "opml", "markdown", "json"])
def test_no_exporter_writes_a_link_check_refuses(
    hostile_kb: Path, tmp_path: Path, fmt: str
) -> None:
    text = _export_text(hostile_kb, fmt, tmp_path)
    assert "Evil Links" in text
    lowered = text.lower()
    for scheme in ("javascript:", "data:text", "ftp:", "file:", "vbscript:"):
        assert scheme not in lowered, (fmt, scheme)
    assert "https://example.org/ok" in text  # web links still go through


def test_json_export_of_a_hostile_topic_has_no_links(hostile_kb: Path, tmp_path: Path) -> None:
    document = json.loads(_export_text(hostile_kb, "json", tmp_path))
    stack = [document["root"]]
    while stack:
        node = stack.pop()
        if node["title"] == "Evil Links":
            assert node["links"] == []
        stack.extend(node["children"])


@pytest.mark.parametrize("fmt", ["xmind", "freeplane", "opml", "outline", "json"])
def test_writers_drop_non_web_links_of_any_tree(fmt: str) -> None:
    """The rule holds in the writers too, for trees that do not come from a knowledge base."""
    import importlib

    from fomo.formats.tree import Link, Node

    module = importlib.import_module(f"fomo.formats.{fmt}")
    tree = Node("Root", id="root", links=[Link(u) for u in HOSTILE_LINKS])
    out = module.write(tree)
    if isinstance(out, bytes):
        with zipfile.ZipFile(io.BytesIO(out)) as archive:
            out = archive.read("content.json").decode("utf-8")
    for scheme in ("javascript:", "data:text", "ftp:", "file:", "vbscript:"):
        assert scheme not in out.lower(), (fmt, scheme)


def _deep_kb(make_kb, levels: int) -> Path:  # type: ignore[no-untyped-def]
    files = {"map/index.md": topic_file("Root", "The root.")}
    folder = "map"
    for i in range(levels):
        folder += f"/d{i}"
        files[f"{folder}/index.md"] = topic_file(f"Level {i}", f"Level {i} of a deep map.")
    return make_kb(files)


def test_exporting_a_branch_past_the_depth_limit_is_refused(
    make_kb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kb = _deep_kb(make_kb, MAX_DEPTH + 5)
    out = tmp_path / "out.json"
    code = main(["export", "json", "--kb", str(kb), "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert "map/index.md" in err and "--depth" in err and not out.exists()
    assert main(["export", "json", "--kb", str(kb), "--depth", str(MAX_DEPTH), "-o", str(out)]) == 0


def test_svg_layout_walks_deep_trees_without_recursion() -> None:
    from fomo.formats import svg
    from fomo.formats.tree import Node

    root = Node("Root", id="root")
    current = root
    for i in range(3_000):  # three times Python's recursion limit
        current.children = [Node(f"Level {i}", id=f"l{i}")]
        current = current.children[0]
    assert svg.write(root).count("Level ") >= 3_000


# ---- fuzz: random bytes and random structures, a tree or a FomoError -----------------------

READERS = ("xmind", "freeplane", "opml", "outline", "json")
FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "title",
                    "id",
                    "children",
                    "attached",
                    "detached",
                    "notes",
                    "plain",
                    "content",
                    "href",
                    "labels",
                    "rootTopic",
                    "relationships",
                    "end1Id",
                    "end2Id",
                    "format",
                    "version",
                    "root",
                    "links",
                    "url",
                    "aliases",
                    "year",
                    "relations",
                    "kind",
                    "target",
                    "essence",
                    "note",
                ]
            ),
            inner,
            max_size=6,
        )
    ),
    max_leaves=30,
)


def _read(fmt: str, data: bytes) -> None:
    import importlib

    from fomo.formats.tree import Node, walk

    try:
        tree = importlib.import_module(f"fomo.formats.{fmt}").read(data, f"fuzz.{fmt}", [])
    except FomoError:
        return
    assert isinstance(tree, Node)
    for node in walk(tree):  # whatever came in, no link but a web link survives
        assert all(link.url.lower().startswith(("http://", "https://")) for link in node.links)


@FUZZ
@given(fmt=st.sampled_from(READERS), data=st.binary(max_size=600))
def test_fuzz_random_bytes(fmt: str, data: bytes) -> None:
    _read(fmt, data)


@FUZZ
@given(
    fmt=st.sampled_from(READERS),
    head=st.sampled_from([b"PK\x03\x04", b"<map>", b"<opml>"]),
    data=st.binary(max_size=300),
)
def test_fuzz_plausible_heads(fmt: str, head: bytes, data: bytes) -> None:
    _read(fmt, head + data)


@FUZZ
@given(document=_JSON, version=st.sampled_from([1, 2, None]))
def test_fuzz_json_structures(document, version) -> None:  # type: ignore[no-untyped-def]
    _read("json", json.dumps(document).encode())
    wrapped = {"format": "fomo-map", "version": version, "root": document}
    _read("json", json.dumps(wrapped).encode())


@FUZZ
@given(sheets=_JSON)
def test_fuzz_xmind_structures(sheets) -> None:  # type: ignore[no-untyped-def]
    _read("xmind", zip_bytes({"content.json": json.dumps(sheets).encode()}))
    _read("xmind", zip_bytes({"content.json": json.dumps([{"rootTopic": sheets}]).encode()}))


_XML_TAGS = st.sampled_from(
    [
        "map",
        "node",
        "opml",
        "body",
        "outline",
        "richcontent",
        "p",
        "attribute",
        "arrowlink",
        "head",
        "title",
    ]
)
_XML_ATTRS = st.dictionaries(
    st.sampled_from(
        [
            "TEXT",
            "ID",
            "LINK",
            "NAME",
            "VALUE",
            "DESTINATION",
            "TYPE",
            "text",
            "url",
            "_note",
            "MIDDLE_LABEL",
        ]
    ),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=15),
    max_size=3,
)


@st.composite
def _xml(draw, depth: int = 0) -> str:  # type: ignore[no-untyped-def]
    from xml.sax.saxutils import quoteattr

    tag = draw(_XML_TAGS)
    attrs = "".join(f" {k}={quoteattr(v)}" for k, v in draw(_XML_ATTRS).items())
    kids = draw(st.lists(_xml(depth + 1), max_size=3)) if depth < 4 else []
    return f"<{tag}{attrs}>{''.join(kids)}</{tag}>"


@FUZZ
@given(
    fmt=st.sampled_from(["freeplane", "opml"]),
    top=st.sampled_from(["map", "opml"]),
    body=st.lists(_xml(), max_size=3),
)
def test_fuzz_xml_structures(fmt: str, top: str, body: list[str]) -> None:
    inner = "".join(body)
    _read(fmt, f"<{top}>{inner}</{top}>".encode())
    _read(fmt, f"<opml><body>{inner}</body></opml>".encode())


@FUZZ
@given(
    lines=st.lists(
        st.tuples(
            st.integers(0, 12),
            st.sampled_from(["- ", "* ", "1. ", "# ", "## ", "> ", ""]),
            st.text(max_size=20),
        ),
        max_size=30,
    )
)
def test_fuzz_markdown_outlines(lines: list[tuple[int, str, str]]) -> None:
    text = "".join(" " * indent + mark + words + "\n" for indent, mark, words in lines)
    _read("outline", text.encode("utf-8", "surrogatepass"))
