"""Search latency: the embedded engine in-process, the portal over HTTP, SQL LIKE and SQLite FTS5.

    .venv/bin/python -m benchmarks.latency --docs 10000 --queries 300
    .venv/bin/python -m benchmarks.latency --docs 100000 --queries 1000 --skip-like

One run, one synthetic corpus (benchmarks/corpus.py), one query mix, for a rotating set of
callers (staff, anonymous, requesters): full rebuild time, search and suggestion latency
(p50/p99), "change searchable" latency (upsert one document, then search until it is found),
the same queries through SQL LIKE and FTS5 with their ratio to the engine, and, when the
portal's /search routes exist, the same queries over HTTP with a logged-in session, and the new-ticket
suggestion panel (POST /tickets/new/suggestions) as a logged-in requester.

With --hybrid the index also gets document vectors and the same queries run lexical and hybrid in
process, then hybrid over HTTP. Embedding 100k passages takes hours of CPU, so the documents get the real
e5 vectors of a pool of the corpus's first --vector-pool documents, in turn (see pooled_vectors); every
query vector is computed by the model, as in production.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import tempfile
import time
import uuid
from pathlib import Path

from app.timing import server_milliseconds
from benchmarks import corpus
from benchmarks.portal_server import REQUESTER_EMAIL, KeepAliveClient, Reply, logged_in_client, prepare, running_portal
from benchmarks.sqlite_baselines import build, fts_search, like_search
from benchmarks.stats import percentile, table, timed
from search.embedded import EmbeddedEngine
from search.embedding import Embedder
from search.semantic import Semantic
from search.service import run_search
from search.types import Principal, SearchQuery

Row = list[object]
WARM_UP = 20  # requests sent, untimed, before each HTTP series: templates compiled, connections open


def summary(label: str, timings: list[float], engine_p99: float | None = None) -> Row:
    p99 = percentile(timings, 99)
    ratio = f"{p99 / engine_p99:.1f}x" if engine_p99 else ""
    return [label, len(timings), percentile(timings, 50), percentile(timings, 99), max(timings), ratio]


async def engine_latency(engine: EmbeddedEngine, queries: list[corpus.BenchQuery], people: list[Principal]) -> dict[str, list[float]]:
    """Wall milliseconds per purpose, and CPU milliseconds of the process ("search cpu"), which the
    other jobs on a shared machine disturb less."""
    timings: dict[str, list[float]] = {"search": [], "suggest": [], "search cpu": [], "suggest cpu": []}
    await run_search(engine, SearchQuery("warm up", people[0]))
    for n, bench in enumerate(queries):
        query = SearchQuery(bench.text, people[n % len(people)], purpose=bench.purpose)
        started, cpu = time.perf_counter(), time.process_time()
        await run_search(engine, query)
        timings[bench.purpose].append((time.perf_counter() - started) * 1000)
        timings[f"{bench.purpose} cpu"].append((time.process_time() - cpu) * 1000)
    return timings


async def pooled_vectors(
    docs: list[corpus.SearchDocument], pool: int, persistent: Path, scratch: Path, embedder: Embedder,
) -> Semantic:
    """A Semantic whose vector cache (in `scratch`) holds a vector for every document: document i gets
    the real vector of document i mod `pool`. The search side's cost (one product over every row,
    the visibility filter, the fusion and its lookups) is that of distinct vectors; each pool vector
    standing for many documents only makes more neighbours pass the similarity floor, a worst case for
    the fusion's lookups."""
    real = await Semantic(embedder, persistent).vectors_for(docs[:pool])
    pool_vectors = [real[doc.id] for doc in docs[:pool] if doc.id in real]
    if not pool_vectors:
        raise RuntimeError("the embedding model gave no vectors")
    semantic = Semantic(embedder, scratch)
    assert semantic.cache is not None
    semantic.cache.put({semantic.content_of(doc): pool_vectors[n % len(pool_vectors)] for n, doc in enumerate(docs)})
    return semantic


def query_embedding(queries: list[corpus.BenchQuery]) -> list[float]:
    """Milliseconds of the model alone for each distinct query text, on an embedder of its own (so
    none is a cache hit, and the engine's embedder keeps a cold cache)."""
    embedder = Embedder()
    embedder.query("warm up")
    return [timed(lambda: embedder.query(text))[0] for text in {q.text.strip().lower() for q in queries}]


