"""The default engine: tantivy, embedded, index in the data directory.

Layout under `path`: one directory per generation (`v1-000003/`) and a `CURRENT` file naming
the live one. `rebuild` fills a new generation, then replaces `CURRENT` atomically (os.replace);
every process notices the new pointer on its next query.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import tantivy
from tantivy import Query

from search import access
from search.embedded_query import plan_query, query_filters, restrict
from search.embedded_schema import (
    SCHEMA_VERSION,
    TEXT_FIELDS,
    build_schema,
    field_text,
    from_stored,
    register_analyzers,
    stem,
    text_language,
    to_tantivy,
    tokenize_plain,
    tokens_with_offsets,
)
from search.engine import DocumentSource, Progress, iterate
from markupsafe import Markup

from search.highlight import Stem, Token, best_window, matched_positions, render
from search.lexicon import Lexicon
from search.plan import QueryPlan, build_plan
from search.types import FACET_FIELDS, Health, Hit, SearchDocument, SearchQuery, SearchResult

POINTER = "CURRENT"
BATCH = 1000
WRITER_HEAP = 64_000_000
SNIPPET_WORDS = {"search": 30, "similar": 30, "suggest": 14}
FACET_SIZE = 200
MLT_TERMS = 25


class _Generation:
    """One opened index directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.schema = build_schema()
        directory.mkdir(parents=True, exist_ok=True)
        self.index = tantivy.Index(self.schema, path=str(directory), reuse=True)
        register_analyzers(self.index)
        self.writer: tantivy.IndexWriter | None = None

    def open_writer(self) -> tantivy.IndexWriter:
        if self.writer is None:
            self.writer = self.index.writer(WRITER_HEAP)
        return self.writer

    def close_writer(self) -> None:
        if self.writer is not None:
            self.writer.wait_merging_threads()
            self.writer = None

    def write(self, upserts: Sequence[SearchDocument], deletions: Sequence[str]) -> None:
        writer = self.open_writer()
        for doc_id in deletions:
            writer.delete_documents_by_term("id", doc_id)
        for doc in upserts:
            writer.delete_documents_by_term("id", doc.id)
            writer.add_document(to_tantivy(doc, self.schema))
        writer.commit()
        self.index.reload()


