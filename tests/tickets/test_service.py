"""Ticket rules on a real database: opening, comments, transitions, versions, duplicates, work log, audit."""

from datetime import date
from decimal import Decimal

import pytest

from app.searching.models import IndexTask
from app.settings import Settings
from app.tickets import service
from app.tickets.forms import DetailsForm
from app.tickets.models import Comment, EventKind, Ticket, TicketEvent
from app.tickets.workflow import Event, Status, TicketType
from tests.tickets.helpers import fresh, move, open_ticket, people

pytestmark = pytest.mark.usefixtures("db")


async def test_opening_gives_a_number_an_sla_deadline_an_audit_row_and_an_outbox_row(settings: Settings) -> None:
    company, mario, _laura, _tech = await people()
    ticket = await open_ticket(settings, mario)
    stored = await Ticket.get(id=ticket.id)
    assert stored.number == ticket.id and stored.code == f"TT{ticket.id}"
    assert stored.company_id == company.id and stored.status is Status.APERTO
    assert stored.sla_deadline > stored.created_at
    assert await TicketEvent.filter(ticket_id=ticket.id, kind=EventKind.CREATED).count() == 1
    assert await IndexTask.filter(source="ticket", object_id=str(ticket.id)).count() == 1


async def test_requester_comment_on_a_resolved_ticket_sends_it_back_to_support(settings: Settings) -> None:
    _company, mario, _laura, tech = await people()
    ticket = await open_ticket(settings, mario)
    ticket = await move(settings, tech, ticket, Event.TAKE_IN_CHARGE, Event.RESOLVE, resolution="Aggiornato il driver.")
    assert ticket.status is Status.RISOLTO and ticket.assignee_id == tech.id and ticket.resolution
    await service.add_comment(settings, mario, ticket, "Non funziona ancora.")
    ticket = await fresh(ticket)
    assert ticket.status is Status.ATTESA_SUPPORTO
    statuses = await TicketEvent.filter(ticket_id=ticket.id, kind=EventKind.STATUS).values_list("to_status", flat=True)
    assert statuses == ["attesa_supporto", "risolto", "attesa_supporto"]


async def test_a_stale_version_is_refused_and_changes_nothing(settings: Settings) -> None:
    _company, mario, _laura, tech = await people()
    ticket = await open_ticket(settings, mario)
    first, second = await fresh(ticket), await fresh(ticket)
    values = {"title": first.title, "ticket_type": "anomalia", "priority": "urgente", "severity": "bloccante"}
    assert await service.update_details(settings, tech, first, DetailsForm(**values), first.version) == [
        "priority", "severity"]
    with pytest.raises(service.TicketConflict):
        await service.update_details(settings, tech, second, DetailsForm(**{**values, "priority": "non_urgente"}),
                                     second.version)
    stored = await fresh(ticket)
    assert (stored.priority.value, stored.version) == ("urgente", 2)


async def test_forbidden_transitions_are_refused_and_change_nothing(settings: Settings) -> None:
    _company, mario, _laura, tech = await people()
    ticket = await open_ticket(settings, mario, ticket_type=TicketType.CHIARIMENTO)
    with pytest.raises(service.TicketError):
        await service.transition(settings, mario, ticket, Event.TAKE_IN_CHARGE, ticket.version)
    with pytest.raises(service.TicketError):
        await service.transition(settings, tech, ticket, Event.RESOLVE, ticket.version, resolution="x")
    ticket = await move(settings, tech, ticket, Event.TAKE_IN_CHARGE)
    with pytest.raises(service.TicketError):  # a question is never "in corso"
        await service.transition(settings, tech, ticket, Event.START_WORK, ticket.version)
    stored = await fresh(ticket)
    assert stored.status is Status.ATTESA_SUPPORTO and stored.version == ticket.version


async def test_resolving_needs_a_solution(settings: Settings) -> None:
    _company, mario, _laura, tech = await people()
    ticket = await move(settings, tech, await open_ticket(settings, mario), Event.TAKE_IN_CHARGE)
    with pytest.raises(service.TicketError, match="solution"):
        await service.transition(settings, tech, ticket, Event.RESOLVE, ticket.version, resolution="  ")
    assert (await fresh(ticket)).status is Status.ATTESA_SUPPORTO


async def test_duplicate_links_both_tickets(settings: Settings) -> None:
    _company, mario, laura, tech = await people()
    original = await open_ticket(settings, mario)
    copy = await open_ticket(settings, laura, title="Cedolini non si stampano")
    await service.mark_duplicate(settings, tech, copy, original.code, copy.version)
    stored = await fresh(copy)
    assert stored.status is Status.NON_CONSIDERARE and stored.duplicate_of_id == original.id
    assert await TicketEvent.filter(ticket_id=original.id, kind=EventKind.DUPLICATE, detail=copy.code).exists()
    with pytest.raises(service.TicketError):
        await service.mark_duplicate(settings, tech, original, original.code, original.version)


async def test_work_log_sums_to_actual_hours(settings: Settings) -> None:
    _company, mario, _laura, tech = await people()
    ticket = await open_ticket(settings, mario)
    await service.log_work(tech, ticket, date(2026, 11, 20), Decimal("1.5"), "Analisi")
    await service.log_work(tech, ticket, date(2026, 11, 21), Decimal(2), "Correzione")
    assert await service.actual_hours(ticket) == Decimal("3.5")
    for hours in (Decimal(0), Decimal(25)):  # the form refuses what is not a number (tests/test_bad_input.py)
        with pytest.raises(service.TicketError):
            await service.log_work(tech, ticket, date(2026, 11, 20), hours, "")
    assert await service.actual_hours(ticket) == Decimal("3.5")


async def test_internal_notes_are_only_for_staff(settings: Settings) -> None:
    _company, mario, _laura, tech = await people()
    ticket = await open_ticket(settings, mario)
    note = await service.add_comment(settings, tech, ticket, "Cliente moroso", internal=True)
    sneaky = await service.add_comment(settings, mario, ticket, "Io provo", internal=True)
    assert note.internal and not sneaky.internal
    assert await Comment.filter(ticket_id=ticket.id).count() == 2
