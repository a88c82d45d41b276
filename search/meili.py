"""The scale-out engine: Meilisearch through meilisearch_python_sdk.AsyncClient.

Settings are set in code; every write waits on its task id. Meilisearch ids allow only
[A-Za-z0-9_-], so the primary key `pk` is the hex of our id (which stays in `id`).

Hybrid search (with `semantic`): documents carry their e5 vector in `_vectors` for a `userProvided`
embedder, computed here at write time (the indexer's call); a search sends a keyword query and a
vector query with the same filters and fuses the two rankings in the portal (search/semantic.py),
as the embedded engine does, so both engines rank alike. Total and facets count the keyword
matches plus the neighbours at or above the similarity floor, exactly: a third query tells which
neighbours the keyword query also matched.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import time
from collections.abc import AsyncIterator, Awaitable, Sequence
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import httpx
from markupsafe import Markup, escape
from meilisearch_python_sdk import AsyncClient
from meilisearch_python_sdk.errors import (
    MeilisearchApiError,
    MeilisearchCommunicationError,
    MeilisearchTimeoutError,
)
from meilisearch_python_sdk.index import AsyncIndex
from meilisearch_python_sdk.models.settings import (
    Faceting,
    LocalizedAttributes,
    MeilisearchSettings,
    MinWordSizeForTypos,
    Pagination,
    TypoTolerance,
    UserProvidedEmbedder,
)
from meilisearch_python_sdk.models.search import Hybrid

from search import access
from search.access import And, Eq, Filter, In, MatchAll, Or
from search.arrange import arranged_page, reach
from search.embedded_query import query_filters
from search.engine import DocumentSource, Progress, iterate
from search.lexicon import Lexicon
from search.semantic import LEXICAL_DEPTH, SIMILARITY_FLOOR, VECTOR_DEPTH, Semantic, fuse
from search.types import (
    FACET_FIELDS,
    EngineUnavailable,
    Health,
    Hit,
    SearchDocument,
    SearchQuery,
    SearchResult,
)

T = TypeVar("T")
PRE, POST = "\x02", "\x03"  # highlight tags no document contains; swapped for <mark> after escaping
BATCH = 1000
TASK_TIMEOUT_MS = 120_000
CROP_WORDS = {"search": 30, "similar": 30, "suggest": 14}
SIMILAR_WORDS = 10
FILTERABLE = ["id", "kind", "category", "product", "status", "language", "audience", "company_id", "requester_id"]
EMBEDDER = "e5"


def primary_key(doc_id: str) -> str:
    return doc_id.encode().hex()


def filter_expression(node: Filter) -> str | None:
    """The access AST in Meilisearch's filter syntax; None means no restriction."""
    match node:
        case MatchAll():
            return None
        case Eq(field, value):
            return f"{field} = {_literal(value)}"
        case In(field, values):
            return f"{field} IN [{', '.join(_literal(v) for v in values)}]"
        case And(parts):
            return " AND ".join(f"({e})" for p in parts if (e := filter_expression(p)) is not None) or None
        case Or(parts):
            expressions = [filter_expression(p) for p in parts]
            if any(e is None for e in expressions):
                return None
            return " OR ".join(f"({e})" for e in expressions)
    raise TypeError(f"unknown filter node {node!r}")


def _literal(value: str | int) -> str:
    return str(value) if isinstance(value, int) else json.dumps(value)


def settings_for(lexicon: Lexicon, semantic: bool = False) -> MeilisearchSettings:
    synonyms = {phrase: [a for a in alternatives if a != phrase] for phrase, alternatives in lexicon.equivalents().items()}
    return MeilisearchSettings(
        searchableAttributes=list(access.STAFF_FIELDS),
        filterableAttributes=FILTERABLE,
        sortableAttributes=["updated_at_ts"],
        rankingRules=["words", "typo", "proximity", "attribute", "sort", "exactness"],
        typoTolerance=TypoTolerance(enabled=True, minWordSizeForTypos=MinWordSizeForTypos(oneTypo=5, twoTypos=9)),
        synonyms=synonyms,
        stopWords=sorted(lexicon.stop_words),
        localizedAttributes=[LocalizedAttributes(locales=["ita", "eng"], attributePatterns=list(access.STAFF_FIELDS))],
        faceting=Faceting(maxValuesPerFacet=200),
        pagination=Pagination(maxTotalHits=1000),
        embedders={EMBEDDER: UserProvidedEmbedder(dimensions=384)} if semantic else None,
    )


