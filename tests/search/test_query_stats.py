"""Work skipped by looking at document frequencies first: what changes and what must not."""

from __future__ import annotations

from pathlib import Path

import pytest

from search import embedded_stats
from search.embedded import EmbeddedEngine
from search.service import run_search
from search.types import Principal, SearchQuery
from tests.search.conftest import make_doc

STAFF = Principal.staff(1)
DOCS = [
    make_doc("faq:1", "Modem spento", "il modem non risponde"),
    make_doc("faq:2", "Modem lento", "connessione del modem lenta"),
    make_doc("faq:3", "Modme guasto", "la stampante di rete e il router"),  # a typo in the title only
    make_doc("faq:4", "Stampante di rete", "toner esaurito"),
]


@pytest.fixture
async def engine(tmp_path: Path):  # type: ignore[no-untyped-def]
    opened = EmbeddedEngine(tmp_path / "index")
    await opened.upsert(DOCS)
    yield opened
    await opened.close()


async def ids(engine: EmbeddedEngine, text: str) -> list[str]:
    return sorted(hit.id for hit in (await run_search(engine, SearchQuery(text, STAFF, limit=50))).hits)


async def test_a_word_found_exactly_often_enough_is_not_expanded_to_typos(
    engine: EmbeddedEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert await ids(engine, "modem ") == ["faq:1", "faq:2", "faq:3"]
    monkeypatch.setattr(embedded_stats, "TYPO_SKIP_DOCS", 2)
    assert await ids(engine, "modem ") == ["faq:1", "faq:2"]
    assert await ids(engine, "modme ") == ["faq:1", "faq:2", "faq:3"]  # a rare word keeps its typos


async def test_frequent_words_still_match_and_keep_the_same_totals(
    engine: EmbeddedEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    ranked = {text: await run_search(engine, SearchQuery(text, STAFF, limit=50)) for text in ("rete toner", "di rete ")}
    monkeypatch.setattr(embedded_stats, "FREQUENT_SHARE", 0.0)  # every word counts as frequent
    for text, before in ranked.items():
        after = await run_search(engine, SearchQuery(text, STAFF, limit=50))
        assert after.total == before.total > 0
        assert {hit.id for hit in after.hits} == {hit.id for hit in before.hits}
        assert after.facets == before.facets


async def test_a_word_the_index_lacks_falls_back_to_the_other_words(engine: EmbeddedEngine) -> None:
    assert await ids(engine, "toner 7765 ") == ["faq:4"]
    assert await ids(engine, "7765 ") == []
