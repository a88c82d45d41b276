"""The index from scratch: every document every source produces, for `reindex` (rebuild, then swap)
and `verify` (which ids the index should hold against the ones it holds)."""

from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass

from search.engine import SearchEngine
from search.types import SearchDocument

from app.searching.sources import DocumentSource

BUILD_CHUNK = 200

Sources = Mapping[str, DocumentSource]
Progress = Callable[[int], None]  # called with the number of objects just built


async def object_count(sources: Sources) -> int:
    return sum([1 async for _ in _object_ids(sources)])


async def _object_ids(sources: Sources) -> AsyncIterator[tuple[DocumentSource, str]]:
    for source in sources.values():
        async for object_id in source.all_object_ids():
            yield source, str(object_id)


async def all_documents(sources: Sources, progress: Progress | None = None) -> AsyncIterator[SearchDocument]:
    """Documents of every object of every source, built BUILD_CHUNK objects at a time."""
    for source in sources.values():
        chunk: list[str] = []
        async for object_id in source.all_object_ids():
            chunk.append(str(object_id))
            if len(chunk) >= BUILD_CHUNK:
                for doc in await _built(source, chunk, progress):
                    yield doc
                chunk = []
        for doc in await _built(source, chunk, progress):
            yield doc


async def _built(source: DocumentSource, object_ids: list[str], progress: Progress | None) -> list[SearchDocument]:
    if not object_ids:
        return []
    built = await source.build(object_ids)
    if progress:
        progress(len(object_ids))
    return [doc for object_id in object_ids for doc in built.get(object_id, [])]


async def reindex(engine: SearchEngine, sources: Sources, progress: Progress | None = None) -> int:
    """Rebuild into a new index from the database and swap it in; returns the number of documents."""
    return await engine.rebuild(all_documents(sources, progress))


@dataclass(frozen=True)
class Comparison:
    expected: int
    indexed: int
    missing: list[str]  # every id the sources produce that the index lacks, sorted
    extra: list[str]  # every id the index holds that no source produces, sorted

    @property
    def matches(self) -> bool:
        return not self.missing and not self.extra


async def compare(engine: SearchEngine, sources: Sources) -> Comparison:
    expected = {doc.id async for doc in all_documents(sources)}
    indexed = await engine.all_ids()
    return Comparison(len(expected), len(indexed), sorted(expected - indexed), sorted(indexed - expected))
