"""A synthetic knowledge base of any size, shaped like the real map: depth 6, kebab-case ids,
titles built from LLM vocabulary, acronym aliases and one-sentence essences. Shared by the
benchmarks so that each measures the same kind of map."""

from __future__ import annotations

import random
from pathlib import Path

WORDS = (
    "attention sparse rotary adaptive contrastive preference policy reward latent mixture expert "
    "gated linear recurrent state space token vocabulary retrieval augmented agent planning tool "
    "memory context window long chunked speculative draft verify quantized low rank adapter "
    "prefix prompt chain thought tree graph reflection critique judge benchmark evaluation "
    "alignment safety guard red team watermark distillation pruning kernel fused paged cache "
    "batching scheduling routing sharded pipeline tensor parallel federated multimodal vision "
    "audio video diffusion instruction tuning supervised reinforcement direct optimisation "
    "calibrated robust efficient scalable hierarchical recursive semantic structured"
).split()
NOUNS = (
    "Model Method Framework Benchmark Optimizer Decoder Encoder Tokenizer Library Dataset".split()
)


def _title(rng: random.Random, used: set[str]) -> str:
    while True:
        words = rng.sample(WORDS, rng.randint(2, 4))
        title = " ".join(w.capitalize() for w in words) + " " + rng.choice(NOUNS)
        if title not in used:
            used.add(title)
            return title


def _slug(title: str) -> str:
    return "-".join(title.lower().split())


def write_map(root: Path, topics: int, seed: int = 7, depth: int = 6) -> list[str]:
    """Write `topics` topic files under root/map and return their titles."""
    rng = random.Random(seed)
    used: set[str] = set()
    acronyms: set[str] = set()
    (root / "map").mkdir(parents=True, exist_ok=True)
    (root / "map" / "index.md").write_text(
        "---\ntitle: Synthetic Root\nessence: The root of a generated map.\n---\n", "utf-8"
    )
    # Breadth chosen so that `depth` levels hold the requested number of topics.
    folders: list[tuple[Path, int]] = [(root / "map", 0)]
    titles: list[str] = []
    frontier = 0
    while len(titles) < topics:
        parent, level = folders[frontier % len(folders)]
        frontier += 1
        if level >= depth:
            continue
        title = _title(rng, used)
        slug = _slug(title)
        acronym = "".join(w[0] for w in title.split()).upper() + str(len(titles))
        acronyms.add(acronym)
        essence = (
            f"A {title.split()[-1].lower()} that combines {title.split()[0].lower()} ideas with "
            f"{rng.choice(WORDS)} {rng.choice(WORDS)} to make large language models "
            f"{rng.choice(['faster', 'cheaper', 'safer', 'more accurate'])}."
        )
        text = (
            f"---\ntitle: {title}\naliases: [{acronym}]\nessence: {essence}\n"
            f"year: {rng.randint(2017, 2026)}\nadded: 2026-11-26\nreviewed: 2026-11-26\n---\n"
            f"{title} is discussed in relation to {rng.choice(WORDS)} and {rng.choice(WORDS)}.\n"
        )
        if level < depth - 1 and rng.random() < 0.35:
            folder = parent / slug
            folder.mkdir()
            (folder / "index.md").write_text(text, "utf-8")
            folders.append((folder, level + 1))
        else:
            (parent / f"{slug}.md").write_text(text, "utf-8")
        titles.append(title)
    return titles
