"""Results people can use: the reader's language first, one version per article, a manual's pages together."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path

import pytest
from markupsafe import Markup

from search.arrange import (
    ARRANGE_REACH,
    PAGES_PER_MANUAL,
    Placement,
    arrange,
    arranged_page,
    decode,
    encode,
    grouped,
    reach,
)
from search.embedded import EmbeddedEngine
from search.embedding import Embedder
from search.semantic import Semantic
from search.service import run_search
from search.types import Hit, Principal, SearchQuery, SearchResult
from tests.search.conftest import make_doc


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder()


@pytest.fixture(params=["lexical", "hybrid"])
async def engine(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Both rankings arrange their results the same way."""
    semantic = Semantic(request.getfixturevalue("embedder")) if request.param == "hybrid" else None
    opened = EmbeddedEngine(tmp_path / "index", semantic=semantic)
    yield opened
    await opened.close()


def article(doc_id: str, title: str, body: str, language: str, slug: str, translation: str = ""):  # type: ignore[no-untyped-def]
    return make_doc(doc_id, title, body, language=language, extra={"slug": slug, "translation": translation})


def manual_page(document: int, page: int, body: str):  # type: ignore[no-untyped-def]
    return make_doc(f"document:{document}:p{page}", f"Manuale {document} — p. {page}", body, kind="manual_page",
                    page=page, extra={"manual": f"Manuale {document}", "manual_url": f"/documents/{document}"})


async def ids(engine: EmbeddedEngine, text: str, principal: Principal = Principal.anonymous(), **options: object) -> list[str]:
    result = await run_search(engine, SearchQuery(text, principal, **options))  # type: ignore[arg-type]
    return [hit.id for hit in result.hits]


async def test_the_readers_language_comes_first_and_an_article_shows_in_one_version(engine: EmbeddedEngine) -> None:
    await engine.upsert([
        article("faq:1", "VPN password reset", "Reset the VPN password from the portal.", "en", "vpn-en", "vpn-it"),
        article("faq:2", "Reimpostare la password VPN", "Dal portale, password VPN nuova.", "it", "vpn-it"),
        article("faq:3", "VPN on a phone", "The VPN app for phones.", "en", "vpn-phone"),  # no Italian version
    ])
    assert await ids(engine, "vpn password ", Principal.anonymous("it")) == ["faq:2", "faq:3"]
    assert await ids(engine, "vpn password ", Principal.anonymous("en")) == ["faq:1", "faq:3"]
    english = await run_search(engine, SearchQuery("vpn password ", Principal.anonymous("en")))
    assert english.total == 2 and all(0 < hit.score < 100 for hit in english.hits)  # the tier is not reported


async def test_a_manuals_best_pages_are_grouped_under_it_and_the_rest_left_to_the_manual(engine: EmbeddedEngine) -> None:
    await engine.upsert([manual_page(7, n, "stampante " * (20 - n) + "configurazione della rete") for n in range(1, 9)]
                        + [make_doc("faq:1", "Stampante in rete", "Configurare la stampante di rete."),
                           make_doc("faq:2", "Toner della stampante", "Sostituire il toner.")])
    found = await run_search(engine, SearchQuery("stampante ", Principal.anonymous()))
    kinds = [hit.kind for hit in found.hits]
    assert kinds.count("manual_page") == PAGES_PER_MANUAL and {"faq:1", "faq:2"} <= {hit.id for hit in found.hits}
    first = kinds.index("manual_page")
    assert kinds[first : first + PAGES_PER_MANUAL] == ["manual_page"] * PAGES_PER_MANUAL  # side by side
    assert found.total == 2 + PAGES_PER_MANUAL
    groups = grouped(found.hits)
    [manual] = [group for group in groups if group.manual]
    assert manual.manual == "Manuale 7" and manual.url == "/documents/7" and len(manual.hits) == PAGES_PER_MANUAL
    pages_tab = await ids(engine, "stampante ", kinds=("manual_page",), limit=20)
    assert len(pages_tab) == 8  # the manual pages tab lists every page


def test_arrange_keeps_ranks_but_for_manual_pages_and_second_versions() -> None:
    ranked = [Placement("it", "document:1"), Placement("it", article="a", translation="b"), Placement("it"),
              Placement("it", "document:1"), Placement("en", article="b"), Placement("it", "document:1"),
              Placement("it", "document:1"), Placement("en", article="c", translation="d")]
    assert arrange(ranked) == ([0, 3, 5, 1, 2, 7], 2)
    assert arrange(ranked, None) == ([0, 3, 5, 6, 1, 2, 7], 1)
    reverse = [Placement("it", article="b"), Placement("en", article="a", translation="b")]  # linked one way only
    assert arrange(reverse) == ([0], 1)


def test_a_placement_survives_the_index_and_an_unknown_one_is_empty() -> None:
    placement = Placement("it", "document:3", "orari", "opening-hours")
    assert decode(encode(placement)) == placement
    assert decode("") == Placement()


def test_the_reader_language_first_keeps_each_languages_order_and_drops_the_later_version() -> None:
    ranked = [Placement("en", article="a-en", translation="a-it"), Placement("en", article="c"),
              Placement("it", article="a-it"), Placement("it", article="d")]
    assert arrange(ranked, reader_language="it") == ([2, 3, 1], 1)
    assert arrange(ranked, reader_language="en") == ([0, 1, 3], 1)


def hit(doc_id: str, kind: str, language: str, extra: dict[str, str]) -> Hit:
    return Hit(doc_id, kind, doc_id, Markup(doc_id), Markup(""), "/", 1.0, None, "", "", datetime(2026, 1, 1),
               {"language": language, "extra": extra})


def test_hits_handed_back_by_an_engine_are_arranged_into_the_page_asked_for() -> None:
    """As Meilisearch's results are: the candidates of reach(query), then query's page of them."""
    hits = [hit("faq:1", "faq", "en", {"slug": "vpn-en", "translation": "vpn-it"}),
            *[hit(f"document:7:p{n}", "manual_page", "it", {}) for n in range(1, 6)],
            hit("faq:2", "faq", "it", {"slug": "vpn-it"}), hit("faq:3", "faq", "it", {"slug": "toner"})]
    query = SearchQuery("vpn", Principal.anonymous("it"), limit=3, offset=2)
    assert reach(query).offset == 0 and reach(query).limit == 5 + ARRANGE_REACH
    page = arranged_page(SearchResult(hits, 40, {}, 1.0), query, "it")
    # Italian first: p1..p3 of the manual (p4, p5 left to the manual), faq:2, faq:3; faq:1 is faq:2's English version.
    assert [h.id for h in page.hits] == ["document:7:p3", "faq:2", "faq:3"]
    assert page.total == 40 - 3
    every_page = dataclasses.replace(query, kinds=("manual_page",))
    assert len(arranged_page(SearchResult(hits, 40, {}, 1.0), every_page, "it").hits) == 3
