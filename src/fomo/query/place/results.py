"""What placement answers: the topic a text already names, and the candidate parents."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

METHOD = "lexical"
METHODS = ("lexical", "semantic")
# A paraphrase whose probability is under this is answered as a guess ("perhaps already known
# as"). On the 100 hand-written paraphrases (benchmarks/paraphrases.tsv), such answers named
# the wrong topic 9 times in 13 (both methods together); every other "already known" answer,
# 6 times in 163 (benchmarks/RESULTS.md, "Fifteenth session").
TENTATIVE_BELOW = 0.5


@dataclass
class Existing:
    """The topic the text already names or paraphrases."""

    id: str
    title: str
    score: float
    how: str  # how `where` matched it (`fomo.query.lookup`), "paraphrase" or "citation"

    @property
    def tentative(self) -> bool:
        """A paraphrase more likely wrong than right: shown as a guess, never as a fact."""
        return self.how == "paraphrase" and self.score < TENTATIVE_BELOW

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "score": round(self.score, 3),
            "how": self.how,
            "tentative": self.tentative,
        }


@dataclass
class Candidate:
    """A suggested parent with the evidence that made the case."""

    id: str
    title: str
    path: list[tuple[str, str]]  # (id, title) from the root down to the candidate
    score: float
    terms: list[str] = field(default_factory=list)
    nearest: list[tuple[str, str, float]] = field(default_factory=list)  # (id, title, sim)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "path": [{"id": i, "title": t} for i, t in self.path],
            "score": round(self.score, 3),
            "evidence": {
                "terms": self.terms,
                "nearest": [
                    {"id": i, "title": t, "score": round(s, 3)} for i, t, s in self.nearest
                ],
            },
        }


@dataclass
class Placement:
    text: str
    existing: Existing | None
    candidates: list[Candidate]
    best_similarity: float = 0.0  # of the single closest topic: near 0 means unrelated to the map
    notices: list[str] = field(default_factory=list)
    method: str = METHOD
    unrelated: bool = False  # no evidence the text is about LLMs (the rule `ingest` uses)

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": "known" if self.existing else "unrelated" if self.unrelated else "new",
            "existing": self.existing.as_dict() if self.existing else None,
            "candidates": [c.as_dict() for c in self.candidates],
            "method": self.method,
            "notices": self.notices,
        }