async def change_searchable(engine: EmbeddedEngine, template: corpus.SearchDocument, rounds: int = 10) -> list[float]:
    """Milliseconds from the start of an upsert to the moment a search finds the document."""
    timings = []
    for _ in range(rounds):
        marker = f"novita{uuid.uuid4().hex[:10]}"
        doc = dataclasses.replace(template, id=f"faq:bench-{marker}", title=f"Nuova voce {marker}")
        started = time.perf_counter()
        await engine.upsert([doc])
        while not (await run_search(engine, SearchQuery(marker + " ", Principal.staff(1)))).hits:
            await asyncio.sleep(0.005)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def sqlite_latency(
    path: Path, docs: list[corpus.SearchDocument], queries: list[corpus.BenchQuery], people: list[Principal],
    with_like: bool,
) -> tuple[float, dict[str, list[float]]]:
    build_ms, connection = timed(lambda: build(path, docs))
    timings: dict[str, list[float]] = {"like": [], "fts5": []}
    for n, bench in enumerate(queries):
        who = people[n % len(people)]
        if with_like:
            timings["like"].append(timed(lambda: like_search(connection, bench.text, who))[0])
        timings["fts5"].append(timed(lambda: fts_search(connection, bench.text, who, bench.purpose == "suggest"))[0])
    connection.close()
    return build_ms / 1000, timings


async def http_latency(data_dir: Path, queries: list[corpus.BenchQuery], semantic: bool) -> dict[str, list[float]] | str:
    """The same queries through the portal as a logged-in technician, then the new-ticket panel as a
    logged-in requester; a reason when impossible."""
    await asyncio.to_thread(prepare, data_dir)
    with running_portal(data_dir, semantic) as portal:
        client = logged_in_client(portal)
        try:
            _time_http(client, queries[:WARM_UP])
            timings = _time_http(client, queries)
        finally:
            client.close()
        if isinstance(timings, str):
            return timings
        requester = logged_in_client(portal, REQUESTER_EMAIL)
        try:
            _time_panel(requester, queries[:WARM_UP], portal.base_url)
            panel = _time_panel(requester, queries, portal.base_url)
        finally:
            requester.close()
        if isinstance(panel, str):
            return panel
        return {**timings, **panel}


def _time_http(client: KeepAliveClient, queries: list[corpus.BenchQuery]) -> dict[str, list[float]] | str:
    if client.get("/search", params={"q": "password"}).status == 404:
        return "the portal has no /search route yet"
    timings: dict[str, list[float]] = {}
    for bench in queries:
        path = "/search/suggest" if bench.purpose == "suggest" else "/search"
        elapsed, response = timed(lambda: client.get(path, params={"q": bench.text}))
        if response.status != 200:
            return f"GET {path} answered {response.status}"
        _record(timings, f"http {bench.purpose}", elapsed, response)
    return timings


def _record(timings: dict[str, list[float]], label: str, elapsed: float, response: Reply) -> None:
    """The client's milliseconds, and the portal's own (its Server-Timing header) under "… (server)"."""
    timings.setdefault(label, []).append(elapsed)
    spent = server_milliseconds(response.headers.get("Server-Timing", ""))
    if spent is not None:
        timings.setdefault(f"{label} (server)", []).append(spent)


