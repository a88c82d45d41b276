"""The interventions' calendar: a month or a week of days (Monday first, in Rome), each with its entries."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from app.field.models import Intervention, InterventionState
from app.i18n import DISPLAY_TZ


class View(StrEnum):
    MONTH = "month"
    WEEK = "week"


@dataclass
class Day:
    day: date
    in_period: bool
    today: bool
    entries: list[Intervention] = field(default_factory=list)


@dataclass(frozen=True)
class Calendar:
    view: View
    anchor: date
    weeks: list[list[Day]]
    previous: date
    next: date

    @property
    def first(self) -> date:
        return self.weeks[0][0].day

    @property
    def last(self) -> date:
        return self.weeks[-1][-1].day


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def period(view: View, anchor: date) -> tuple[date, date, date, date]:
    """(first shown day, last shown day, the previous period's anchor, the next one's) of the view."""
    if view is View.WEEK:
        first = _monday(anchor)
        return first, first + timedelta(days=6), first - timedelta(days=7), first + timedelta(days=7)
    month = anchor.replace(day=1)
    following = (month + timedelta(days=32)).replace(day=1)
    last_of_month = following - timedelta(days=1)
    first, last = _monday(month), _monday(last_of_month) + timedelta(days=6)
    return first, last, (month - timedelta(days=1)).replace(day=1), following


def local_start(day: date) -> datetime:
    """Midnight in Rome, in UTC as the rows keep instants (SQLite compares them as text)."""
    return datetime.combine(day, time(0), tzinfo=DISPLAY_TZ).astimezone(UTC)


async def calendar(view: View, anchor: date, today: date, technician_id: int | None = None) -> Calendar:
    """The view's days with the interventions (not the cancelled ones) that start on each, of one technician
    or of the whole team."""
    first, last, previous, following = period(view, anchor)
    query = Intervention.filter(
        starts_at__gte=local_start(first), starts_at__lt=local_start(last + timedelta(days=1)),
    ).exclude(state=InterventionState.CANCELLED).select_related("ticket", "technician")
    if technician_id is not None:
        query = query.filter(technician_id=technician_id)
    days: dict[date, Day] = {}
    cursor = first
    while cursor <= last:
        in_period = view is View.WEEK or cursor.month == anchor.month
        days[cursor] = Day(cursor, in_period, cursor == today)
        cursor += timedelta(days=1)
    for entry in await query.order_by("starts_at", "id"):
        days[entry.starts_at.astimezone(DISPLAY_TZ).date()].entries.append(entry)
    ordered = list(days.values())
    return Calendar(view, anchor, [ordered[i:i + 7] for i in range(0, len(ordered), 7)], previous, following)
