"""The protocol every search engine implements; the conformance suite checks it."""

from __future__ import annotations

from collections.abc import AsyncIterable, Callable, Iterable, Sequence
from typing import Protocol, runtime_checkable

from search.lexicon import Lexicon
from search.types import Health, SearchDocument, SearchQuery, SearchResult

DocumentSource = AsyncIterable[SearchDocument] | Iterable[SearchDocument]
Progress = Callable[[int], None]


@runtime_checkable
class SearchEngine(Protocol):
    name: str

    async def upsert(self, docs: Sequence[SearchDocument]) -> None:
        """Add or replace documents by id."""

    async def delete(self, ids: Sequence[str]) -> None:
        """Remove documents by id; unknown ids are ignored."""

    async def search(self, query: SearchQuery) -> SearchResult:
        """Hits, total and facets (kind, category, product, status) over the caller's visible set."""

    async def similar(self, doc_id_or_text: str, query: SearchQuery) -> SearchResult:
        """More-like-this from an indexed document id or from free text; the source is excluded."""

    async def health(self) -> Health: ...

    async def count(self) -> int: ...

    async def all_ids(self) -> set[str]: ...

    async def rebuild(self, docs: DocumentSource, progress: Progress | None = None) -> int:
        """Build a fresh index from `docs`, then swap it in atomically; returns the count."""

    async def configure(self, lexicon: Lexicon) -> None: ...

    async def warm_up(self) -> None:
        """Load what the first search would need (index files, vectors, the embedding model), so that
        no reader waits for it; called once at startup."""

    async def close(self) -> None: ...


async def iterate(docs: DocumentSource) -> AsyncIterable[SearchDocument]:
    """Walk a sync or async source the same way."""
    if isinstance(docs, AsyncIterable):
        async for doc in docs:
            yield doc
    else:
        for doc in docs:
            yield doc
