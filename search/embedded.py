"""The default engine: tantivy, embedded, index in the data directory.

Layout under `path`: one directory per generation (`v1-000003/`) and a `CURRENT` file naming
the live one. `rebuild` fills a new generation, then replaces `CURRENT` atomically (os.replace);
every process notices the new pointer on its next query.

When `CURRENT` names a generation of an older schema, the engine starts a fresh (empty) one and
leaves a `NEEDS_REBUILD` file until the next `rebuild`: `needs_rebuild` and `health()` report it,
so the application can run its reindex instead of silently serving an empty index. When it names
a generation of a newer schema (a newer Sportello runs beside this one during an upgrade), this
process leaves the index alone and reports the engine unavailable until it is replaced.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import tantivy
from markupsafe import Markup, escape
from tantivy import Occur, Query

from search import access
from search.arrange import ARRANGE_REACH, PAGES_PER_MANUAL, arrange, decode
from search.embedded_query import (
    LANGUAGE_TIER, match_query, query_filters, ranking_query, reader_language_first, restrict, visibility_query,
)
from search.embedded_stats import fallbacks
from search.embedded_schema import (
    ARRANGEMENT,
    SCHEMA_VERSION,
    StopWords,
    build_schema,
    field_text,
    from_stored,
    register_analyzers,
    stem,
    stored_json,
    text_language,
    to_tantivy,
    field_tokens,
    tokenize_plain,
)
from search.engine import DocumentSource, Progress, iterate
from search.highlight import ELLIPSIS, Matcher, Span, best_window, render
from search.lexicon import Lexicon
from search.plan import QueryPlan, build_plan
from search.semantic import LEXICAL_DEPTH, SIMILARITY_FLOOR, VECTOR_DEPTH, Semantic, fuse
from search.types import FACET_FIELDS, EngineUnavailable, Health, Hit, SearchDocument, SearchQuery, SearchResult
from search.vectors import VectorStore

POINTER = "CURRENT"
REBUILD_MARKER = "NEEDS_REBUILD"
BATCH = 1000
WRITER_HEAP = 64_000_000
GENERATION = re.compile(r"v(\d+)-(\d+)")  # a generation's directory name: schema version, sequence number
OUR_SCHEMA = int(SCHEMA_VERSION.removeprefix("v"))
SNIPPET_WORDS = {"search": 30, "similar": 30, "suggest": 14}
FACET_SIZE = 200
MLT_TERMS = 25
WEAK_SHARE = 0.1  # a word in a tenth of the index is weak evidence that two cases are alike
WEAK_FLOOR = 20
SNIPPET_SCAN_CHARS = 12_000  # about 1,800 words: a long manual page

Facets = dict[str, dict[str, int]]
Neighbours = list[tuple[str, float]]  # (doc id, cosine), best first
LexicalRun = tuple[int, dict[str, Any]]  # the lexical total, and the stored documents of its best hits by id
_FACET_THREADS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="search-facets")


class _Generation:
    """One opened index directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.schema = build_schema()
        directory.mkdir(parents=True, exist_ok=True)
        self.index = tantivy.Index(self.schema, path=str(directory), reuse=True)
        register_analyzers(self.index)
        self.writer: tantivy.IndexWriter | None = None
        self.vectors = VectorStore(directory / "vectors")

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

    def __init__(self, path: Path, lexicon: Lexicon | None = None, semantic: Semantic | None = None) -> None:
        self.path = Path(path)
        self.semantic = semantic  # None: lexical search only
        self._write_lock = asyncio.Lock()
        self._generation: _Generation | None = None
        self._pointer_stamp: int = -1
        self._open_lock = threading.Lock()
        self._rebuild_log: list[tuple[list[SearchDocument], list[str]]] | None = None
        self._apply_lexicon(lexicon or Lexicon.default())

    # -- lexicon ---------------------------------------------------------------------------

    async def configure(self, lexicon: Lexicon) -> None:
        self._apply_lexicon(lexicon)

    async def warm_up(self) -> None:
        await asyncio.to_thread(self._warm_up_sync)

    def _warm_up_sync(self) -> None:
        if (self.path / POINTER).exists():
            self._current().vectors.refresh()
        if self.semantic is not None:
            self.semantic.embedder.ready()

    def _apply_lexicon(self, lexicon: Lexicon) -> None:
        table: dict[str, tuple[str, ...]] = {}
        for phrase, alternatives in lexicon.equivalents().items():
            key = " ".join(tokenize_plain(phrase))
            if key:
                table[key] = tuple(" ".join(tokenize_plain(a)) for a in alternatives if tokenize_plain(a))
        self._synonyms = table
        self._stop_words = StopWords(frozenset(w for word in lexicon.stop_words for w in tokenize_plain(word)))

    # -- storage ---------------------------------------------------------------------------

    def _current(self) -> _Generation:
        with self._open_lock:
            return self._current_unlocked()

    def _current_unlocked(self) -> _Generation:
        pointer = self.path / POINTER
        stamp = pointer.stat().st_mtime_ns if pointer.exists() else -1
        if self._generation is not None and stamp == self._pointer_stamp:
            return self._generation
        named = pointer.read_text().strip() if stamp != -1 else ""
        if _schema_of(named) > OUR_SCHEMA:
            raise EngineUnavailable(f"the index {named} was built by a newer Sportello than this process "
                                    f"(schema {SCHEMA_VERSION}): restart it with the new version")
        if not named.startswith(f"{SCHEMA_VERSION}-"):
            if named:
                (self.path / REBUILD_MARKER).write_text(f"{named} predates schema {SCHEMA_VERSION}\n")
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
        numbers = [int(m.group(2)) for p in self.path.iterdir() if (m := GENERATION.fullmatch(p.name))]
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
            elif not upserts:
                deletions = await asyncio.to_thread(self._held, deletions)
                if not deletions:
                    return
            await self._write_to(self._current(), upserts, deletions)

    def _held(self, doc_ids: list[str]) -> list[str]:
        """The ids the index or its vectors hold. Removing what neither holds (an open ticket commented on: only
        solved tickets are documents) would commit a change of nothing, which every reading process reloads."""
        generation = self._current()
        indexed = Query.term_set_query(generation.schema, "id", doc_ids)
        if generation.index.searcher().search(indexed, 1, count=True).count:
            return doc_ids
        return [doc_id for doc_id in doc_ids if generation.vectors.content_of(doc_id) is not None]

    async def _write_to(self, generation: _Generation, upserts: list[SearchDocument], deletions: list[str]) -> None:
        # Old vectors go first (even with semantic search off, so none outlives a change of content
        # or visibility); until its new vector is written, a document is found lexically only.
        await asyncio.to_thread(generation.vectors.remove, [doc.id for doc in upserts] + deletions)
        for start in range(0, max(len(upserts), 1), BATCH):
            chunk = upserts[start : start + BATCH]
            await asyncio.to_thread(generation.write, chunk, deletions if start == 0 else [])
        if self.semantic is not None:
            await self.semantic.index(generation.vectors, upserts)

    async def rebuild(self, docs: DocumentSource, progress: Progress | None = None) -> int:
        """Writes arriving during the rebuild go to the live index and are replayed into the new one."""
        async with self._write_lock:
            self._rebuild_log = []
            fresh = _Generation(self.path / self._new_generation_name())
            live = self._generation
        try:
            written = await self._fill(fresh, docs, progress, live.vectors if live else None)
            async with self._write_lock:
                for upserts, deletions in self._rebuild_log:
                    await self._write_to(fresh, upserts, deletions)
                fresh.close_writer()
                with self._open_lock:
                    old = self._generation
                    self._write_pointer(fresh.directory.name)
                    self._generation = fresh
                    self._pointer_stamp = (self.path / POINTER).stat().st_mtime_ns
                if old is not None and old.directory != fresh.directory:
                    old.close_writer()
                    shutil.rmtree(old.directory, ignore_errors=True)
                self._forget_older_schemas()
        finally:
            self._rebuild_log = None
        return written

    def _forget_older_schemas(self) -> None:
        """After a rebuild: generations of older schemas are unreadable by this code, and nothing is pending.
        (A newer schema's generation is left alone: it belongs to the newer version taking over.)"""
        for directory in self.path.iterdir():
            if directory.is_dir() and GENERATION.fullmatch(directory.name) and _schema_of(directory.name) < OUR_SCHEMA:
                shutil.rmtree(directory, ignore_errors=True)
        (self.path / REBUILD_MARKER).unlink(missing_ok=True)

    @property
    def needs_rebuild(self) -> bool:
        """True when the index was created empty because the one on disk had an older schema."""
        self._current()
        return (self.path / REBUILD_MARKER).exists()

    async def _fill(
        self, fresh: _Generation, docs: DocumentSource, progress: Progress | None, reuse: VectorStore | None
    ) -> int:
        """The new generation's documents, and their vectors: those of unchanged texts are taken from
        `reuse` (the live generation) rather than embedded again."""
        written, batch = 0, []
        writer = fresh.open_writer()
        async for doc in iterate(docs):
            batch.append(doc)
            if len(batch) >= BATCH:
                written += await asyncio.to_thread(_add_all, writer, fresh.schema, batch)
                if self.semantic is not None:
                    await self.semantic.index(fresh.vectors, batch, reuse)
                batch = []
                if progress:
                    progress(written)
        written += await asyncio.to_thread(_add_all, writer, fresh.schema, batch)
        if self.semantic is not None:
            await self.semantic.index(fresh.vectors, batch, reuse)
        await asyncio.to_thread(writer.commit)
        fresh.index.reload()
        if progress:
            progress(written)
        return written

    # -- reads -----------------------------------------------------------------------------

    async def search(self, query: SearchQuery) -> SearchResult:
        return await self._read(self._search_sync, query)

    async def similar(self, doc_id_or_text: str, query: SearchQuery) -> SearchResult:
        return await self._read(self._similar_sync, doc_id_or_text, query)

    async def _read(self, read: Callable[..., SearchResult], *args: object) -> SearchResult:
        """An index that cannot be read (its files gone, a disk error) is an engine that is down: the
        pages say search is unavailable (503) instead of failing."""
        try:
            return await asyncio.to_thread(read, *args)
        except OSError as error:
            raise EngineUnavailable(f"{self.path}: {error}") from error

    async def count(self) -> int:
        return await asyncio.to_thread(lambda: self._current().index.searcher().num_docs)

    async def all_ids(self) -> set[str]:
        return await asyncio.to_thread(self._all_ids_sync)

    async def health(self) -> Health:
        try:
            documents = await self.count()
        except (OSError, ValueError, EngineUnavailable) as error:
            return Health(False, self.name, 0, str(error))
        directory = str(self._current().directory)
        if self.needs_rebuild:
            detail = f"{directory}: older index schema, run reindex"
            return Health(True, self.name, documents, detail, needs_rebuild=True)
        return Health(True, self.name, documents, directory)

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
        schema, searcher = generation.schema, generation.index.searcher()
        plan = build_plan(
            query.text, tokenize_plain, self._synonyms, self._stop_words,
            prefix_last=query.purpose in ("search", "suggest"),
        )
        visible, filters = visibility_query(schema, query.principal), query_filters(query)
        fields = access.searchable_fields(query.principal)
        if plan.is_empty:
            final = restrict(schema, Query.all_query(), visible, filters, query.exclude_ids)
            facets = _start_facets(searcher, final, query)
            order = {"order_by_field": "updated_at", "order": tantivy.Order.Desc}
            found = searcher.search(final, query.limit, count=True, offset=query.offset, **order)
            return self._collect(searcher, found, facets, query, plan, started, by_date=True)
        near = self._start_neighbours(generation, query)
        plan = fallbacks(searcher, schema, plan, fields, visible)
        matching = restrict(schema, match_query(schema, plan, fields), visible, filters, query.exclude_ids)
        language = text_language(query.principal.language)
        scoring = reader_language_first(schema, ranking_query(schema, plan, fields), language)
        final = restrict(schema, scoring, visible, filters, query.exclude_ids)
        if near is not None:  # the one hybrid hook: this lexical ranking fused with the nearest vectors
            lexical = _lexical_run(searcher, final, query)  # while the embedding's thread looks for neighbours
            neighbours = near.result()
            if neighbours is not None:
                return self._hybrid(generation, searcher, neighbours, lexical, matching, query, plan, started)
        return self._arranged(searcher, final, _start_facets(searcher, matching, query), query, plan, language,
                              started)

    def _arranged(
        self, searcher: tantivy.Searcher, final: Query, facets: Future[Facets] | None, query: SearchQuery,
        plan: QueryPlan, language: str, started: float,
    ) -> SearchResult:
        """The ranked hits of `final` after search.arrange (manual pages grouped, one language version
        per article), scores without the language tier; `total` less the candidates left out."""
        shown = query.offset + query.limit
        found = searcher.search(final, shown + ARRANGE_REACH, count=True)
        candidates = [(searcher.doc(address), score) for score, address in found.hits]
        placements = [decode(stored.get_first(ARRANGEMENT) or "") for stored, _ in candidates]
        every_page = query.kinds == ("manual_page",)
        order, dropped = arrange(placements, None if every_page else PAGES_PER_MANUAL)
        matchers: dict[str, Matcher] = {}
        hits = []
        for i in order[query.offset : shown]:
            stored, score = candidates[i]
            tier = LANGUAGE_TIER if placements[i].language == language else 0.0
            hits.append(self._hit(stored_json(stored), float(score) - tier, query, plan, matchers))
        counts = facets.result() if facets is not None else {name: {} for name in FACET_FIELDS}
        return SearchResult(hits, max(found.count - dropped, len(hits)), counts, _elapsed(started))

    def _start_neighbours(self, generation: _Generation, query: SearchQuery) -> Future[Neighbours | None] | None:
        """The query's nearest visible vectors, looked up on the embedding's thread as soon as its vector
        is ready, while this thread runs the lexical side; None without semantic search."""
        if self.semantic is None:
            return None
        keys = access.principal_keys(query.principal)
        return self.semantic.start_query(
            finished_words(query), lambda vector: generation.vectors.nearest(vector, keys, query, VECTOR_DEPTH, SIMILARITY_FLOOR))

    def _hybrid(
        self, generation: _Generation, searcher: tantivy.Searcher, neighbours: Neighbours, lexical: LexicalRun,
        matching: Query, query: SearchQuery, plan: QueryPlan, started: float,
    ) -> SearchResult:
        """Reciprocal rank fusion of the lexical ranking (`lexical`, see _lexical_run) and the nearest visible
        vectors.

        The result set is the lexical matches plus the neighbours at or above SIMILARITY_FLOOR (at
        most VECTOR_DEPTH): `total` and the facets count exactly that set. Neighbours are looked up
        again in tantivy under the caller's visibility and filters, so a vector alone never shows,
        nor counts, a document the lexical side would hide. The fused ranking is then arranged as the
        lexical one is (search.arrange: one language version per article, a manual's pages together)."""
        schema = generation.schema
        visible, filters = visibility_query(schema, query.principal), query_filters(query)
        near_ids = [doc_id for doc_id, _ in neighbours]
        near = restrict(schema, Query.term_set_query(schema, "id", near_ids), visible, filters, query.exclude_ids)
        union = Query.boolean_query([(Occur.Should, matching), (Occur.Should, near)], 1) if near_ids else matching
        facets = _start_facets(searcher, union, query)
        lexical_total, stored = lexical  # the neighbours' documents join the lexical ones below
        only_near = 0
        if near_ids:
            beyond = Query.boolean_query([(Occur.Must, near), (Occur.MustNot, matching)])
            only_near = searcher.search(beyond, 1, count=True).count
        shown = query.offset + query.limit
        fused = fuse([list(stored), near_ids])[: shown + ARRANGE_REACH]
        unseen = [doc_id for doc_id, _ in fused if doc_id not in stored]
        if unseen:
            lookup = restrict(schema, Query.term_set_query(schema, "id", unseen), visible, filters, query.exclude_ids)
            for _, address in searcher.search(lookup, len(unseen)).hits:
                doc = searcher.doc(address)
                stored[doc.get_first("id")] = doc
        candidates = [(stored[doc_id], score) for doc_id, score in fused if doc_id in stored]
        placements = [decode(doc.get_first(ARRANGEMENT) or "") for doc, _ in candidates]
        order, dropped = arrange(placements, None if query.kinds == ("manual_page",) else PAGES_PER_MANUAL,
                                 text_language(query.principal.language))  # the vector side knows no tier
        matchers: dict[str, Matcher] = {}
        hits = [self._hit(stored_json(candidates[i][0]), candidates[i][1], query, plan, matchers)
                for i in order[query.offset : shown]]
        counts = facets.result() if facets is not None else {name: {} for name in FACET_FIELDS}
        return SearchResult(hits, max(lexical_total + only_near - dropped, len(hits)), counts, _elapsed(started))

    def _similar_sync(self, doc_id_or_text: str, query: SearchQuery) -> SearchResult:
        started = time.perf_counter()
        generation = self._current()
        visible, filters = visibility_query(generation.schema, query.principal), query_filters(query)
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
        searcher = generation.index.searcher()
        scoring = Query.more_like_this_document_fields_query(
            generation.schema, document_fields, min_doc_frequency=1, max_doc_frequency=_weak_frequency(searcher),
            min_term_frequency=1, max_query_terms=MLT_TERMS, min_word_length=3,
            stop_words=self._weak_words(texts.values(), language),
        )
        final = restrict(generation.schema, scoring, visible, filters, excluded)
        highlight_text = " ".join(texts.get("title", "").split()[:5]) if source else doc_id_or_text
        plan = build_plan(highlight_text, tokenize_plain, {}, self._stop_words, prefix_last=False, allow_typos=False)
        vector = self._similar_vector(generation, source, doc_id_or_text)
        if vector is not None:  # as in search: the more-like-this ranking fused with the nearest vectors
            near_query = dataclasses.replace(query, exclude_ids=excluded)
            neighbours = generation.vectors.nearest(vector, access.principal_keys(query.principal), near_query,
                                                    VECTOR_DEPTH, SIMILARITY_FLOOR)
            return self._hybrid(generation, searcher, neighbours, _lexical_run(searcher, final, query), final,
                                near_query, plan, started)
        found = searcher.search(final, query.limit, count=True, offset=query.offset)
        return self._collect(searcher, found, None, query, plan, started)

    def _similar_vector(self, generation: _Generation, source: SearchDocument | None, text: str) -> Any:
        """The source document's own vector, or the free text's; None without semantic search."""
        if self.semantic is None or not self.semantic.available:
            return None
        if source is not None:
            return generation.vectors.vector_of(source.id)
        return self.semantic.embedder.query(text)

    def _weak_words(self, texts: Iterable[str], language: str) -> list[str]:
        """The texts' stop words (lexicon and Snowball), as written and as stemmed: more-like-this
        compares them with the analysed terms of the language's fields."""
        words = self._stop_words.among([word for text in texts for word in tokenize_plain(text)])
        words |= self._stop_words.lexicon_words
        return sorted(words | {stem(word, language) for word in words})

    def _visible_source(self, generation: _Generation, doc_id: str, query: SearchQuery) -> SearchDocument | None:
        if not _looks_like_id(doc_id):
            return None
        visible = visibility_query(generation.schema, query.principal)
        lookup = restrict(generation.schema, Query.term_query(generation.schema, "id", doc_id), visible, [], ())
        searcher = generation.index.searcher()
        found = searcher.search(lookup, 1).hits
        return from_stored(searcher.doc(found[0][1])) if found else None

    def _collect(
        self, searcher: tantivy.Searcher, found: tantivy.SearchResult, facets: Future[Facets] | None,
        query: SearchQuery, plan: QueryPlan, started: float, by_date: bool = False,
    ) -> SearchResult:
        """Hits of `found`, highlighted while `facets` (if any) are counted on another thread."""
        stored = [(stored_json(searcher.doc(address)), score) for score, address in found.hits]
        matchers: dict[str, Matcher] = {}
        hits = [self._hit(raw, 0.0 if by_date else float(score), query, plan, matchers) for raw, score in stored]
        counts = facets.result() if facets is not None else {name: {} for name in FACET_FIELDS}
        return SearchResult(hits, found.count, counts, _elapsed(started))

    def _hit(
        self, raw: dict[str, Any], score: float, query: SearchQuery, plan: QueryPlan, matchers: dict[str, Matcher]
    ) -> Hit:
        """`raw` is the stored JSON: the hit's fields are taken from it, not serialised again."""
        doc = SearchDocument.from_json(raw)
        language = text_language(doc.language)
        if language not in matchers:
            matchers[language] = matcher_for(plan, language)
        matcher = matchers[language]
        title_html = _marked(doc.title, matcher)
        snippet_html = self._snippet(doc, query, matcher)
        allowed = access.retrievable_fields(query.principal)
        fields = {name: value for name, value in raw.items() if name in allowed}
        fields["updated_at"] = doc.updated_at
        return Hit(
            doc.id, doc.kind, doc.title, title_html, snippet_html, doc.url, score, doc.page,
            doc.status, doc.category, doc.updated_at, fields,
        )

    def _snippet(self, doc: SearchDocument, query: SearchQuery, matcher: Matcher) -> Markup:
        """From the field with the most distinct query groups (then most marks); only its offsets are read."""
        width = SNIPPET_WORDS.get(query.purpose, 30)
        candidates = [name for name in access.highlight_fields(query.principal) if name not in ("title", "tags")]
        best: tuple[tuple[int, int], str, bool, Sequence[str], Span, dict[int, int]] | None = None
        for name in candidates:
            text, cut = _bounded(field_text(doc, name))
            if not text.strip():
                continue
            words, spans = field_tokens(text)
            matches = matcher.positions(words)
            key = (len(set(matches.values())), len(matches))
            if best is None or key > best[0]:
                best = (key, text, cut, words, spans, matches)
        if best is None:
            return Markup("")
        _, text, cut, words, spans, matches = best
        window = best_window(len(words), matches, width)
        snippet = render(text, len(words), spans, matches, window)
        return snippet + ELLIPSIS if cut and window[1] == len(words) else snippet


