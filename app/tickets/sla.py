"""The SLA business calendar: working hours in Europe/Rome, Italian public holidays, company closures.

Every datetime going in must be timezone-aware; every datetime coming out is in UTC. Arithmetic is
done on UTC instants, so a DST change never adds or loses an hour of work (subtracting two aware
datetimes that share a ZoneInfo would compare wall clocks instead).
"""

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from app.tickets.choices import LabelledStrEnum, Priority, attach_labels

ROME = ZoneInfo("Europe/Rome")
MONDAY_TO_FRIDAY: frozenset[int] = frozenset(range(5))
OFFICE_HOURS: tuple[tuple[time, time], ...] = ((time(9), time(13)), (time(14), time(18)))
# An interval ending at 00:00 ends at midnight, the end of its day: (00:00, 00:00) is the whole day (24×7).
MIDNIGHT = time(0)
ALL_DAY: tuple[tuple[time, time], ...] = ((MIDNIGHT, MIDNIGHT),)
# A calendar with no working time in ten years is misconfigured; stop instead of looping forever.
MAX_DAYS_AHEAD = 3660


def _since_midnight(moment: time, *, end: bool = False) -> timedelta:
    """A wall-clock time as time since the day's start; 00:00 as an interval's end is 24:00."""
    if end and moment == MIDNIGHT:
        return timedelta(hours=24)
    return timedelta(hours=moment.hour, minutes=moment.minute, seconds=moment.second)


@dataclass(frozen=True)
class BusinessCalendar:
    """When support works. `work_days` uses date.weekday() numbers (Monday = 0)."""

    tz: ZoneInfo = ROME
    work_days: frozenset[int] = MONDAY_TO_FRIDAY
    hours: tuple[tuple[time, time], ...] = OFFICE_HOURS
    closures: frozenset[date] = field(default_factory=frozenset)
    holiday_country: str | None = "IT"
    # A province code ("MI", "RM", ...) adds its patron saint's day.
    holiday_subdivision: str | None = None

    def __post_init__(self) -> None:
        if not self.work_days or not self.work_days <= frozenset(range(7)):
            raise ValueError("work_days must be a non-empty set of weekday numbers 0-6")
        if not self.hours:
            raise ValueError("hours must hold at least one (start, end) interval")
        previous_end = timedelta(0)
        for start, end in self.hours:
            if start.tzinfo is not None or end.tzinfo is not None:
                raise ValueError("working hours are local wall-clock times: give them without tzinfo")
            if not previous_end <= _since_midnight(start) < _since_midnight(end, end=True):
                raise ValueError("working hours must be ordered, non-overlapping intervals with start < end")
            previous_end = _since_midnight(end, end=True)

    def is_holiday(self, day: date) -> bool:
        if day in self.closures:
            return True
        if self.holiday_country is None:
            return False
        return day in _public_holidays(self.holiday_country, self.holiday_subdivision, day.year)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.work_days and not self.is_holiday(day)


DEFAULT_CALENDAR = BusinessCalendar()


@lru_cache(maxsize=256)
def _public_holidays(country: str, subdivision: str | None, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays(country, subdiv=subdivision, years=year).keys())


@lru_cache(maxsize=8192)
def _working_intervals(cal: BusinessCalendar, day: date) -> tuple[tuple[datetime, datetime], ...]:
    """The day's working intervals as UTC instants; empty on weekends, holidays and closures."""
    if not cal.is_working_day(day):
        return ()
    return tuple(
        (
            datetime.combine(day, start, tzinfo=cal.tz).astimezone(UTC),
            datetime.combine(day + timedelta(days=1) if end == MIDNIGHT else day, end, tzinfo=cal.tz).astimezone(UTC),
        )
        for start, end in cal.hours
    )


