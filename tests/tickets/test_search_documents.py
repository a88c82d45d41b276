"""The "ticket" document source: only solved tickets, public text for everyone, internal notes apart."""

import pytest

from app.searching.models import IndexTask
from app.searching.sources import document_sources
from app.settings import Settings
from app.tickets import service
from app.tickets.forms import DetailsForm
from app.tickets.models import Category
from app.tickets.workflow import Event
from tests.tickets.helpers import fresh, move, open_ticket, people

pytestmark = pytest.mark.usefixtures("db")


async def test_only_resolved_or_closed_tickets_are_documents(settings: Settings) -> None:
    company, mario, _laura, tech = await people()
    source = document_sources()["ticket"]
    ticket = await open_ticket(settings, mario, title="Albo non pubblica")
    assert await source.build([str(ticket.id)]) == {str(ticket.id): []}
    ticket = await move(settings, tech, ticket, Event.TAKE_IN_CHARGE)
    await service.add_comment(settings, tech, ticket, "Riavviato il servizio di pubblicazione.")
    await service.add_comment(settings, tech, ticket, "Cliente poco collaborativo", internal=True)
    category = await Category.create(name="Albo pretorio")
    ticket = await fresh(ticket)
    await service.update_details(settings, tech, ticket, DetailsForm(
        title=ticket.title, ticket_type="anomalia", priority="media", severity="non_bloccante",
        category=str(category.id)), ticket.version)
    ticket = await move(settings, tech, ticket, Event.RESOLVE, resolution="Certificato rinnovato.")
    (document,) = (await source.build([str(ticket.id)]))[str(ticket.id)]
    assert document.id == f"ticket:{ticket.id}" and document.title == f"{ticket.code} Albo non pubblica"
    assert "Riavviato il servizio" in document.body and "poco collaborativo" not in document.body
    assert document.staff_body == "Cliente poco collaborativo" and document.resolution == "Certificato rinnovato."
    assert (document.audience, document.company_id, document.requester_id) == ("company", company.id, mario.id)
    assert (document.status, document.category, document.url, document.language) == (
        "risolto", "Albo pretorio", f"/tickets/{ticket.id}", "it")
    assert [i async for i in source.all_object_ids()] == [str(ticket.id)]
    outbox = await IndexTask.filter(source="ticket", object_id=str(ticket.id)).count()
    assert outbox >= 5  # opened, taken, two comments, edit, resolved


async def test_solved_tickets_are_found_only_by_who_may_see_them(settings: Settings) -> None:
    from app.accounts.models import User
    from app.searching.engine import close_engines, get_engine
    from app.searching.indexer import drain_all
    from app.searching.service import search_for
    from tests.support import make_company, make_user

    _company, mario, laura, tech = await people()
    stranger = await make_user("carla@altra.example", await make_company("Altra Srl"), full_name="Carla")
    ticket = await move(settings, tech, await open_ticket(settings, mario, title="Kyocera non stampa i cedolini"),
                        Event.TAKE_IN_CHARGE)
    await service.add_comment(settings, tech, ticket, "Fornitore moroso", internal=True)
    await move(settings, tech, ticket, Event.RESOLVE, resolution="Aggiornato il driver Kyocera.")
    try:
        await drain_all(get_engine(settings), document_sources())
        for who, expected in ((mario, 1), (laura, 1), (stranger, 0), (tech, 1)):
            user = await User.get(id=who.id).select_related("company")
            result = await search_for(settings, user, "kyocera")
            assert [h.id for h in result.hits] == [f"ticket:{ticket.id}"] * expected, who.email
        requester = await User.get(id=mario.id).select_related("company")
        assert (await search_for(settings, requester, "moroso")).total == 0
        staff = await User.get(id=tech.id).select_related("company")
        assert (await search_for(settings, staff, "moroso")).total == 1
    finally:
        await close_engines()
