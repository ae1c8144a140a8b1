"""Small trees and hostile files shared by the format tests."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from fomo.formats.tree import Link, Node

SAMPLES = Path(__file__).parent / "samples"
TRICKY = 'Quotes "q" & <tags> \'s'


def small_tree() -> Node:
    dpo = Node(
        "Direct Preference Optimization",
        id="dpo",
        essence="Fine-tunes on preference pairs.",
        note="Longer body.\nSecond line.",
        aliases=["DPO"],
        year=2023,
        links=[Link("https://arxiv.org/abs/2305.18290", "DPO paper")],
        relations=[("builds_on", "rlhf")],
    )
    rlhf = Node("RLHF", id="rlhf", essence="Reward model then RL.")
    tricky = Node(TRICKY, id="tricky")
    prefs = Node("Preferences", id="prefs", children=[rlhf, dpo, tricky])
    return Node("Large Language Models", id="llm", children=[prefs])


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<map><node TEXT="&lol2;"/></map>
"""
