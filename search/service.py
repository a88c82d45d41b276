"""THE one search function every page, the CLI, the suggestion panel and the benchmarks call."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from search.engine import SearchEngine
from search.types import PURPOSES, SearchQuery, SearchResult

MAX_TEXT = 500
MAX_LIMIT = 100
MAX_OFFSET = 1000  # the same window Meilisearch's default maxTotalHits allows


def normalise_text(text: str) -> str:
    """NFC, no control characters, single spaces, bounded length; a trailing space is kept
    because it tells the engine the last word is complete (no prefix match)."""
    text = unicodedata.normalize("NFC", text)[:MAX_TEXT]
    trailing = text[-1:].isspace()
    text = re.sub(r"\s+", " ", "".join(ch if ch.isprintable() else " " for ch in text)).strip()
    return f"{text} " if trailing and text else text


def normalise_query(query: SearchQuery) -> SearchQuery:
    return dataclasses.replace(
        query,
        text=normalise_text(query.text),
        limit=max(1, min(int(query.limit), MAX_LIMIT)),
        offset=max(0, min(int(query.offset), MAX_OFFSET)),
        purpose=query.purpose if query.purpose in PURPOSES else "search",
        kinds=tuple(query.kinds),
        status=tuple(query.status),
        category=query.category or None,
        product=query.product or None,
        language=query.language or None,
    )


async def run_search(engine: SearchEngine, query: SearchQuery) -> SearchResult:
    """Search for `query.principal`; EngineUnavailable propagates so the page can say so."""
    return await engine.search(normalise_query(query))


async def similar_to(
    engine: SearchEngine, text: str, query: SearchQuery, exclude_ids: Sequence[str] = ()
) -> SearchResult:
    """Documents like `text` (free text, or an indexed id such as "ticket:55"), never `exclude_ids`."""
    prepared = normalise_query(dataclasses.replace(query, purpose="similar"))
    prepared = dataclasses.replace(prepared, exclude_ids=(*prepared.exclude_ids, *exclude_ids))
    return await engine.similar(normalise_text(text).strip(), prepared)


def make_engine(
    kind: str, data_dir: Path, meili_url: str | None, meili_key: str | None, semantic: bool = False
) -> SearchEngine:
    """"embedded" (default: tantivy under data_dir/index) or "meilisearch" (needs meili_url); with
    `semantic`, hybrid search (e5 vectors fused with the lexical ranking)."""
    from search.semantic import Semantic

    if kind == "embedded":
        from search.embedded import EmbeddedEngine

        return EmbeddedEngine(Path(data_dir) / "index", semantic=Semantic() if semantic else None)
    if kind == "meilisearch":
        if not meili_url:
            raise ValueError("the meilisearch engine needs a URL (MEILISEARCH_URL)")
        from search.meili import MeiliEngine

        return MeiliEngine(meili_url, meili_key, semantic=Semantic() if semantic else None)
    raise ValueError(f"unknown search engine {kind!r}: use 'embedded' or 'meilisearch'")
