"""Judge each item against the map: already known (-> its topic), new (with its top suggested
parents), or unrelated to LLMs (nothing in the map is close and no LLM vocabulary is used)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from fomo.errors import FomoError
from fomo.ingest.items import Item
from fomo.kb.names import name_key
from fomo.query.place import Candidate, Existing, PlacementModel, tokens

KNOWN, NEW, UNRELATED = "known", "new", "unrelated"
# Below this best-parent score, an item is unrelated unless it speaks of LLMs: a short title can
# share one rare word with some topic (a high cosine), but no parent gathers real support.
UNRELATED_SCORE = 0.2
_LLM_CUES = frozenset(
    tokens(
        "llm llms language model language models transformer gpt chatgpt bert token tokens "
        "prompt prompting chatbot instruction tuning fine-tuning rlhf in-context attention "
        "pretraining pre-training retrieval-augmented rag agent agents reasoning thinking "
        "chain-of-thought decoding inference alignment embeddings nlp natural-language "
        "text-generation generative multimodal"
    )
)


@dataclass
class Verdict:
    item: Item
    status: str
    existing: Existing | None = None
    candidates: list[Candidate] = field(default_factory=list)
    duplicate_of: str | None = None  # `where` of an earlier item with the same title
    notices: list[str] = field(default_factory=list)

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.item.as_dict(),
            "status": self.status,
            "existing": self.existing.as_dict() if self.existing else None,
            "candidates": [c.as_dict() for c in self.candidates],
            "duplicate_of": self.duplicate_of,
            "notices": self.notices,
        }


def speaks_of_llms(text: str) -> bool:
    return not _LLM_CUES.isdisjoint(tokens(text))


def judge(model: PlacementModel, item: Item, *, top: int = 3) -> Verdict:
    try:
        placement = model.place(item.title, item.summary, top=top)
    except FomoError as error:
        return Verdict(item, UNRELATED, notices=[error.message])
    if placement.existing is not None:
        status = KNOWN
    elif (
        not placement.candidates or placement.candidates[0].score < UNRELATED_SCORE
    ) and not speaks_of_llms(f"{item.title} {item.summary}"):
        status = UNRELATED
    else:
        status = NEW
    return Verdict(
        item,
        status,
        existing=placement.existing,
        candidates=placement.candidates if status != UNRELATED else [],
        notices=placement.notices,
    )


def triage(
    model: PlacementModel,
    items: Iterable[Item],
    *,
    top: int = 3,
    progress: Callable[[int], None] | None = None,
) -> list[Verdict]:
    """A verdict per item, in order; repeated titles point at their first occurrence."""
    verdicts: list[Verdict] = []
    seen: dict[str, str] = {}
    for done, item in enumerate(items, start=1):
        verdict = judge(model, item, top=top)
        key = name_key(item.title)
        if key and key in seen:
            verdict.duplicate_of = seen[key]
        elif key:
            seen[key] = item.where
        verdicts.append(verdict)
        if progress is not None:
            progress(done)
    return verdicts
