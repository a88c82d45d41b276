"""Plain-data document sources and documents for the search tests (the real ones live in other domains)."""

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from search.engine import SearchEngine
from search.lexicon import Lexicon
from search.types import EngineUnavailable, Health, SearchDocument, SearchQuery, SearchResult

from app.settings import Settings

WHEN = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)


def document(doc_id: str, title: str, body: str = "", **values: Any) -> SearchDocument:
    kind = values.pop("kind", doc_id.split(":")[0])
    base: dict[str, Any] = {
        "id": doc_id, "kind": kind, "title": title, "body": body, "tags": [], "category": "", "product": "",
        "language": "it", "audience": "public", "company_id": None, "requester_id": None, "status": "",
        "url": "/" + doc_id.replace(":", "/"), "updated_at": WHEN,
    }
    return SearchDocument(**{**base, **values})


def ticket(number: int, title: str, company_id: int, requester_id: int, **values: Any) -> SearchDocument:
    return document(f"ticket:{number}", title, values.pop("body", ""), audience="company", company_id=company_id,
                    requester_id=requester_id, status=values.pop("status", "risolto"), **values)


@dataclass
class DictSource:
    """A DocumentSource over a dict the test edits: object id -> its current documents."""

    name: str
    objects: dict[str, list[SearchDocument]] = field(default_factory=dict)
    multi_document: bool = True
    fail_with: Exception | None = None

    async def build(self, object_ids: Sequence[str]) -> dict[str, list[SearchDocument]]:
        if self.fail_with is not None:
            raise self.fail_with
        return {oid: list(self.objects[oid]) for oid in object_ids if oid in self.objects}

    async def all_object_ids(self) -> AsyncIterator[str]:
        for object_id in list(self.objects):
            yield object_id

    def put(self, *docs: SearchDocument) -> None:
        for doc in docs:
            object_id = doc.id.split(":")[1]
            self.objects.setdefault(object_id, [])
            self.objects[object_id] = [d for d in self.objects[object_id] if d.id != doc.id] + [doc]


async def index(settings: Settings, *docs: SearchDocument) -> None:
    """Put documents straight into the engine the portal uses (as the indexer would)."""
    from app.searching.engine import get_engine

    await get_engine(settings).upsert(list(docs))


class FlakyEngine:
    """A real engine that, while `down` is set, fails every call the way an unreachable server does."""

    def __init__(self, engine: SearchEngine) -> None:
        self.engine = engine
        self.name = engine.name
        self.down = False

    def _check(self) -> None:
        if self.down:
            raise EngineUnavailable("connection refused")

    async def upsert(self, docs: Sequence[SearchDocument]) -> None:
        self._check()
        await self.engine.upsert(docs)

    async def delete(self, ids: Sequence[str]) -> None:
        self._check()
        await self.engine.delete(ids)

    async def search(self, query: SearchQuery) -> SearchResult:
        self._check()
        return await self.engine.search(query)

    async def similar(self, doc_id_or_text: str, query: SearchQuery) -> SearchResult:
        self._check()
        return await self.engine.similar(doc_id_or_text, query)

    async def health(self) -> Health:
        if self.down:
            return Health(False, self.name, 0, "connection refused")
        return await self.engine.health()

    async def count(self) -> int:
        self._check()
        return await self.engine.count()

    async def all_ids(self) -> set[str]:
        self._check()
        return await self.engine.all_ids()

    async def rebuild(self, docs: Any, progress: Any = None) -> int:
        self._check()
        return await self.engine.rebuild(docs, progress)

    async def configure(self, lexicon: Lexicon) -> None:
        self._check()
        await self.engine.configure(lexicon)

    async def warm_up(self) -> None:
        self._check()
        await self.engine.warm_up()

    async def close(self) -> None:
        await self.engine.close()
