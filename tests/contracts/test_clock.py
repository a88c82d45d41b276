"""The resolution clock from the status history: it pauses in Attesa cliente, restarts when the ticket leaves it,
stops at Risolto; both targets' states as the ticket page and the queues show them."""

from datetime import datetime, timedelta
from decimal import Decimal

from app.contracts import clock
from app.contracts.plans import calendar_for
from app.settings import Settings
from app.tickets import service
from app.tickets.choices import Priority
from app.tickets.models import EventKind, Ticket, TicketEvent
from app.tickets.sla import ROME, SlaStatus
from app.tickets.workflow import Event, Status
from tests.tickets.helpers import move, open_ticket, people

OFFICE = calendar_for(None, frozenset())


def rome(*args: int) -> datetime:
    return datetime(*args, tzinfo=ROME)


OPENED = rome(2026, 3, 2, 9)  # a Monday
HISTORY = [
    (rome(2026, 3, 2, 10), Status.ATTESA_SUPPORTO),  # taken in charge
    (rome(2026, 3, 2, 11), Status.ATTESA_CLIENTE),  # asked the customer: the clock stops
    (rome(2026, 3, 3, 11), Status.ATTESA_SUPPORTO),  # he answered a day later: it restarts
]


def ticket(status: Status, resolve_hours: float = 8) -> Ticket:
    return Ticket(title="Stampa", status=status, priority=Priority.MEDIA, created_at=OPENED,
                  sla_deadline=rome(2026, 3, 2, 17), taken_at=rome(2026, 3, 2, 10),
                  take_target_hours=Decimal(8), resolve_target_hours=Decimal(str(resolve_hours)))


def test_waiting_for_the_customer_does_not_count() -> None:
    used = clock.resolution_time(OFFICE, OPENED, HISTORY, rome(2026, 3, 3, 12))
    assert used == timedelta(hours=3)  # Monday 9-11, Tuesday 11-12; not Monday 11-18 nor Tuesday 9-11


def test_the_clock_is_paused_while_waiting_and_keeps_what_is_left() -> None:
    state = clock.clocks(ticket(Status.ATTESA_CLIENTE), HISTORY[:2], OFFICE, rome(2026, 3, 5, 12))
    assert state.resolve.status is SlaStatus.PAUSED
    assert state.resolve.remaining == timedelta(hours=6) and state.resolve_due is None
    assert state.take.status is SlaStatus.MET


def test_a_running_clock_projects_its_deadline_on_the_calendar() -> None:
    state = clock.clocks(ticket(Status.ATTESA_SUPPORTO), HISTORY, OFFICE, rome(2026, 3, 3, 12))
    assert state.resolve.remaining == timedelta(hours=5) and state.resolve.status is SlaStatus.RUNNING
    assert state.resolve_due == rome(2026, 3, 3, 18)  # 12-13 and 14-18


def test_resolving_stops_the_clock_and_a_reopening_goes_on_from_there() -> None:
    resolved = [*HISTORY, (rome(2026, 3, 3, 12), Status.RISOLTO)]
    week_later = rome(2026, 3, 10, 12)
    state = clock.clocks(ticket(Status.RISOLTO), resolved, OFFICE, week_later)
    assert state.resolve.status is SlaStatus.MET and state.resolve.remaining == timedelta(hours=5)
    reopened = [*resolved, (rome(2026, 3, 10, 9), Status.ATTESA_SUPPORTO)]
    assert clock.resolution_time(OFFICE, OPENED, reopened, week_later) == timedelta(hours=6)


def test_past_the_target_is_breached_even_while_paused() -> None:
    state = clock.clocks(ticket(Status.ATTESA_CLIENTE, resolve_hours=1.5), HISTORY[:2], OFFICE, rome(2026, 3, 4, 9))
    assert state.resolve.status is SlaStatus.BREACHED and state.resolve.remaining == -timedelta(minutes=30)


def test_close_to_the_target_is_at_risk_and_late_in_the_queue() -> None:
    open_ticket = ticket(Status.IN_CORSO)
    state = clock.clocks(open_ticket, HISTORY, OFFICE, rome(2026, 3, 3, 16, 30))
    assert state.resolve.status is SlaStatus.AT_RISK  # 1.5 hours of 8 left: below the 2-hour floor
    assert clock.is_late(open_ticket, state)
    assert not clock.is_late(open_ticket, clock.clocks(open_ticket, HISTORY, OFFICE, rome(2026, 3, 3, 11, 30)))


async def test_the_history_written_by_the_workflow_gives_the_same_clock(settings: Settings, db: None) -> None:
    _company, mario, _laura, tech = await people()
    opened = await open_ticket(settings, mario)
    waiting = await move(settings, tech, opened, Event.TAKE_IN_CHARGE, Event.ASK_CUSTOMER)
    await service.add_comment(settings, mario, waiting, "Ecco i dati.")  # the reply takes it back to support
    # The real rows, moved to known instants.
    await Ticket.filter(id=opened.id).update(created_at=OPENED)
    rows = await TicketEvent.filter(ticket_id=opened.id, kind__in=[EventKind.CREATED, EventKind.STATUS]).order_by("id")
    assert [r.to_status for r in rows] == ["aperto", "attesa_supporto", "attesa_cliente", "attesa_supporto"]
    for row, at in zip(rows, [OPENED, *(moment for moment, _status in HISTORY)], strict=True):
        await TicketEvent.filter(id=row.id).update(created_at=at)
    changes = (await clock.changes_by_ticket([opened.id]))[opened.id]
    assert clock.resolution_time(OFFICE, OPENED, changes, rome(2026, 3, 3, 12)) == timedelta(hours=3)
    events = await TicketEvent.filter(ticket_id=opened.id).order_by("id")
    assert clock.changes_of(events) == changes