def _marked(text: str, matcher: Matcher) -> Markup:
    """All of `text`, escaped, with its matching words marked."""
    words, spans = field_tokens(text)
    matches = matcher.positions(words)
    return render(text, len(words), spans, matches, None) if matches else Markup(escape(text).strip())


def _weak_frequency(searcher: tantivy.Searcher) -> int:
    """More documents than this hold a word too common to tell similar cases apart ("problema",
    "buongiorno"): more-like-this leaves it out. Small indexes have no such statistics to trust."""
    return max(WEAK_FLOOR, int(WEAK_SHARE * searcher.num_docs))


def _bounded(text: str) -> tuple[str, bool]:
    """The first SNIPPET_SCAN_CHARS of `text` (cut between words), and whether it was cut.

    Snippets come from this window only, so a very long body costs no more than a long one."""
    if len(text) <= SNIPPET_SCAN_CHARS:
        return text, False
    space = text.rfind(" ", 0, SNIPPET_SCAN_CHARS)
    return text[: space if space > 0 else SNIPPET_SCAN_CHARS], True


def _add_all(writer: tantivy.IndexWriter, schema: tantivy.Schema, docs: Sequence[SearchDocument]) -> int:
    for doc in docs:
        writer.delete_documents_by_term("id", doc.id)
        writer.add_document(to_tantivy(doc, schema))
    return len(docs)