def to_meili(doc: SearchDocument, vectors: dict[str, Any] | None = None) -> dict[str, Any]:
    """With `vectors` (hybrid search on), the document's own vector, or null: none yet, keyword only."""
    data = doc.to_json()
    data["pk"] = primary_key(doc.id)
    data["updated_at_ts"] = int(doc.updated_at.timestamp())
    if vectors is not None:
        vector = vectors.get(doc.id)
        data["_vectors"] = {EMBEDDER: None if vector is None else [float(x) for x in vector]}
    return data


def vector_score(cosine: float) -> float:
    """Meilisearch's ranking score of a vector match is (1 + cosine) / 2."""
    return (1 + cosine) / 2


def marked(text: str) -> Markup:
    return Markup(str(escape(text)).replace(PRE, "<mark>").replace(POST, "</mark>"))


class MeiliEngine:
    name = "meilisearch"

    def __init__(
        self, url: str, api_key: str | None, index_uid: str = "sportello", lexicon: Lexicon | None = None,
        semantic: Semantic | None = None,
    ) -> None:
        self.url = url
        self.semantic = semantic
        self.index_uid = index_uid
        self._client = AsyncClient(url, api_key, timeout=10)
        self._lexicon = lexicon or Lexicon.default()
        self._ready = False

    # -- plumbing --------------------------------------------------------------------------

    @asynccontextmanager
    async def _reachable(self) -> AsyncIterator[None]:
        try:
            yield
        except (MeilisearchCommunicationError, MeilisearchTimeoutError, httpx.TransportError) as error:
            raise EngineUnavailable(f"meilisearch at {self.url}: {error}") from error

    async def _wait(self, pending: Awaitable[Any]) -> None:
        task = await pending
        await self._client.wait_for_task(task.task_uid, timeout_in_ms=TASK_TIMEOUT_MS, raise_for_status=True)

    async def _prepare(self, uid: str) -> AsyncIndex:
        index = await self._client.get_or_create_index(uid, primary_key="pk")
        await self._wait(index.update_settings(settings_for(self._lexicon, self.semantic is not None)))
        return index

    async def _index(self) -> AsyncIndex:
        if not self._ready:
            await self._prepare(self.index_uid)
            self._ready = True
        return self._client.index(self.index_uid)

    # -- writes ----------------------------------------------------------------------------

    async def warm_up(self) -> None:
        if self.semantic is not None:
            await asyncio.to_thread(self.semantic.embedder.ready)

    async def configure(self, lexicon: Lexicon) -> None:
        self._lexicon = lexicon
        async with self._reachable():
            await self._prepare(self.index_uid)
            self._ready = True

    async def upsert(self, docs: Sequence[SearchDocument]) -> None:
        async with self._reachable():
            index = await self._index()
            for start in range(0, len(docs), BATCH):
                batch = await self._documents(docs[start : start + BATCH])
                await self._wait(index.add_documents(batch, primary_key="pk"))

    async def delete(self, ids: Sequence[str]) -> None:
        if not ids:
            return
        async with self._reachable():
            index = await self._index()
            await self._wait(index.delete_documents([primary_key(i) for i in ids]))

    async def rebuild(self, docs: DocumentSource, progress: Progress | None = None) -> int:
        staging = f"{self.index_uid}_new"
        async with self._reachable():
            await self._index()
            await self._client.delete_index_if_exists(staging)
            fresh = await self._prepare(staging)
            written, batch = 0, []
            async for doc in iterate(docs):
                batch.append(doc)
                if len(batch) >= BATCH:
                    await self._wait(fresh.add_documents(await self._documents(batch), primary_key="pk"))
                    written, batch = written + len(batch), []
                    if progress:
                        progress(written)
            if batch:
                await self._wait(fresh.add_documents(await self._documents(batch), primary_key="pk"))
                written += len(batch)
            await self._wait(self._client.swap_indexes([(self.index_uid, staging)]))
            await self._client.delete_index_if_exists(staging)
        if progress:
            progress(written)
        return written

    async def _documents(self, docs: Sequence[SearchDocument]) -> list[dict[str, Any]]:
        vectors = await self.semantic.vectors_for(docs) if self.semantic is not None else None
        return [to_meili(doc, vectors) for doc in docs]

    # -- reads -----------------------------------------------------------------------------

    async def search(self, query: SearchQuery) -> SearchResult:
        """Meilisearch's ranking (or its fusion with the vectors), then arranged in the portal as the
        embedded engine arranges its own (search.arrange)."""
        candidates = reach(query)
        embedding = self.semantic.start_query(query.text) if self.semantic is not None else None
        vector = await asyncio.wrap_future(embedding) if embedding is not None else None
        if vector is None:
            found = await self._run(candidates, query.text, "last", query.exclude_ids)
        else:
            found = await self._hybrid(candidates, [float(x) for x in vector])
        return arranged_page(found, query, query.principal.language)

    async def _hybrid(self, query: SearchQuery, vector: list[float]) -> SearchResult:
        """A keyword query and a vector query, fused by reciprocal rank (see the module's docstring)."""
        started = time.perf_counter()
        window = dataclasses.replace(query, offset=0, limit=max(LEXICAL_DEPTH, query.offset + query.limit))
        filters = self._filters(query, query.exclude_ids)
        keyword, near = await asyncio.gather(
            self._run(window, query.text, "last", query.exclude_ids), self._nearest(query, vector, filters)
        )
        near_ids = [str(raw["id"]) for raw in near]
        also_keyword = await self._keyword_matches(query, near_ids, filters)
        only_near = [raw for raw in near if str(raw["id"]) not in also_keyword]
        facets = {name: dict(counts) for name, counts in keyword.facets.items()}
        for raw in only_near:
            for name in FACET_FIELDS:
                if raw.get(name):
                    facets[name][str(raw[name])] = facets[name].get(str(raw[name]), 0) + 1
        snippet_fields = [f for f in access.highlight_fields(query.principal) if f not in ("title", "tags")]
        hits = {str(raw["id"]): self._hit(raw, snippet_fields, query) for raw in only_near}
        hits |= {hit.id: hit for hit in keyword.hits}
        page = fuse([[hit.id for hit in keyword.hits], near_ids])[query.offset : query.offset + query.limit]
        ranked = [dataclasses.replace(hits[doc_id], score=score) for doc_id, score in page if doc_id in hits]
        elapsed = round((time.perf_counter() - started) * 1000, 3)
        return SearchResult(ranked, keyword.total + len(only_near), facets, elapsed)

    async def _nearest(self, query: SearchQuery, vector: list[float], filters: list[str]) -> list[dict[str, Any]]:
        snippet_fields = [f for f in access.highlight_fields(query.principal) if f not in ("title", "tags")]
        async with self._reachable():
            index = await self._index()
            found = await index.search(
                None, vector=vector, hybrid=Hybrid(semantic_ratio=1.0, embedder=EMBEDDER), limit=VECTOR_DEPTH,
                filter=filters or None, ranking_score_threshold=vector_score(SIMILARITY_FLOOR),
                attributes_to_retrieve=list(access.retrievable_fields(query.principal)),
                attributes_to_highlight=["title", *snippet_fields], attributes_to_crop=snippet_fields,
                crop_length=CROP_WORDS.get(query.purpose, 30), crop_marker="…",
                highlight_pre_tag=PRE, highlight_post_tag=POST,
            )
        return list(found.hits)

    async def _keyword_matches(self, query: SearchQuery, ids: list[str], filters: list[str]) -> set[str]:
        """Which of `ids` the keyword query matches too."""
        if not ids:
            return set()
        async with self._reachable():
            index = await self._index()
            found = await index.search(
                query.text.strip(), limit=len(ids), filter=[*filters, filter_expression(In("id", tuple(ids)))],
                attributes_to_retrieve=["id"], attributes_to_search_on=list(access.searchable_fields(query.principal)),
                matching_strategy="last",
            )
        return {str(raw["id"]) for raw in found.hits}

    async def similar(self, doc_id_or_text: str, query: SearchQuery) -> SearchResult:
        source = await self._visible_source(doc_id_or_text, query)
        if source is not None:
            text = " ".join(str(source.get(name) or "") for name in ("title", "resolution", "body"))
            excluded = (*query.exclude_ids, source["id"])
        elif ":" in doc_id_or_text and " " not in doc_id_or_text.strip():
            return SearchResult([], 0, {}, 0.0)
        else:
            text, excluded = doc_id_or_text, tuple(query.exclude_ids)
        words = [w for w in text.split() if w.lower() not in self._lexicon.stop_words][:SIMILAR_WORDS]
        if not words:
            return SearchResult([], 0, {}, 0.0)
        return await self._run(query, " ".join(words), "frequency", excluded)

    async def _visible_source(self, doc_id: str, query: SearchQuery) -> dict[str, Any] | None:
        if " " in doc_id.strip() or ":" not in doc_id:
            return None
        filters = self._filters(query, ()) + [filter_expression(Eq("id", doc_id))]
        async with self._reachable():
            index = await self._index()
            found = await index.search(
                None, limit=1, filter=[f for f in filters if f],
                attributes_to_retrieve=list(access.retrievable_fields(query.principal)),
            )
        return found.hits[0] if found.hits else None

    def _filters(self, query: SearchQuery, excluded: Sequence[str]) -> list[str]:
        nodes = [access.visibility_filter(query.principal), *query_filters(query)]
        expressions = [e for node in nodes if (e := filter_expression(node)) is not None]
        if excluded:
            expressions.append(f"id NOT IN [{', '.join(json.dumps(i) for i in excluded)}]")
        return expressions

    async def _run(self, query: SearchQuery, text: str, strategy: str, excluded: Sequence[str]) -> SearchResult:
        started = time.perf_counter()
        fields = list(access.searchable_fields(query.principal))
        snippet_fields = [f for f in access.highlight_fields(query.principal) if f not in ("title", "tags")]
        async with self._reachable():
            index = await self._index()
            found = await index.search(
                text.strip() or None,
                offset=query.offset,
                limit=query.limit,
                filter=self._filters(query, excluded) or None,
                facets=list(FACET_FIELDS),
                attributes_to_retrieve=list(access.retrievable_fields(query.principal)),
                attributes_to_search_on=fields,
                attributes_to_highlight=["title", *snippet_fields],
                attributes_to_crop=snippet_fields,
                crop_length=CROP_WORDS.get(query.purpose, 30),
                crop_marker="…",
                highlight_pre_tag=PRE,
                highlight_post_tag=POST,
                show_matches_position=True,
                show_ranking_score=True,
                matching_strategy=strategy,  # type: ignore[arg-type]
                sort=None if text.strip() else ["updated_at_ts:desc"],
            )
        hits = [self._hit(raw, snippet_fields, query) for raw in found.hits]
        facets = {
            name: {k: int(v) for k, v in (found.facet_distribution or {}).get(name, {}).items() if k}
            for name in FACET_FIELDS
        }
        total = found.estimated_total_hits if found.estimated_total_hits is not None else (found.total_hits or 0)
        return SearchResult(hits, int(total), facets, round((time.perf_counter() - started) * 1000, 3))

    def _hit(self, raw: dict[str, Any], snippet_fields: list[str], query: SearchQuery) -> Hit:
        formatted = raw.get("_formatted") or {}
        positions = raw.get("_matchesPosition") or {}
        matched = [f for f in snippet_fields if f in positions and formatted.get(f)]
        candidates = matched or [f for f in snippet_fields if formatted.get(f)]
        snippet = marked(str(formatted[candidates[0]])) if candidates else Markup("")
        doc = SearchDocument.from_json({k: raw.get(k) for k in access.retrievable_fields(query.principal) if k in raw}
                                       | _defaults(raw))
        allowed = access.retrievable_fields(query.principal)
        fields = {name: value for name, value in doc.to_json().items() if name in allowed}
        fields["updated_at"] = doc.updated_at
        return Hit(
            doc.id, doc.kind, doc.title, marked(str(formatted.get("title") or doc.title)), snippet, doc.url,
            float(raw.get("_rankingScore") or 0.0), doc.page, doc.status, doc.category, doc.updated_at, fields,
        )

    async def count(self) -> int:
        async with self._reachable():
            index = await self._index()
            stats = await index.get_stats()
        return int(stats.number_of_documents)

    async def all_ids(self) -> set[str]:
        ids: set[str] = set()
        async with self._reachable():
            index = await self._index()
            offset = 0
            while True:
                page = await index.get_documents(offset=offset, limit=BATCH, fields=["id"])
                ids.update(str(d["id"]) for d in page.results)
                offset += BATCH
                if offset >= page.total:
                    return ids

    async def health(self) -> Health:
        try:
            async with self._reachable():
                status = await self._client.health()
            documents = await self.count()
        except (EngineUnavailable, MeilisearchApiError) as error:
            return Health(False, self.name, 0, str(error))
        return Health(status.status == "available", self.name, documents, f"{self.url} index {self.index_uid}")

    async def close(self) -> None:
        await self._client.aclose()


def _defaults(raw: dict[str, Any]) -> dict[str, Any]:
    """Fields from_json needs even when not retrieved (staff_body for non-staff)."""
    return {"staff_body": raw.get("staff_body", ""), "extra": raw.get("extra") or {}, "tags": raw.get("tags") or []}
