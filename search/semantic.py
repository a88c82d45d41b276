"""Semantic search for the embedded engine: vectors for documents at write time, a vector for the
query at search time, and the fusion of the two rankings.

Fusion is reciprocal rank fusion (Cormack et al. 2009): a document scores sum(1 / (RRF_K + rank))
over the lexical and the vector ranking. It needs no score calibration between BM25 and cosine, and
RRF_K = 60 is the paper's constant, not tuned here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from search.embedding import Embedder, content_hash, passage_text
from search.types import SearchDocument
from search.vector_cache import VectorCache
from search.vectors import VectorStore

T = TypeVar("T")
RRF_K = 60
LEXICAL_DEPTH = 50  # lexical hits taken into the fusion (deeper pages take more)
VECTOR_DEPTH = 50  # nearest vectors taken into the fusion, and into totals and facets
SIMILARITY_FLOOR = 0.82  # see benchmarks/README.md: off-topic questions reach .75-.84, the right FAQ .84-.93
EMBED_BATCH = 16

_QUERY_THREAD = ThreadPoolExecutor(max_workers=2, thread_name_prefix="search-embed")


def fuse(rankings: Sequence[Sequence[str]], k: int = RRF_K) -> list[tuple[str, float]]:
    """Reciprocal rank fusion of ranked id lists: (id, score), best first; ties keep first-seen order."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, doc_id in enumerate(ranking, start=1):
            scores[doc_id] = scores.get(doc_id, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda item: -item[1])


class Semantic:
    """The embedder, plus an optional cache of vectors shared by many indexes (benchmarks)."""

    def __init__(self, embedder: Embedder | None = None, cache_dir: Path | None = None) -> None:
        self.embedder = embedder or Embedder()
        self.cache = VectorCache(cache_dir, self.embedder.name) if cache_dir else None

    @property
    def available(self) -> bool:
        return not self.embedder.failed

    def start_query(self, text: str, then: Callable[[np.ndarray], T] | None = None) -> Future[T | None] | None:
        """The query's vector, computed on a thread of its own while the lexical side runs; with `then`,
        what `then` makes of it, on that thread too. The future holds None when the model failed."""
        if self.embedder.failed or not text.strip():
            return None
        return _QUERY_THREAD.submit(self._query, text, then)

    def _query(self, text: str, then: Callable[[np.ndarray], T] | None) -> Any:
        vector = self.embedder.query(text)
        return vector if vector is None or then is None else then(vector)

    async def index(self, store: VectorStore, docs: Sequence[SearchDocument], reuse: VectorStore | None = None) -> int:
        """Vector rows for `docs` in `store`; returns how many passages were embedded (the rest came
        from `store`, `reuse` (the previous generation) or the cache). Runs on worker threads."""
        return await asyncio.to_thread(self._index_sync, store, list(docs), reuse)

    def _index_sync(self, store: VectorStore, docs: list[SearchDocument], reuse: VectorStore | None) -> int:
        hashed = [(doc, self.content_of(doc)) for doc in docs]
        wanted = {content for _, content in hashed}
        known = store.vectors_by_content(wanted)
        if reuse is not None:
            known |= reuse.vectors_by_content(wanted - known.keys())
        vectors, embedded = self._complete(hashed, known)
        store.append(hashed, vectors)
        return embedded

    async def vectors_for(self, docs: Sequence[SearchDocument]) -> dict[str, np.ndarray]:
        """Vectors by document id (from the cache, or embedded); a document the model failed on has none."""
        return await asyncio.to_thread(self._vectors_sync, list(docs))

    def _vectors_sync(self, docs: list[SearchDocument]) -> dict[str, np.ndarray]:
        hashed = [(doc, self.content_of(doc)) for doc in docs]
        vectors, _ = self._complete(hashed, {})
        return {doc.id: vectors[content] for doc, content in hashed if content in vectors}

    def content_of(self, doc: SearchDocument) -> str:
        return content_hash(self.embedder.name, passage_text(doc)).hex()

    def _complete(
        self, hashed: list[tuple[SearchDocument, str]], known: dict[str, np.ndarray]
    ) -> tuple[dict[str, np.ndarray], int]:
        """`known` plus the cache's vectors and newly embedded ones; and how many were embedded."""
        wanted = {content for _, content in hashed}
        if self.cache is not None:
            known = known | self.cache.get(wanted - known.keys())
        missing = {content: passage_text(doc) for doc, content in hashed if content not in known}
        embedded = self._embed(missing)
        if self.cache is not None:
            self.cache.put(embedded)
        return known | embedded, len(embedded)

    def _embed(self, texts: dict[str, str]) -> dict[str, np.ndarray]:
        contents = list(texts)
        vectors: dict[str, np.ndarray] = {}
        for start in range(0, len(contents), EMBED_BATCH):
            batch = contents[start : start + EMBED_BATCH]
            matrix = self.embedder.passages([texts[content] for content in batch])
            if matrix is None:
                break  # the model failed: these documents stay lexical only
            vectors.update(zip(batch, matrix))
        return vectors
