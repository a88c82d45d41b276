"""The instants a ticket's clocks turn late, stored on the ticket: the SQL queue they give is the Python `is_late`
answer (young, at risk, breached, paused, resumed, taken late, resolved, reopened, blocked, closed tickets, on the
built-in standard, an office plan without holidays and a 24×7 plan, with closure days), to the microsecond, and
every change that moves a clock or a calendar stores them again."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from app.accounts.models import User
from app.contracts import clock, plans
from app.contracts.escalation import may_alert
from app.contracts.models import SlaPlan
from app.contracts.service import PlanInput, save_plan
from app.settings import Settings
from app.tickets import listing, lists, service
from app.tickets.choices import Priority
from app.tickets.forms import DetailsForm
from app.tickets.models import Closure, EventKind, Ticket, TicketEvent
from app.tickets.sla import ROME, BusinessCalendar, add_working_hours
from app.tickets.workflow import Event, Status
from tests.contracts.helpers import ROUND_THE_CLOCK, company_default, make_plan
from tests.support import make_company, make_user
from tests.tickets.helpers import fresh, move, open_ticket, people

OFFICE = plans.calendar_for(None, frozenset())
H24 = plans.calendar_for(SlaPlan(**ROUND_THE_CLOCK), frozenset())


def rome(*args: int) -> datetime:
    return datetime(*args, tzinfo=ROME)


# ---- the instants against is_late, without a database ----

OPENED = rome(2026, 3, 2, 9, 30)  # a Monday
HISTORIES: dict[str, list[tuple[timedelta, Status]]] = {
    "new": [],
    "taken": [(timedelta(hours=1), Status.ATTESA_SUPPORTO)],
    "taken late": [(timedelta(days=2), Status.ATTESA_SUPPORTO)],
    "paused": [(timedelta(hours=1), Status.ATTESA_SUPPORTO), (timedelta(hours=3), Status.ATTESA_CLIENTE)],
    "paused late": [(timedelta(hours=1), Status.ATTESA_SUPPORTO), (timedelta(days=3), Status.ATTESA_CLIENTE)],
    "resumed": [(timedelta(hours=1), Status.ATTESA_SUPPORTO), (timedelta(hours=3), Status.ATTESA_CLIENTE),
                (timedelta(days=1, hours=2), Status.ATTESA_SUPPORTO)],
    "blocked": [(timedelta(hours=2), Status.BLOCCATO)],
    "resolved": [(timedelta(hours=1), Status.ATTESA_SUPPORTO), (timedelta(hours=5), Status.RISOLTO)],
    "reopened": [(timedelta(hours=1), Status.ATTESA_SUPPORTO), (timedelta(hours=5), Status.RISOLTO),
                 (timedelta(days=2), Status.ATTESA_SUPPORTO)],
}


def _case(name: str, take: float, resolve: float, cal: BusinessCalendar) -> tuple[Ticket, list[clock.Change]]:
    history = [(OPENED + after, status) for after, status in HISTORIES[name]]
    taken = next((at for at, status in history if status is Status.ATTESA_SUPPORTO), None)
    ticket = Ticket(status=history[-1][1] if history else Status.APERTO, priority=Priority.MEDIA, created_at=OPENED,
                    taken_at=taken, take_target_hours=Decimal(str(take)), resolve_target_hours=Decimal(str(resolve)),
                    sla_deadline=add_working_hours(cal, OPENED, take))
    return ticket, [(OPENED, Status.APERTO), *history]


@pytest.mark.parametrize("name", list(HISTORIES))
@pytest.mark.parametrize(("take", "resolve"), [(1, 1.5), (4, 16), (8, 40)])
@pytest.mark.parametrize("calendar", ["office", "closures", "24x7"])
def test_a_clock_is_late_exactly_from_its_stored_instant(name: str, take: float, resolve: float,
                                                         calendar: str) -> None:
    cal = {"office": OFFICE, "closures": plans.calendar_for(None, frozenset({date(2026, 3, 3), date(2026, 3, 9)})),
           "24x7": H24}[calendar]
    ticket, changes = _case(name, take, resolve, cal)
    found = clock.late_at(ticket, changes, cal)
    since = max(at for at, _status in changes)
    instants = [at for at in (found.take, found.resolve) if at is not None]
    nows = [since + timedelta(minutes=37 * n) for n in range(0, 24 * 60 * 12 // 37)]
    nows += [at + step for at in instants for step in (-clock.TICK, timedelta(0), clock.TICK) if at + step >= since]
    for now in nows:
        late = clock.is_late(ticket, clock.clocks(ticket, changes, cal, now))
        assert late == any(at <= now for at in instants), (now, found)
    assert all(at.tzinfo is UTC for at in instants)  # SQLite compares them as text


def test_a_clock_that_cannot_turn_late_has_no_instant() -> None:
    resolved, changes = _case("resolved", 4, 16, OFFICE)
    assert clock.late_at(resolved, changes, OFFICE) == clock.LateAt(None, None)
    paused, changes = _case("paused", 4, 16, OFFICE)
    assert clock.late_at(paused, changes, OFFICE) == clock.LateAt(None, None)  # 2 of 16 hours used: never breaks
    late, changes = _case("paused late", 4, 16, OFFICE)
    assert clock.late_at(late, changes, OFFICE).resolve == changes[-1][0].astimezone(UTC)  # paused, but breached


# ---- the SQL queue against the Python answer ----

START = rome(2026, 3, 9, 9)  # Monday: every history below is over by then, the queue is asked from then on
CLOSURES = (date(2026, 3, 5), date(2026, 3, 10))


@dataclass(frozen=True)
class Spec:
    title: str
    opened: datetime
    events: Sequence[tuple[Event, datetime]] = ()
    priority: Priority = Priority.MEDIA
    plan: str = ""  # the requester's company default plan; "" is the built-in standard


SPECS = (
    Spec("Appena aperto", START - timedelta(minutes=10)),
    Spec("Aperto ieri", rome(2026, 3, 6, 15)),
    Spec("Urgente aperto", rome(2026, 3, 6, 17), priority=Priority.URGENTE),
    Spec("Aperto da una settimana", rome(2026, 3, 2, 10), priority=Priority.NON_URGENTE),
    Spec("Preso in tempo", rome(2026, 3, 6, 9), [(Event.TAKE_IN_CHARGE, rome(2026, 3, 6, 10))]),
    Spec("Preso in ritardo", rome(2026, 3, 2, 9), [(Event.TAKE_IN_CHARGE, rome(2026, 3, 4, 9))]),
    Spec("In corso", rome(2026, 3, 4, 9), [(Event.TAKE_IN_CHARGE, rome(2026, 3, 4, 9, 30)),
                                           (Event.START_WORK, rome(2026, 3, 4, 11))]),
    Spec("In attesa del cliente", rome(2026, 3, 3, 9), [(Event.TAKE_IN_CHARGE, rome(2026, 3, 3, 10)),
                                                        (Event.ASK_CUSTOMER, rome(2026, 3, 3, 12))]),
    Spec("Scaduto in attesa", rome(2026, 3, 2, 9), [(Event.TAKE_IN_CHARGE, rome(2026, 3, 2, 10)),
                                                    (Event.ASK_CUSTOMER, rome(2026, 3, 6, 17))],
         priority=Priority.URGENTE),
    Spec("Ripreso", rome(2026, 3, 2, 14), [(Event.TAKE_IN_CHARGE, rome(2026, 3, 2, 15)),
                                           (Event.ASK_CUSTOMER, rome(2026, 3, 2, 16)),
                                           (Event.RESUME, rome(2026, 3, 6, 16))]),
    Spec("Bloccato", rome(2026, 3, 5, 9), [(Event.BLOCK, rome(2026, 3, 6, 9))]),
    Spec("Risolto", rome(2026, 3, 2, 9), [(Event.TAKE_IN_CHARGE, rome(2026, 3, 2, 10)),
                                          (Event.RESOLVE, rome(2026, 3, 6, 12))]),
    Spec("Riaperto", rome(2026, 3, 2, 9), [(Event.TAKE_IN_CHARGE, rome(2026, 3, 2, 10)),
                                           (Event.RESOLVE, rome(2026, 3, 3, 12)),
                                           (Event.REOPEN, rome(2026, 3, 6, 9))]),
    Spec("Chiuso", rome(2026, 3, 2, 9), [(Event.TAKE_IN_CHARGE, rome(2026, 3, 2, 10)),
                                         (Event.RESOLVE, rome(2026, 3, 2, 12)), (Event.CLOSE, rome(2026, 3, 3, 9))]),
    Spec("H24 aperto", rome(2026, 3, 8, 22), plan="H24"),
    Spec("H24 in corso", rome(2026, 3, 7, 9), [(Event.TAKE_IN_CHARGE, rome(2026, 3, 7, 10)),
                                               (Event.START_WORK, rome(2026, 3, 7, 11))], plan="H24"),
    Spec("Ufficio senza festivi", rome(2026, 3, 4, 16), plan="Ufficio"),
    Spec("Ufficio in attesa", rome(2026, 3, 4, 9), [(Event.TAKE_IN_CHARGE, rome(2026, 3, 4, 10)),
                                                    (Event.ASK_CUSTOMER, rome(2026, 3, 6, 9)),
                                                    (Event.RESUME, rome(2026, 3, 6, 17))], plan="Ufficio"),
)


async def _world(settings: Settings) -> tuple[User, list[int]]:
    tech = await make_user("tecnico@sportello.example", is_technician=True, full_name="Marco Ferri")
    plan_of = {"H24": await make_plan("H24", take=(1, 2, 4), resolve=(8, 16, 24), **ROUND_THE_CLOCK),
               "Ufficio": await make_plan("Ufficio", take=(2, 6, 8), resolve=(8, 20, 40), closed_on_holidays=False)}
    for day in CLOSURES:
        await Closure.create(day=day)
    requesters: dict[str, User] = {}
    for name in ("", *plan_of):
        company = await make_company(f"Cliente {name or 'standard'}")
        if name:
            await company_default(company, plan_of[name])
        requesters[name] = await make_user(f"cliente{len(requesters)}@example.com", company)
    ids = []
    for spec in SPECS:
        ticket = await open_ticket(settings, requesters[spec.plan], title=spec.title, priority=spec.priority)
        for event, _at in spec.events:
            if event is Event.CLOSE:
                await service.transition(settings, requesters[spec.plan], await fresh(ticket), event,
                                         (await fresh(ticket)).version)
            else:
                await move(settings, tech, ticket, event, resolution="Fatto.")
        await _move_in_time(ticket.id, spec)
        ids.append(ticket.id)
    await clock.store_late_instants(ids)
    return tech, ids


async def _move_in_time(ticket_id: int, spec: Spec) -> None:
    """The rows the workflow wrote, moved to the spec's instants (and the deadline fixed at that opening)."""
    ticket = await Ticket.get(id=ticket_id).select_related("sla_plan")
    cal = plans.calendar_for(ticket.sla_plan, await plans.closure_days())
    taken = next((at for event, at in spec.events if event is Event.TAKE_IN_CHARGE), None)
    await Ticket.filter(id=ticket_id).update(
        created_at=spec.opened.astimezone(UTC), taken_at=taken.astimezone(UTC) if taken else None,
        sla_deadline=add_working_hours(cal, spec.opened, float(plans.ticket_targets(ticket).take)))
    rows = await TicketEvent.filter(ticket_id=ticket_id, kind__in=[EventKind.CREATED, EventKind.STATUS]).order_by("id")
    assert len(rows) == len(spec.events) + 1, spec.title
    for row, at in zip(rows, [spec.opened, *(at for _event, at in spec.events)], strict=True):
        await TicketEvent.filter(id=row.id).update(created_at=at.astimezone(UTC))


