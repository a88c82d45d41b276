import asyncio

import pytest

from app.accounts.models import User
from app.searching.service import both, last_page, search_for, similar_for
from app.settings import Settings
from search.types import EngineUnavailable, SearchResult
from tests.searching.support import document, index, ticket
from tests.support import make_company, make_user


async def test_similar_cases_respect_access_and_exclusions(settings: Settings, db: None) -> None:
    valdora, bellini = await make_company("Comune di Valdora"), await make_company("Studio Bellini")
    anna = await make_user("anna@valdora.it", valdora)
    carla = await make_user("carla@bellini.it", bellini)
    tecnico = await make_user("tecnico@sportello.it", is_technician=True)
    text = "La stampante di rete non stampa i cedolini in PDF"
    await index(
        settings,
        ticket(1, "Stampante di rete non stampa i cedolini", valdora.id, anna.id, body=text),
        ticket(2, "Cedolini PDF non stampati dalla stampante di rete", bellini.id, carla.id, body=text),
        ticket(3, "Stampante di rete e cedolini PDF", valdora.id, anna.id, body=text),
    )
    anna = await User.get(id=anna.id).select_related("company")
    for_anna = await similar_for(settings, anna, "ticket:1")
    assert [hit.id for hit in for_anna.hits] == ["ticket:3"]
    for_staff = await similar_for(settings, tecnico, text, exclude_ids=("ticket:3",))
    assert {hit.id for hit in for_staff.hits} == {"ticket:1", "ticket:2"}


async def test_search_for_filters_by_kind_and_pages(settings: Settings, db: None) -> None:
    tecnico = await make_user("tecnico@sportello.it", is_technician=True)
    await index(settings, *(document(f"faq:{n}", f"Backup notturno {n}") for n in range(1, 13)),
                document("document:1:1", "Manuale backup", kind="manual_page", page=1))
    second = await search_for(settings, tecnico, "backup", kinds=("faq",), page=2, per_page=5)
    assert second.total == 12 and len(second.hits) == 5 and all(h.kind == "faq" for h in second.hits)
    first = await search_for(settings, tecnico, "backup", kinds=("faq",), page=1, per_page=5)
    assert not {h.id for h in first.hits} & {h.id for h in second.hits}


def test_last_page_stops_where_the_engines_stop() -> None:
    assert (last_page(0, 10), last_page(10, 10), last_page(11, 10), last_page(50_000, 10)) == (1, 1, 2, 101)


async def test_at_startup_the_engine_gets_the_stored_lexicon(settings: Settings, db: None) -> None:
    from search.service import run_search
    from search.types import Principal, SearchQuery

    from app.searching.engine import close_engines, get_engine
    from app.searching.lexicon import default_lexicon, save_lexicon
    from app.searching.service import open_search

    tecnico = await make_user("tecnico@sportello.it", is_technician=True)
    await index(settings, document("faq:1", "Timbrature mancanti"))
    await close_engines()  # a new process starts
    defaults = default_lexicon()
    await save_lexicon([["zzbadge", "timbrature"]], defaults.stop_words, tecnico)
    await open_search(settings)
    # Straight to the engine, without the portal's search (which would also configure it on first use).
    found = await run_search(get_engine(settings), SearchQuery("zzbadge", Principal.staff(tecnico.id)))
    assert [h.id for h in found.hits] == ["faq:1"]


async def test_a_lexicon_saved_by_another_process_applies_within_the_recheck_interval(
    settings: Settings, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.searching import lexicon

    monkeypatch.setattr(lexicon, "LEXICON_RECHECK_SECONDS", 60)
    tecnico = await make_user("tecnico@sportello.it", is_technician=True)
    await index(settings, document("faq:1", "Timbrature mancanti"))
    assert (await search_for(settings, tecnico, "zzbadge")).total == 0  # this process now runs the defaults
    defaults = lexicon.default_lexicon()
    await lexicon.save_lexicon([["zzbadge", "timbrature"]], defaults.stop_words, tecnico)  # as another process would
    assert (await search_for(settings, tecnico, "zzbadge")).total == 0  # not looked up again yet
    monkeypatch.setattr(lexicon, "LEXICON_RECHECK_SECONDS", 0)  # the interval has passed
    assert [hit.id for hit in (await search_for(settings, tecnico, "zzbadge")).hits] == ["faq:1"]


async def test_when_one_of_two_searches_fails_the_other_ends_before_the_failure_is_raised() -> None:
    """Else it goes on in the background after the request (and its database work races what comes next)."""
    finished: list[str] = []

    async def down() -> SearchResult:
        raise EngineUnavailable("connection refused")

    async def slow() -> SearchResult:
        await asyncio.sleep(0.05)
        finished.append("slow")
        return SearchResult([], 0, {}, 0.0)

    with pytest.raises(EngineUnavailable):
        await both(down(), slow())
    assert finished == ["slow"]
    first, second = await both(slow(), slow())
    assert first.total == second.total == 0