def panel_forms(queries: list[corpus.BenchQuery]) -> list[dict[str, str]]:
    """What the new-ticket form posts: every query of the mix as the title; every other one also gets a
    description (the mix's questions, in turn), as when the requester has started the second field."""
    questions = [q.text for q in queries if q.shape == "question"] or [""]
    return [{"title": bench.text, "description": questions[n // 2 % len(questions)] if n % 2 else ""}
            for n, bench in enumerate(queries)]


def _time_panel(client: KeepAliveClient, queries: list[corpus.BenchQuery], origin: str) -> dict[str, list[float]] | str:
    """POST /tickets/new/suggestions as the form's htmx call does (same-origin header, HX-Request)."""
    headers = {"Origin": origin, "HX-Request": "true"}
    timings: dict[str, list[float]] = {}
    for form in panel_forms(queries):
        elapsed, response = timed(lambda: client.post("/tickets/new/suggestions", form, headers))
        if response.status == 404:
            return "the portal has no /tickets/new/suggestions route yet"
        if response.status != 200:
            return f"POST /tickets/new/suggestions answered {response.status}"
        _record(timings, "http panel", elapsed, response)
    return timings


async def main(arguments: argparse.Namespace) -> None:
    docs = list(corpus.generate(arguments.docs, seed=arguments.seed))
    queries = corpus.query_mix(arguments.queries)
    people = corpus.principals()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="sportello-bench-") as scratch:
        data_dir = Path(scratch) / "data"
        notes = []
        semantic = None
        if arguments.hybrid:
            embedder = Embedder()
            started = time.perf_counter()
            semantic = await pooled_vectors(docs, arguments.vector_pool, arguments.vector_cache,
                                            Path(scratch) / "vectors", embedder)
            notes.append(f"document vectors: {arguments.vector_pool} real e5 vectors for {len(docs)} documents, "
                         f"{time.perf_counter() - started:.1f} s ({embedder.passages_embedded} embedded now)")
        engine = EmbeddedEngine(data_dir / "index", semantic=semantic)
        started = time.perf_counter()
        await engine.rebuild(docs)
        rebuild_s = time.perf_counter() - started
        os.sync()  # the build's writeback is not part of any query's time
        engine.semantic = None
        timings = await engine_latency(engine, queries, people)
        search_p99 = percentile(timings["search"], 99)
        rows.append(summary("engine search", timings["search"]))
        rows.append(summary("engine suggest", timings["suggest"]))
        rows.append(summary("engine search, CPU", timings["search cpu"]))
        rows.append(summary("engine suggest, CPU", timings["suggest cpu"]))
        if semantic is not None:
            rows.append(summary("query embedding alone", query_embedding(queries)))
            engine.semantic = semantic
            hybrid = await engine_latency(engine, queries, people)
            rows.append(summary("engine search, hybrid", hybrid["search"]))
            rows.append(summary("engine suggest, hybrid", hybrid["suggest"]))
        changes = await change_searchable(engine, docs[0])
        rows.append(summary("change searchable", changes))
        await engine.close()
        notes.append(f"full rebuild of {len(docs)} documents: {rebuild_s:.1f} s")
        if not arguments.skip_sqlite:
            sqlite_build_s, baseline = sqlite_latency(
                Path(scratch) / "baseline.sqlite3", docs, queries, people, not arguments.skip_like
            )
            notes.append(f"SQLite table + FTS5 build: {sqlite_build_s:.1f} s")
            for label, values in baseline.items():
                if values:
                    rows.append(summary(f"sqlite {label}", values, search_p99))
        if not arguments.skip_http:
            os.sync()
            served = await http_latency(data_dir, queries, arguments.hybrid)
            if isinstance(served, str):
                notes.append(f"HTTP: skipped, {served}")
            else:
                rows += [summary(label, values) for label, values in sorted(served.items())]
    print(f"{len(docs)} documents, {len(queries)} queries, callers rotating over {len(people)} principals, "
          f"load average {os.getloadavg()[0]:.1f} at the end")
    print(table(["what", "n", "p50 ms", "p99 ms", "max ms", "p99 vs engine search"], rows))
    for note in notes:
        print(note)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000, help="corpus size (10000 or 100000)")
    parser.add_argument("--queries", type=int, default=300, help="queries in the mix")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-like", action="store_true", help="no SQL LIKE baseline (slow at 100k)")
    parser.add_argument("--skip-sqlite", action="store_true", help="no SQLite baselines at all")
    parser.add_argument("--skip-http", action="store_true", help="no portal over HTTP")
    parser.add_argument("--hybrid", action="store_true", help="document vectors; engine rows lexical and hybrid, HTTP hybrid")
    parser.add_argument("--vector-pool", type=int, default=1000, help="documents really embedded (--hybrid)")
    parser.add_argument("--vector-cache", type=Path, default=Path.home() / ".cache" / "sportello" / "vectors",
                        help="where the pool's vectors are kept between runs")
    return parser.parse_args(argv)


if __name__ == "__main__":
    asyncio.run(main(parse()))