def _require_aware(moment: datetime, name: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")
    return moment.astimezone(UTC)


def _local_day(cal: BusinessCalendar, moment: datetime) -> date:
    return moment.astimezone(cal.tz).date()


def _intervals_from(cal: BusinessCalendar, first_day: date) -> Iterator[tuple[datetime, datetime]]:
    for offset in range(MAX_DAYS_AHEAD):
        yield from _working_intervals(cal, first_day + timedelta(days=offset))
    raise ValueError(f"no working time within {MAX_DAYS_AHEAD} days of {first_day}")


def is_working_time(cal: BusinessCalendar, moment: datetime) -> bool:
    """Whether support works at `moment`; the closing instant (18:00) still belongs to the working day."""
    instant = _require_aware(moment, "moment")
    return any(start <= instant <= end for start, end in _working_intervals(cal, _local_day(cal, instant)))


def add_working_hours(cal: BusinessCalendar, start: datetime, hours: float) -> datetime:
    """The instant `hours` working hours after `start` (the SLA deadline), in UTC.

    Zero hours gives the first working instant at or after `start`. A deadline that falls exactly at a
    closing time stays there (Friday 18:00) instead of jumping to the next opening (Monday 9:00).
    """
    if not math.isfinite(hours) or hours < 0:
        raise ValueError("hours must be a finite, non-negative number")
    return add_working_time(cal, start, timedelta(hours=hours))


def add_working_time(cal: BusinessCalendar, start: datetime, work: timedelta) -> datetime:
    """`add_working_hours` to the microsecond: the first instant with `work` of working time since `start`."""
    if work < timedelta(0):
        raise ValueError("work must not be negative")
    begin = _require_aware(start, "start")
    left = work
    for interval_start, interval_end in _intervals_from(cal, _local_day(cal, begin)):
        if interval_end < begin:
            continue
        usable_from = max(interval_start, begin)
        available = interval_end - usable_from
        if left <= available:
            return usable_from + left
        left -= available
    raise AssertionError("unreachable: _intervals_from raises when it runs out of days")


def working_time_between(cal: BusinessCalendar, a: datetime, b: datetime) -> timedelta:
    """Working time from `a` to `b`; negative when `b` is before `a`."""
    begin, end = _require_aware(a, "a"), _require_aware(b, "b")
    if end < begin:
        return -working_time_between(cal, end, begin)
    first_day, last_day = _local_day(cal, begin), _local_day(cal, end)
    total = timedelta(0)
    for offset in range((last_day - first_day).days + 1):
        for interval_start, interval_end in _working_intervals(cal, first_day + timedelta(days=offset)):
            overlap = min(interval_end, end) - max(interval_start, begin)
            if overlap > timedelta(0):
                total += overlap
    return total


def working_hours_between(cal: BusinessCalendar, a: datetime, b: datetime) -> float:
    return working_time_between(cal, a, b) / timedelta(hours=1)


# ---- the taking-in-charge SLA ----

SLA_TARGET_HOURS: Mapping[Priority, float] = {
    Priority.URGENTE: 4.0,
    Priority.MEDIA: 8.0,
    Priority.NON_URGENTE: 16.0,
}
AT_RISK_SHARE = 0.25
AT_RISK_FLOOR = timedelta(hours=2)


class SlaStatus(LabelledStrEnum):
    RUNNING = "running"
    AT_RISK = "at_risk"
    PAUSED = "paused"  # the resolution clock, while the ticket waits for the customer
    MET = "met"
    BREACHED = "breached"


attach_labels(
    SlaStatus,
    {
        SlaStatus.RUNNING: ("Nei tempi", "On time"),
        SlaStatus.AT_RISK: ("A rischio", "At risk"),
        SlaStatus.PAUSED: ("In pausa", "Paused"),
        SlaStatus.MET: ("Rispettato", "Met"),
        SlaStatus.BREACHED: ("Scaduto", "Breached"),
    },
)


@dataclass(frozen=True)
class SlaState:
    """`remaining` is working time: left before the deadline (running, at risk), overrun as a negative
    value (breached), None once met."""

    status: SlaStatus
    remaining: timedelta | None


def sla_deadline(
    cal: BusinessCalendar,
    opened_at: datetime,
    priority: Priority,
    targets: Mapping[Priority, float] = SLA_TARGET_HOURS,
) -> datetime:
    return add_working_hours(cal, opened_at, targets[priority])


def sla_state(
    deadline: datetime,
    taken_at: datetime | None,
    now: datetime,
    *,
    target_hours: float = SLA_TARGET_HOURS[Priority.MEDIA],
    cal: BusinessCalendar = DEFAULT_CALENDAR,
) -> SlaState:
    """Where the taking-in-charge SLA stands; at risk when less than 25% of the target (or 2 hours) is left."""
    due = _require_aware(deadline, "deadline")
    if taken_at is not None:
        taken = _require_aware(taken_at, "taken_at")
        if taken <= due:
            return SlaState(SlaStatus.MET, None)
        return SlaState(SlaStatus.BREACHED, -working_time_between(cal, due, taken))
    current = _require_aware(now, "now")
    if current >= due:
        return SlaState(SlaStatus.BREACHED, -working_time_between(cal, due, current))
    return running_state(working_time_between(cal, current, due), target_hours)


def running_state(remaining: timedelta, target_hours: float) -> SlaState:
    """A running clock with `remaining` working time left: at risk below 25% of the target (or 2 hours)."""
    if remaining <= timedelta(0):
        return SlaState(SlaStatus.BREACHED, remaining)
    return SlaState(SlaStatus.AT_RISK if remaining < risk_margin(target_hours) else SlaStatus.RUNNING, remaining)


def risk_margin(target_hours: float) -> timedelta:
    """A clock with less working time than this left is at risk."""
    return max(timedelta(hours=target_hours) * AT_RISK_SHARE, AT_RISK_FLOOR)
