"""The two SLA clocks of a ticket, computed from its status history (TicketEvent), so they are exact and testable.

Take in charge: from the opening to the deadline fixed then (`Ticket.sla_deadline`), stopped by taking in charge.
Resolution: the working time the ticket spent in a status where support has the ball. It pauses in Attesa
cliente and restarts when the ticket leaves it; it stops at Risolto, Chiuso and Non considerare (a reopened
ticket's clock goes on from where it stopped).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.expressions import Q

from app.contracts import plans
from app.contracts.plans import Targets, ticket_targets
from app.tickets.models import EventKind, Ticket, TicketEvent
from app.tickets.sla import (
    BusinessCalendar,
    SlaState,
    SlaStatus,
    add_working_hours,
    add_working_time,
    risk_margin,
    running_state,
    sla_state,
    working_time_between,
)
from app.tickets.workflow import Status

PAUSED: frozenset[Status] = frozenset({Status.ATTESA_CLIENTE})
STOPPED: frozenset[Status] = frozenset({Status.RISOLTO, Status.CHIUSO, Status.NON_CONSIDERARE})

Change = tuple[datetime, Status]  # the moment a ticket entered a status


def changes_of(events: Sequence[TicketEvent]) -> list[Change]:
    """The status entries among a ticket's events (its opening included), oldest first."""
    found = [(e.created_at, Status(e.to_status)) for e in events
             if e.kind in (EventKind.CREATED, EventKind.STATUS) and e.to_status]
    return sorted(found, key=lambda change: change[0])


async def changes_by_ticket(ticket_ids: Sequence[int]) -> dict[int, list[Change]]:
    """Every listed ticket's status entries in one query."""
    rows = await TicketEvent.filter(ticket_id__in=list(ticket_ids), kind__in=[EventKind.CREATED, EventKind.STATUS]) \
        .order_by("id").values_list("ticket_id", "created_at", "to_status")
    found: dict[int, list[Change]] = {ticket_id: [] for ticket_id in ticket_ids}
    for ticket_id, at, status in rows:
        if status:
            found[ticket_id].append((at, Status(status)))
    return found


def resolution_time(cal: BusinessCalendar, opened_at: datetime, changes: Sequence[Change], now: datetime) -> timedelta:
    """Working time spent in statuses that run the resolution clock, from the opening to `now`."""
    periods: list[Change] = [(opened_at, Status.APERTO), *sorted(changes, key=lambda c: c[0])]
    total = timedelta(0)
    for (start, status), (end, _next) in zip(periods, [*periods[1:], (now, Status.APERTO)], strict=True):
        if status not in PAUSED | STOPPED and end > start:
            total += working_time_between(cal, max(start, opened_at), min(end, now))
    return total


@dataclass(frozen=True)
class Clocks:
    targets: Targets
    take: SlaState
    resolve: SlaState
    resolve_due: datetime | None  # when the resolution target breaks if nothing pauses it; None when not running


def resolution_state(cal: BusinessCalendar, ticket: Ticket, target_hours: float, changes: Sequence[Change],
                     now: datetime) -> tuple[SlaState, datetime | None]:
    used = resolution_time(cal, ticket.created_at, changes, now)
    remaining = timedelta(hours=target_hours) - used
    if ticket.status in STOPPED:
        return SlaState(SlaStatus.MET if remaining >= timedelta(0) else SlaStatus.BREACHED, remaining), None
    if remaining <= timedelta(0):
        return SlaState(SlaStatus.BREACHED, remaining), None
    if ticket.status in PAUSED:
        return SlaState(SlaStatus.PAUSED, remaining), None
    return running_state(remaining, target_hours), add_working_hours(cal, now, remaining / timedelta(hours=1))


def clocks(ticket: Ticket, changes: Sequence[Change], cal: BusinessCalendar, now: datetime) -> Clocks:
    targets = ticket_targets(ticket)
    take = sla_state(ticket.sla_deadline, ticket.taken_at, now, target_hours=float(targets.take), cal=cal)
    resolve, due = resolution_state(cal, ticket, float(targets.resolve), changes, now)
    return Clocks(targets, take, resolve, due)


LATE = frozenset({SlaStatus.AT_RISK, SlaStatus.BREACHED})