async def _python_queue(now: datetime) -> list[int]:
    """The SLA queue as it was computed before the instants were stored: every open ticket's clocks."""
    tickets = await Ticket.filter(status__in=list(listing.OPEN_STATUSES)).select_related("sla_plan") \
        .order_by("sla_deadline", "id")
    state = await listing.clocks_for(tickets, now)
    return [t.id for t in tickets if clock.is_late(t, state[t.id])]


async def _sql_queue(user: User, now: datetime) -> tuple[list[int], int]:
    total = (await listing.queue_counts(user, now))["sla"]
    first = await listing.queue(user, "sla", now, total)
    found = [t.id for t in first.tickets]
    for page in range(2, first.pages + 1):
        found += [t.id for t in (await listing.queue(user, "sla", now, total, page)).tickets]
    return found, total


async def test_the_sql_queue_is_the_python_answer_at_every_moment(settings: Settings, db: None) -> None:
    tech, ids = await _world(settings)
    stored = await Ticket.filter(id__in=ids).values_list("take_late_at", "resolve_late_at")
    edges = [at + step for pair in stored for at in pair if at is not None and at >= START
             for step in (-clock.TICK, timedelta(0), clock.TICK)]
    nows = [START + timedelta(minutes=161 * n) for n in range(14 * 24 * 60 // 161)] + edges
    sizes = set()
    for now in sorted(nows):
        expected = await _python_queue(now)
        found, total = await _sql_queue(tech, now)
        assert found == expected and total == len(expected), now
        sizes.add(total)
        late = {t.id for t in await Ticket.filter(may_alert(now, timedelta(minutes=60)))}
        assert set(expected) <= late  # the escalation job reads these
    assert len(sizes) >= 6, sizes  # the queue went through many states


async def test_the_sla_queue_is_paged_in_its_order(settings: Settings, db: None) -> None:
    tech, _ids = await _world(settings)
    for n in range(30):
        await open_ticket(settings, await User.get(email="cliente0@example.com"), title=f"Richiesta {n}")
    later = service.now_utc() + timedelta(days=30)
    expected = await _python_queue(later)
    found, total = await _sql_queue(tech, later)
    assert len(expected) > listing.QUEUE_PAGE_SIZE and found == expected and total == len(expected)


# ---- every change that moves a clock stores the instants again ----

async def _assert_current(ticket_id: int) -> clock.LateAt:
    ticket = await Ticket.get(id=ticket_id).select_related("sla_plan")
    changes = (await clock.changes_by_ticket([ticket_id]))[ticket_id]
    expected = clock.late_at(ticket, changes, plans.calendar_for(ticket.sla_plan, await plans.closure_days()))
    assert (ticket.take_late_at, ticket.resolve_late_at) == (expected.take, expected.resolve)
    return expected


async def test_each_change_of_a_clock_stores_its_instants(settings: Settings, db: None) -> None:
    _company, mario, _laura, tech = await people()
    ticket = await open_ticket(settings, mario)
    opened = await _assert_current(ticket.id)
    assert opened.take is not None and opened.resolve is not None
    details = DetailsForm(title=ticket.title, ticket_type=ticket.ticket_type, priority=Priority.URGENTE,
                          severity=ticket.severity)
    await service.update_details(settings, tech, await fresh(ticket), details, (await fresh(ticket)).version)
    assert (await _assert_current(ticket.id)).take != opened.take  # the urgent targets
    await move(settings, tech, ticket, Event.TAKE_IN_CHARGE)
    assert (await _assert_current(ticket.id)).take is None
    await move(settings, tech, ticket, Event.ASK_CUSTOMER)
    assert await _assert_current(ticket.id) == clock.LateAt(None, None)  # paused, far from breaking
    await service.add_comment(settings, mario, await fresh(ticket), "Ecco i dati.")  # back to support
    assert (await _assert_current(ticket.id)).resolve is not None
    await move(settings, tech, ticket, Event.RESOLVE, resolution="Fatto.")
    assert await _assert_current(ticket.id) == clock.LateAt(None, None)
    await move(settings, tech, ticket, Event.REOPEN)
    assert (await _assert_current(ticket.id)).resolve is not None
    original = await open_ticket(settings, mario, title="L'originale")
    await service.mark_duplicate(settings, tech, await fresh(ticket), original.code, (await fresh(ticket)).version)
    assert await _assert_current(ticket.id) == clock.LateAt(None, None)


async def test_the_auto_close_stores_its_instants(settings: Settings, db: None) -> None:
    _company, mario, _laura, tech = await people()
    ticket = await move(settings, tech, await open_ticket(settings, mario), Event.TAKE_IN_CHARGE, Event.RESOLVE,
                        resolution="Fatto.")
    await Ticket.filter(id=ticket.id).update(take_late_at=service.now_utc())  # a stale value the close replaces
    await Ticket.filter(id=ticket.id).update(last_interaction_at=service.now_utc() - timedelta(days=10))
    assert await service.auto_close_resolved(settings) == 1
    assert await _assert_current(ticket.id) == clock.LateAt(None, None)


async def test_calendar_edits_store_the_instants_of_the_open_tickets_they_move(settings: Settings, db: None) -> None:
    company, mario, _laura, _tech = await people()
    admin = await make_user("admin@sportello.example", is_admin=True)
    plan = await make_plan("Azienda")
    standard = await open_ticket(settings, mario, title="Senza piano")
    await company_default(company, plan)
    planned = await open_ticket(settings, mario, title="Col piano")
    before = await _assert_current(standard.id)
    assert before.take is not None
    await lists.add_closure(admin, before.take.astimezone(ROME).date(), "Chiusura")
    after = await _assert_current(standard.id)
    # The deadline stays where the opening fixed it: a closed day before it leaves no working time to take in charge.
    assert after.take is not None and after.take < before.take
    await _assert_current(planned.id)
    await lists.remove_closure(admin, (await Closure.get(reason="Chiusura")).id)
    assert await _assert_current(standard.id) == before

    planned_before = await _assert_current(planned.id)
    data = PlanInput(name="Azienda", take={p: Decimal(t) for p, t in zip(Priority, (4, 8, 16), strict=True)},
                     resolve={p: Decimal(r) for p, r in zip(Priority, (16, 40, 80), strict=True)},
                     work_days=range(7), work_hours="00:00-00:00", closed_on_holidays=False, is_portal_default=False)
    await save_plan(admin, await SlaPlan.get(id=plan.id), data)
    assert await _assert_current(planned.id) != planned_before  # round the clock now
    assert await _assert_current(standard.id) == before