def _lexical_run(searcher: tantivy.Searcher, ranked: Query, query: SearchQuery) -> LexicalRun:
    """What the fusion takes from the lexical side: its total and its best LEXICAL_DEPTH documents, in order."""
    found = searcher.search(ranked, max(LEXICAL_DEPTH, query.offset + query.limit), count=True)
    return found.count, {doc.get_first("id"): doc for doc in (searcher.doc(address) for _, address in found.hits)}


def _start_facets(searcher: tantivy.Searcher, matching: Query, query: SearchQuery) -> Future[Facets] | None:
    """Facet counts of `matching`, computed on a thread of their own while the caller ranks and
    highlights (tantivy releases the GIL); suggestions show none."""
    if query.purpose in ("suggest", "similar"):
        return None
    return _FACET_THREADS.submit(_facets, searcher, matching)


def _facets(searcher: tantivy.Searcher, matching: Query) -> Facets:
    request = {name: {"terms": {"field": name, "size": FACET_SIZE}} for name in FACET_FIELDS}
    result = searcher.aggregate(matching, request)
    return {
        name: {bucket["key"]: int(bucket["doc_count"]) for bucket in result[name]["buckets"] if bucket["key"]}
        for name in FACET_FIELDS
    }


def _schema_of(generation: str) -> int:
    """The schema version a generation's name starts with (v5-000003 → 5); 0 for anything else."""
    match = GENERATION.fullmatch(generation)
    return int(match.group(1)) if match else 0


@functools.lru_cache(maxsize=64)
def matcher_for(plan: QueryPlan, language: str) -> Matcher:
    """Kept across queries: a popular question highlights the same documents again, and the verdicts on their
    words are most of a snippet's cost. Threads may share one; at worst a verdict is computed twice."""
    return Matcher(plan, lambda word: stem(word, language))


def finished_words(query: SearchQuery) -> str:
    """What the vector side embeds. While typing, the unfinished last word is left out: its vector would
    stand for a fragment, and each keystroke would cost an embedding where the finished words are cached."""
    if not query.typing or query.text[-1:].isspace():
        return query.text
    words = query.text.split()
    return " ".join(words[:-1])


def _looks_like_id(text: str) -> bool:
    return re.fullmatch(r"[a-z_]+:[\w:.-]+", text) is not None


def _elapsed(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)