def running(ticket: Ticket) -> tuple[bool, bool]:
    """Whether the take-in-charge and the resolution clocks still run (a target met or missed is settled)."""
    return ticket.taken_at is None and ticket.status is Status.APERTO, ticket.status not in STOPPED


def is_late(ticket: Ticket, state: Clocks) -> bool:
    """At risk or breached on a target whose clock still runs (a ticket taken in charge late is no longer late)."""
    take_runs, resolve_runs = running(ticket)
    return (take_runs and state.take.status in LATE) or (resolve_runs and state.resolve.status in LATE)


# ---- when a ticket turns late: stored on it (Ticket.take_late_at, resolve_late_at), so the SLA queue is a query ----

# Instants are whole microseconds: "less than the margin left" starts one tick after "exactly the margin left".
TICK = timedelta(microseconds=1)


@dataclass(frozen=True)
class LateAt:
    """The first instant from which each clock makes `is_late` true while nothing changes the ticket; None: never."""

    take: datetime | None
    resolve: datetime | None


def _after_work(cal: BusinessCalendar, start: datetime, work: timedelta) -> datetime:
    """The first instant with `work` of working time since `start`; `start` when there is none to wait for."""
    return start if work <= timedelta(0) else add_working_time(cal, start, work)


def take_late_at(ticket: Ticket, cal: BusinessCalendar) -> datetime | None:
    """Less than the risk margin left to the deadline: the working time since the opening passes the working time
    from the opening to the deadline less the margin (past the deadline, too)."""
    if not running(ticket)[0]:
        return None
    opened = ticket.created_at.astimezone(UTC)
    margin = risk_margin(float(ticket_targets(ticket).take))
    return _after_work(cal, opened, working_time_between(cal, opened, ticket.sla_deadline) - margin + TICK)


def resolve_late_at(ticket: Ticket, changes: Sequence[Change], cal: BusinessCalendar) -> datetime | None:
    """The used time passes the target less the risk margin while the ticket is with support, or reaches the target
    while it waits for the customer (a paused clock is late only once breached). From the last status change on,
    the used time grows only if that status runs the clock, as `resolution_time` counts it."""
    if not running(ticket)[1]:
        return None
    hours = float(ticket_targets(ticket).resolve)
    history = sorted(changes, key=lambda change: change[0])
    last_at, last_status = history[-1] if history else (ticket.created_at, Status.APERTO)
    since = max(last_at, ticket.created_at).astimezone(UTC)
    limit = timedelta(hours=hours) if ticket.status in PAUSED else timedelta(hours=hours) - risk_margin(hours) + TICK
    left = limit - resolution_time(cal, ticket.created_at, history, since)
    if left <= timedelta(0):
        return since
    return add_working_time(cal, since, left) if last_status not in PAUSED | STOPPED else None


def late_at(ticket: Ticket, changes: Sequence[Change], cal: BusinessCalendar) -> LateAt:
    return LateAt(take_late_at(ticket, cal), resolve_late_at(ticket, changes, cal))


async def store_late_instants(ticket_ids: Sequence[int]) -> None:
    """Recompute when the tickets turn late and store it: called in the transaction of every change that moves a
    clock (a status entry, a new priority's targets) or a calendar (a plan's hours, the closure days)."""
    if not ticket_ids:
        return
    tickets = await Ticket.filter(id__in=list(ticket_ids)).select_related("sla_plan")
    closures = await plans.closure_days()
    changes = await changes_by_ticket([t.id for t in tickets])
    for ticket in tickets:
        found = late_at(ticket, changes[ticket.id], plans.calendar_for(ticket.sla_plan, closures))
        if (found.take, found.resolve) != (ticket.take_late_at, ticket.resolve_late_at):
            await Ticket.filter(id=ticket.id).update(take_late_at=found.take, resolve_late_at=found.resolve)


async def store_late_instants_where(where: Q) -> None:
    """`store_late_instants` of the tickets matching `where` whose clocks may run, after their calendar changed."""
    await store_late_instants(await Ticket.filter(where).exclude(status__in=list(STOPPED)).values_list("id", flat=True))


def late_by(now: datetime) -> Q:
    """The tickets `is_late` at `now`, as a condition on the stored instants (UTC, as they are stored: SQLite
    compares them as text)."""
    moment = now.astimezone(UTC)
    return Q(take_late_at__lte=moment) | Q(resolve_late_at__lte=moment)
