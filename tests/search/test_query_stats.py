"""Work skipped by looking at document frequencies first: what changes and what must not."""

from __future__ import annotations

from pathlib import Path

import pytest

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


async def test_typo_variants_only_for_a_word_no_document_has_exactly(engine: EmbeddedEngine) -> None:
    assert await ids(engine, "modem ") == ["faq:1", "faq:2"]  # not "Modme guasto"
    assert await ids(engine, "modme ") == ["faq:3"]
    assert await ids(engine, "modemm ") == ["faq:1", "faq:2"]  # found nowhere: one typo away from "modem"
    assert await ids(engine, "modemm rete ") == ["faq:1", "faq:2", "faq:3", "faq:4"]


async def test_a_word_found_only_where_the_caller_cannot_see_still_falls_back_to_typos(engine: EmbeddedEngine) -> None:
    await engine.upsert([make_doc("ticket:9", "Stampnte", "scritto male", audience="company", company_id=7)])
    anonymous = await run_search(engine, SearchQuery("stampnte ", Principal.anonymous(), limit=50))
    assert sorted(hit.id for hit in anonymous.hits) == ["faq:3", "faq:4"]
    assert await ids(engine, "stampnte ") == ["ticket:9"]  # staff see the exact word


async def test_prefix_completion_only_for_the_last_word_and_only_when_it_is_no_word_yet(engine: EmbeddedEngine) -> None:
    assert await ids(engine, "stampante ret") == ["faq:3", "faq:4"]
    assert await ids(engine, "ret stampante ") == ["faq:3", "faq:4"]  # "ret" is complete: no prefix, no match
    assert await ids(engine, "mod") == ["faq:1", "faq:2", "faq:3"]
    await engine.upsert([make_doc("faq:5", "Mod", "una parola di tre lettere")])
    assert await ids(engine, "mod") == ["faq:5"]


async def test_a_word_the_index_lacks_falls_back_to_the_other_words(engine: EmbeddedEngine) -> None:
    assert await ids(engine, "toner 7765 ") == ["faq:4"]
    assert await ids(engine, "7765 ") == []
