"""A second, static text encoder for the semantic method: WordLlama's averaged token vectors.

Why a second encoder: the sentence encoder (all-MiniLM-L6-v2, `fomo.query.embed`) reads a
description written in other words well, but on its own it finds the right topic for a text
less often than the lexical model. WordLlama (token embeddings distilled from LLaMA 2's, mean
pooled) is a different view of the same text; on texts made from the map alone, the mean of the
two encoders' cosines, blended with the lexical cosine, finds the described topic more often
than either encoder does (benchmarks/RESULTS.md, "Placement, fourth session").

Why not `WordLlama.load()`: it looks for the bundled tokenizer under `tokenizer/` while the wheel
ships it under `tokenizers/`, so it would fall back to a download. Here both files are read from
the installed package, so nothing is ever fetched; there is no torch either. The topic vectors
take ~0.5 s, so they are cached like the sentence encoder's.
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fomo.errors import FomoError

PACKAGE = "wordllama"
WEIGHTS = "weights/l2_supercat_256.safetensors"
TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"
INSTALL_HINT = "install the extra: pip install 'llm-fomo[semantic]'"


def available() -> bool:
    return importlib.util.find_spec(PACKAGE) is not None


class WordVectors:
    """WordLlama (l2_supercat, 256 dimensions) from the files inside its wheel; unit vectors."""

    def __init__(self) -> None:
        if not available():
            raise FomoError("the semantic method needs the `wordllama` package", hint=INSTALL_HINT)
        import numpy as np
        import wordllama
        from safetensors import safe_open
        from tokenizers import Tokenizer
        from wordllama.inference import WordLlamaInference

        root = Path(wordllama.__file__).parent
        weights, tokenizer = root / WEIGHTS, root / TOKENIZER
        if not weights.is_file() or not tokenizer.is_file():
            raise FomoError(
                f"the wordllama package has no bundled {WEIGHTS} or {TOKENIZER}",
                hint="reinstall it from its wheel: pip install --force-reinstall wordllama",
            )
        with safe_open(str(weights), framework="np", device="cpu") as f:
            table = np.asarray(f.get_tensor("embedding.weight"))
        self.model = WordLlamaInference(table, Tokenizer.from_file(str(tokenizer)))

    def encode(self, texts: Sequence[str]) -> Any:
        """float32 array (len(texts), 256) of unit vectors (zeros for a text with no token)."""
        import numpy as np

        if not texts:
            return np.zeros((0, self.model.embedding.shape[1]), dtype=np.float32)
        with np.errstate(invalid="ignore", divide="ignore"):
            vectors = self.model.embed(list(texts), norm=True)
        return np.nan_to_num(np.asarray(vectors, dtype=np.float32))


@functools.lru_cache(maxsize=1)
def word_vectors() -> WordVectors:
    return WordVectors()


def encode_cached(texts: Sequence[str], encoder: Any) -> Any:
    """`encoder.encode(texts)`, from the FOMO cache when it holds them (`embed.embed_cached`)."""
    from fomo.query.embed import embed_cached

    return embed_cached(texts, encoder, name=f"{PACKAGE}/{WEIGHTS}/{type(encoder).__qualname__}")
