"""`fomo mcp`: started as a subprocess and called through the official SDK's stdio client."""

from __future__ import annotations

import json
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TextIO

import pytest

pytest.importorskip("mcp")

import anyio
from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

from fomo.cli import main


async def _session_calls(kb: Path, quiet: TextIO) -> dict[str, object]:
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "fomo", "mcp", "--kb", str(kb)],
        env={"FOMO_CACHE_DIR": os.environ["FOMO_CACHE_DIR"], "NO_COLOR": "1"},
    )
    out: dict[str, object] = {}
    async with (
        stdio_client(params, errlog=quiet) as (read, write),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        out["tools"] = sorted(t.name for t in (await session.list_tools()).tools)

        async def call(name: str, arguments: dict[str, object]) -> object:
            result = await session.call_tool(name, arguments)
            out[f"{name}-error"] = result.is_error
            return json.loads(result.content[0].text)

        out["where"] = await call("where", {"term": "D.P.O."})
        out["where-unknown"] = await call("where", {"term": "zzqx"})
        out["search"] = await call("search", {"query": "reward model"})
        out["tree"] = await call("tree", {"topic": "preferences", "depth": 1})
        out["place"] = await call("place", {"text": "Kahneman preference loss"})
        out["annotate"] = await call("annotate", {"text": "We tried DPO, then RLHF."})
        bad = await session.call_tool("annotate", {"text": "   "})
        out["annotate-empty"] = (bad.is_error, bad.content[0].text)
        templates = await session.list_resource_templates()
        out["templates"] = [t.uri_template for t in templates.resource_templates]
        topic = await session.read_resource("fomo://topics/dpo")
        out["resource"] = json.loads(topic.contents[0].text)
        listing = await session.read_resource("fomo://topics")
        out["listing"] = json.loads(listing.contents[0].text)
    return out


@pytest.fixture(scope="module")
def calls(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    from tests.conftest import STARTER

    kb = tmp_path_factory.mktemp("mcp") / "kb"
    for rel, text in STARTER.items():
        (kb / rel).parent.mkdir(parents=True, exist_ok=True)
        (kb / rel).write_text(text, encoding="utf-8")
    os.environ.setdefault("FOMO_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    # In a thread of its own: the browser tests' Playwright keeps an event loop running in the
    # main thread for the whole session, and anyio refuses to start a second one there.
    with open(os.devnull, "w") as quiet, ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(anyio.run, _session_calls, kb, quiet).result()


def test_every_tool_is_listed(calls: dict[str, object]) -> None:
    assert calls["tools"] == ["annotate", "place", "search", "tree", "where"]


def test_where_answers_like_where_json(calls: dict[str, object]) -> None:
    where = calls["where"]
    assert where["id"] == "dpo"
    assert [step["id"] for step in where["path"]][-2:] == ["preferences", "dpo"]
    assert calls["where-unknown"]["error"].startswith("no topic matches")


def test_search_tree_place_annotate(calls: dict[str, object]) -> None:
    assert any(hit["id"] == "rlhf" for hit in calls["search"])
    tree = calls["tree"]
    assert tree["id"] == "preferences"
    assert {child["id"] for child in tree["children"]} == {"rlhf", "dpo", "ppo"}
    assert calls["place"]["candidates"]
    assert [(m["text"], m["id"]) for m in calls["annotate"]] == [("DPO", "dpo"), ("RLHF", "rlhf")]
    assert calls["annotate"][0]["path"][-1] == "Direct Preference Optimization"
    error, message = calls["annotate-empty"]
    assert error and "empty" in message


def test_topics_are_resources(calls: dict[str, object]) -> None:
    assert calls["templates"] == ["fomo://topics/{topic_id}"]
    assert calls["resource"]["title"] == "Direct Preference Optimization"
    assert {"id": "dpo", "title": "Direct Preference Optimization",
            "uri": "fomo://topics/dpo"} in calls["listing"]  # fmt: skip


def test_a_wrong_kb_is_refused_before_serving(tmp_path: Path, capsys) -> None:
    assert main(["mcp", "--kb", str(tmp_path / "nowhere")]) == 2
    assert "error" in capsys.readouterr().err