class EmbeddedEngine:
    name = "embedded"

    def __init__(self, path: Path, lexicon: Lexicon | None = None) -> None:
        self.path = Path(path)
        self._write_lock = asyncio.Lock()
        self._generation: _Generation | None = None
        self._pointer_stamp: int = -1
        self._open_lock = threading.Lock()
        self._rebuild_log: list[tuple[list[SearchDocument], list[str]]] | None = None
        self._apply_lexicon(lexicon or Lexicon.default())

    # -- lexicon ---------------------------------------------------------------------------

    async def configure(self, lexicon: Lexicon) -> None:
        self._apply_lexicon(lexicon)

    def _apply_lexicon(self, lexicon: Lexicon) -> None:
        table: dict[str, tuple[str, ...]] = {}
        for phrase, alternatives in lexicon.equivalents().items():
            key = " ".join(tokenize_plain(phrase))
            if key:
                table[key] = tuple(" ".join(tokenize_plain(a)) for a in alternatives if tokenize_plain(a))
        self._synonyms = table
        self._stop_words = frozenset(w for word in lexicon.stop_words for w in tokenize_plain(word))

    # -- storage ---------------------------------------------------------------------------

    def _current(self) -> _Generation:
        with self._open_lock:
            return self._current_unlocked()

    def _current_unlocked(self) -> _Generation:
        pointer = self.path / POINTER
        stamp = pointer.stat().st_mtime_ns if pointer.exists() else -1
        if self._generation is not None and stamp == self._pointer_stamp:
            return self._generation
        if stamp == -1 or not pointer.read_text().strip().startswith(f"{SCHEMA_VERSION}-"):
            name = self._new_generation_name()
            self._write_pointer(name)
            stamp = pointer.stat().st_mtime_ns
        name = pointer.read_text().strip()
        if self._generation is None or self._generation.directory.name != name:
            if self._generation is not None:
                self._generation.close_writer()
            self._generation = _Generation(self.path / name)
        self._pointer_stamp = stamp
        return self._generation

    def _new_generation_name(self) -> str:
        self.path.mkdir(parents=True, exist_ok=True)
        numbers = [int(m.group(1)) for p in self.path.iterdir() if (m := re.fullmatch(r"v\d+-(\d+)", p.name))]
        return f"{SCHEMA_VERSION}-{max(numbers, default=0) + 1:06d}"

    def _write_pointer(self, name: str) -> None:
        temporary = self.path / f"{POINTER}.tmp"
        temporary.write_text(name + "\n")
        os.replace(temporary, self.path / POINTER)

    # -- writes ----------------------------------------------------------------------------

    async def upsert(self, docs: Sequence[SearchDocument]) -> None:
        await self._write(list(docs), [])

    async def delete(self, ids: Sequence[str]) -> None:
        await self._write([], list(ids))

    async def _write(self, upserts: list[SearchDocument], deletions: list[str]) -> None:
        if not upserts and not deletions:
            return
        async with self._write_lock:
            if self._rebuild_log is not None:
                self._rebuild_log.append((upserts, deletions))
            for start in range(0, max(len(upserts), 1), BATCH):
                chunk = upserts[start : start + BATCH]
                await asyncio.to_thread(self._current().write, chunk, deletions if start == 0 else [])

    async def rebuild(self, docs: DocumentSource, progress: Progress | None = None) -> int:
        """Writes arriving during the rebuild go to the live index and are replayed into the new one."""
        async with self._write_lock:
            self._rebuild_log = []
            fresh = _Generation(self.path / self._new_generation_name())
        try:
            written = await self._fill(fresh, docs, progress)
            async with self._write_lock:
                for upserts, deletions in self._rebuild_log:
                    await asyncio.to_thread(fresh.write, upserts, deletions)
                fresh.close_writer()
                with self._open_lock:
                    old = self._generation
                    self._write_pointer(fresh.directory.name)
                    self._generation = fresh
                    self._pointer_stamp = (self.path / POINTER).stat().st_mtime_ns
                if old is not None and old.directory != fresh.directory:
                    old.close_writer()
                    shutil.rmtree(old.directory, ignore_errors=True)
        finally:
            self._rebuild_log = None
        return written

    async def _fill(self, fresh: _Generation, docs: DocumentSource, progress: Progress | None) -> int:
        written, batch = 0, []
        writer = fresh.open_writer()
        async for doc in iterate(docs):
            batch.append(doc)
            if len(batch) >= BATCH:
                written += await asyncio.to_thread(_add_all, writer, fresh.schema, batch)
                batch = []
                if progress:
                    progress(written)
        written += await asyncio.to_thread(_add_all, writer, fresh.schema, batch)
        await asyncio.to_thread(writer.commit)
        fresh.index.reload()
        if progress:
            progress(written)
        return written

    # -- reads -----------------------------------------------------------------------------

    async def search(self, query: SearchQuery) -> SearchResult:
        return await asyncio.to_thread(self._search_sync, query)

    async def similar(self, doc_id_or_text: str, query: SearchQuery) -> SearchResult:
        return await asyncio.to_thread(self._similar_sync, doc_id_or_text, query)

    async def count(self) -> int:
        return await asyncio.to_thread(lambda: self._current().index.searcher().num_docs)

    async def all_ids(self) -> set[str]:
        return await asyncio.to_thread(self._all_ids_sync)

    async def health(self) -> Health:
        try:
            documents = await self.count()
        except (OSError, ValueError) as error:
            return Health(False, self.name, 0, str(error))
        return Health(True, self.name, documents, str(self._current().directory))

    async def close(self) -> None:
        async with self._write_lock:
            if self._generation is not None:
                await asyncio.to_thread(self._generation.close_writer)
            self._generation = None

    def _all_ids_sync(self) -> set[str]:
        searcher = self._current().index.searcher()
        if searcher.num_docs == 0:
            return set()
        found = searcher.search(Query.all_query(), searcher.num_docs)
        return {searcher.doc(address).get_first("id") for _, address in found.hits}

    def _search_sync(self, query: SearchQuery) -> SearchResult:
        started = time.perf_counter()
        generation = self._current()
        plan = build_plan(
            query.text, tokenize_plain, self._synonyms, self._stop_words,
            prefix_last=query.purpose in ("search", "suggest"),
        )
        filters = [access.visibility_filter(query.principal), *query_filters(query)]
        fields = access.searchable_fields(query.principal)
        if plan.is_empty:
            scoring: Query = Query.all_query()
            final = restrict(generation.schema, scoring, filters, query.exclude_ids)
            return self._collect(generation, final, query, plan, started, by_date=True)
        final = restrict(generation.schema, plan_query(generation.schema, plan, fields, len(plan.groups)),
                         filters, query.exclude_ids)
        searcher = generation.index.searcher()
        if len(plan.groups) > 1 and searcher.search(final, 1).count == 0:
            # Like Meilisearch's matching strategy: when no document has every word, accept fewer.
            final = restrict(generation.schema, plan_query(generation.schema, plan, fields, 1), filters, query.exclude_ids)
        return self._collect(generation, final, query, plan, started)

    def _similar_sync(self, doc_id_or_text: str, query: SearchQuery) -> SearchResult:
        started = time.perf_counter()
        generation = self._current()
        filters = [access.visibility_filter(query.principal), *query_filters(query)]
        fields = access.searchable_fields(query.principal)
        source = self._visible_source(generation, doc_id_or_text, query)
        excluded = tuple(query.exclude_ids)
        if source is not None:
            texts = {name: field_text(source, name) for name in fields}
            language = text_language(source.language)
            excluded += (source.id,)
        elif _looks_like_id(doc_id_or_text):
            return SearchResult([], 0, {}, _elapsed(started))
        else:
            texts = {name: doc_id_or_text for name in ("title", "body")}
            language = text_language(query.language or query.principal.language)
        document_fields = {f"{name}_{language}": [text] for name, text in texts.items() if text.strip()}
        if not document_fields:
            return SearchResult([], 0, {}, _elapsed(started))
        stop_words = sorted(self._stop_words | {stem(w, language) for w in self._stop_words})
        scoring = Query.more_like_this_document_fields_query(
            generation.schema, document_fields, min_doc_frequency=1, min_term_frequency=1,
            max_query_terms=MLT_TERMS, min_word_length=3, stop_words=stop_words,
        )
        final = restrict(generation.schema, scoring, filters, excluded)
        highlight_text = " ".join(texts.get("title", "").split()[:5]) if source else doc_id_or_text
        plan = build_plan(highlight_text, tokenize_plain, {}, self._stop_words, prefix_last=False, allow_typos=False)
        return self._collect(generation, final, query, plan, started)

    def _visible_source(self, generation: _Generation, doc_id: str, query: SearchQuery) -> SearchDocument | None:
        if not _looks_like_id(doc_id):
            return None
        visible = [access.visibility_filter(query.principal)]
        lookup = restrict(generation.schema, Query.term_query(generation.schema, "id", doc_id), visible, ())
        searcher = generation.index.searcher()
        found = searcher.search(lookup, 1).hits
        return from_stored(searcher.doc(found[0][1])) if found else None

    def _collect(
        self, generation: _Generation, final: Query, query: SearchQuery, plan: QueryPlan,
        started: float, by_date: bool = False,
    ) -> SearchResult:
        searcher = generation.index.searcher()
        order = {"order_by_field": "updated_at", "order": tantivy.Order.Desc} if by_date else {}
        found = searcher.search(final, query.limit, count=True, offset=query.offset, **order)
        hits = [
            self._hit(from_stored(searcher.doc(address)), 0.0 if by_date else float(score), query, plan)
            for score, address in found.hits
        ]
        facets = _facets(searcher, final)
        return SearchResult(hits, found.count, facets, _elapsed(started))

    def _hit(self, doc: SearchDocument, score: float, query: SearchQuery, plan: QueryPlan) -> Hit:
        language = text_language(doc.language)
        stemmer = lambda word: stem(word, language)  # noqa: E731
        title_tokens = tokens_with_offsets(doc.title)
        title_html = render(doc.title, title_tokens, matched_positions(title_tokens, plan, stemmer), None)
        snippet_html = self._snippet(doc, query, plan, stemmer)
        allowed = access.retrievable_fields(query.principal)
        fields = {name: value for name, value in doc.to_json().items() if name in allowed}
        fields["updated_at"] = doc.updated_at
        return Hit(
            doc.id, doc.kind, doc.title, title_html, snippet_html, doc.url, score, doc.page,
            doc.status, doc.category, doc.updated_at, fields,
        )

    def _snippet(self, doc: SearchDocument, query: SearchQuery, plan: QueryPlan, stemmer: Stem) -> Markup:
        width = SNIPPET_WORDS.get(query.purpose, 30)
        candidates = [name for name in access.highlight_fields(query.principal) if name not in ("title", "tags")]
        best: tuple[tuple[int, int], str, list[Token], dict[int, int]] | None = None
        for name in candidates:
            text = field_text(doc, name)
            if not text.strip():
                continue
            tokens = tokens_with_offsets(text)
            matches = matched_positions(tokens, plan, stemmer)
            key = (len(set(matches.values())), len(matches))
            if best is None or key > best[0]:
                best = (key, text, tokens, matches)
        if best is None:
            return render("", [], {}, None)
        _, text, tokens, matches = best
        return render(text, tokens, matches, best_window(tokens, matches, width))


def _add_all(writer: tantivy.IndexWriter, schema: tantivy.Schema, docs: Sequence[SearchDocument]) -> int:
    for doc in docs:
        writer.delete_documents_by_term("id", doc.id)
        writer.add_document(to_tantivy(doc, schema))
    return len(docs)


def _facets(searcher: tantivy.Searcher, final: Query) -> dict[str, dict[str, int]]:
    request = {name: {"terms": {"field": name, "size": FACET_SIZE}} for name in FACET_FIELDS}
    result = searcher.aggregate(final, request)
    return {
        name: {bucket["key"]: int(bucket["doc_count"]) for bucket in result[name]["buckets"] if bucket["key"]}
        for name in FACET_FIELDS
    }


def _looks_like_id(text: str) -> bool:
    return re.fullmatch(r"[a-z_]+:[\w:.-]+", text) is not None


def _elapsed(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)
