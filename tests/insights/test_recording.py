from typing import Any

from tortoise.fields.relational import ForeignKeyFieldInstance

from app.accounts.models import User
from app.insights import service
from app.insights.models import SearchEvent
from app.insights.text import normalise_query
from tests.insights.support import age
from tests.support import make_company, make_user


async def test_a_search_is_stored_normalised_and_remembered_in_the_session(db: None) -> None:
    browser: dict[str, Any] = {}
    event_id = await service.record_search(browser, "  Stampa   CEDOLINI ", "it", "requester", "search", 4)
    event = await SearchEvent.get(id=event_id)
    assert (event.query, event.language, event.role, event.purpose, event.result_count) == (
        "stampa cedolini", "it", "requester", "search", 4)
    assert (event.opened_hit_id, event.ticket_followed, event.deflected) == (None, False, False)
    assert browser["search_trail"] == [event_id]


async def test_empty_text_records_nothing(db: None) -> None:
    browser: dict[str, Any] = {}
    assert await service.record_search(browser, "   ", "it", "anonymous", "search", 0) is None
    assert await SearchEvent.all().count() == 0 and browser == {}


async def test_typing_updates_one_event_instead_of_one_per_keystroke(db: None) -> None:
    browser: dict[str, Any] = {}
    ids = [await service.record_search(browser, text, "it", "requester", "suggest", n)
           for text, n in (("sta", 9), ("stam", 5), ("stampa", 3), ("stamp", 4), ("stampa ced", 1))]
    assert len(set(ids)) == 1
    event = await SearchEvent.get(id=ids[0])
    assert (event.query, event.result_count) == ("stampa ced", 1)
    other = await service.record_search(browser, "password", "it", "requester", "suggest", 2)
    assert other != ids[0] and await SearchEvent.all().count() == 2
    assert browser["search_trail"] == [ids[0], other]


async def test_typing_after_a_pause_or_in_another_box_is_a_new_event(db: None) -> None:
    browser: dict[str, Any] = {}
    first = await service.record_search(browser, "vpn", "it", "requester", "suggest", 2)
    assert first is not None
    await age(first, 61)
    later = await service.record_search(browser, "vpn aziendale", "it", "requester", "suggest", 1)
    ticket_form = await service.record_search(browser, "vpn aziendale non va", "it", "requester", "new_ticket", 0)
    assert len({first, later, ticket_form}) == 3
    searches = [await service.record_search(browser, "vpn", "it", "requester", "search", 2) for _ in range(2)]
    assert searches[0] != searches[1], "every submitted search counts"


async def test_a_submitted_search_takes_over_its_suggestions(db: None) -> None:
    browser: dict[str, Any] = {}
    typed = await service.record_search(browser, "firma digitale", "it", "requester", "suggest", 6)
    submitted = await service.record_search(browser, "firma digitale", "it", "requester", "search", 14)
    event = await SearchEvent.get(id=typed)  # type: ignore[arg-type]
    assert submitted == typed and (event.purpose, event.result_count) == ("search", 14)
    assert await SearchEvent.all().count() == 1


async def test_another_session_never_extends_or_marks_my_events(db: None) -> None:
    mine: dict[str, Any] = {}
    theirs: dict[str, Any] = {}
    event_id = await service.record_search(mine, "cedolini", "it", "requester", "suggest", 3)
    assert await service.record_search(theirs, "cedolini marzo", "it", "requester", "suggest", 1) != event_id
    assert not await service.record_open(theirs, event_id, "faq:3", 1)  # type: ignore[arg-type]
    assert await service.record_ticket_opened(theirs) == 1  # their own event only
    event = await SearchEvent.get(id=event_id)  # type: ignore[arg-type]
    assert (event.opened_hit_id, event.ticket_followed) == (None, False)


async def test_opening_a_hit_keeps_the_first_click(db: None) -> None:
    browser: dict[str, Any] = {}
    event_id = await service.record_search(browser, "password scaduta", "it", "requester", "search", 5)
    assert event_id is not None
    assert await service.record_open(browser, event_id, "faq:12", 2)
    assert not await service.record_open(browser, event_id, "document:3:p4", 1)
    assert not await service.record_open(browser, event_id, "javascript:alert(1)", 1)
    event = await SearchEvent.get(id=event_id)
    assert (event.opened_hit_id, event.opened_rank) == ("faq:12", 2)


async def test_a_ticket_marks_the_searches_of_the_last_half_hour(db: None) -> None:
    browser: dict[str, Any] = {}
    old = await service.record_search(browser, "stampante", "it", "requester", "search", 0)
    assert old is not None
    await age(old, 31 * 60)
    recent = [await service.record_search(browser, text, "it", "requester", "search", 0)
              for text in ("stampante offline", "driver stampante")]
    assert await service.record_ticket_opened(browser) == 2
    followed = await SearchEvent.filter(ticket_followed=True).values_list("id", flat=True)
    assert sorted(followed) == sorted(recent) and "search_trail" not in browser
    assert await service.record_ticket_opened(browser) == 0


async def test_the_trail_keeps_the_latest_ten_events(db: None) -> None:
    browser: dict[str, Any] = {}
    ids = [await service.record_search(browser, f"domanda {n}", "it", "requester", "search", 1) for n in range(12)]
    assert browser["search_trail"] == ids[-10:]


async def test_nothing_personal_is_stored(db: None) -> None:
    person_fields = {"user", "user_id", "company", "company_id", "ip", "ip_address", "email", "session", "name"}
    model_fields = set(SearchEvent._meta.fields_map)
    assert not model_fields & person_fields
    assert not any(isinstance(f, ForeignKeyFieldInstance) for f in SearchEvent._meta.fields_map.values())
    company = await make_company("Comune di Valdora")
    anna: User = await make_user("anna.verdi@valdora.example", company, full_name="Anna Verdi")
    browser: dict[str, Any] = {}
    await service.record_search(browser, "scrivete a anna.verdi@valdora.example tel 333 1234567", "it",
                                service.role_of(anna), "search", 0)
    await service.record_search(browser, "codice fiscale VRDNNA80A41H501X", "it", service.role_of(anna), "search", 0)
    await service.record_ticket_opened(browser)
    stored = " ".join(str(v) for row in await SearchEvent.all().values() for v in row.values())
    for personal in ("anna", "verdi", "valdora", "1234567", "vrdnna80a41h501x"):
        assert personal not in stored.casefold()
    assert "scrivete a … tel …" in stored


def test_normalised_queries_keep_dates_and_mask_contacts() -> None:
    assert normalise_query("Errore 500 del 01.12.2024") == "errore 500 del 01.12.2024"
    assert normalise_query("chiamatemi al +39 06 1234567") == "chiamatemi al …"
    assert normalise_query("x" * 300) == "x" * 200


async def test_main_role_is_the_most_powerful_one(db: None) -> None:
    both = await make_user("boss@example.it", is_admin=True, is_technician=True)
    editor = await make_user("ed@example.it", is_editor=True)
    requester = await make_user("req@example.it", await make_company())
    assert [service.role_of(u) for u in (None, requester, editor, both)] == [
        "anonymous", "requester", "editor", "admin"]


async def test_the_latest_search_is_found_only_for_the_same_words_and_purpose(db: None) -> None:
    browser: dict[str, Any] = {}
    typed = await service.record_search(browser, "VPN", "it", "requester", "suggest", 2)
    assert service.latest_search(browser, "vpn") is None, "suggestions are not a search"
    submitted = await service.record_search(browser, "vpn aziendale", "it", "requester", "search", 2)
    assert submitted == typed and service.latest_search(browser, "  VPN   aziendale ") == submitted
    assert service.latest_search(browser, "vpn") is None and service.latest_search({}, "vpn aziendale") is None
