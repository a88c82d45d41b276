"""The SLA business calendar on real dates: weekends, Italian holidays, closures, DST, and properties."""

import math
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.tickets.choices import Priority
from app.tickets.sla import (
    DEFAULT_CALENDAR,
    MAX_DAYS_AHEAD,
    ROME,
    SLA_TARGET_HOURS,
    BusinessCalendar,
    SlaStatus,
    add_working_hours,
    is_working_time,
    sla_deadline,
    sla_state,
    working_hours_between,
    working_time_between,
)

CAL = DEFAULT_CALENDAR


def rome(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ROME)


def deadline_in_rome(cal: BusinessCalendar, start: datetime, hours: float) -> datetime:
    deadline = add_working_hours(cal, start, hours)
    assert deadline.utcoffset() == timedelta(0)
    return deadline.astimezone(ROME)


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        # An ordinary weekend: Friday 17:00 + 8h = 1h Friday, 7h Monday.
        (rome(2026, 11, 20, 17), 8, rome(2026, 11, 23, 17)),
        # Easter Monday 2027-03-29 is a holiday, and the clocks went forward on Sunday.
        (rome(2027, 3, 26, 17), 8, rome(2027, 3, 30, 17)),
        # Immacolata, Tuesday 2026-12-08.
        (rome(2026, 12, 7, 17), 8, rome(2026, 12, 9, 17)),
        # Christmas Friday 2026-12-25 and Santo Stefano on Saturday.
        (rome(2026, 12, 24, 17), 8, rome(2026, 12, 28, 17)),
        # San Francesco, a national holiday again from 2026: Monday 2027-10-04.
        (rome(2027, 10, 1, 17), 8, rome(2027, 10, 5, 17)),
        # Clocks forward on Sunday 2026-03-29.
        (rome(2026, 3, 27, 17), 8, rome(2026, 3, 30, 17)),
        # Clocks back on Sunday 2026-10-25.
        (rome(2026, 10, 23, 17), 8, rome(2026, 10, 26, 17)),
        # Lunch break is skipped.
        (rome(2026, 11, 23, 12), 2, rome(2026, 11, 23, 15)),
        # Before opening and on a weekend the clock starts at the next opening.
        (rome(2026, 11, 23, 7, 30), 1, rome(2026, 11, 23, 10)),
        (rome(2026, 11, 21, 10), 0.5, rome(2026, 11, 23, 9, 30)),
        (rome(2026, 11, 23, 8), 0.25, rome(2026, 11, 23, 9, 15)),
        # A deadline at closing time stays on that day.
        (rome(2026, 11, 20, 9), 8, rome(2026, 11, 20, 18)),
        (rome(2026, 11, 20, 18, 30), 0, rome(2026, 11, 23, 9)),
        (rome(2026, 11, 23, 10, 20), 0, rome(2026, 11, 23, 10, 20)),
        # Urgent and not-urgent targets from Friday afternoon.
        (rome(2026, 11, 20, 17), 4, rome(2026, 11, 23, 12)),
        (rome(2026, 11, 20, 17), 16, rome(2026, 11, 24, 17)),
        (rome(2026, 11, 23, 9), 40, rome(2026, 11, 27, 18)),
    ],
)
def test_add_working_hours_on_concrete_dates(start: datetime, hours: float, expected: datetime) -> None:
    assert deadline_in_rome(CAL, start, hours) == expected


def test_dst_weekends_keep_eight_working_hours_while_wall_clock_changes() -> None:
    spring_start, autumn_start = rome(2026, 3, 27, 17), rome(2026, 10, 23, 17)
    spring, autumn = add_working_hours(CAL, spring_start, 8), add_working_hours(CAL, autumn_start, 8)
    assert spring == datetime(2026, 3, 30, 15, tzinfo=UTC)
    assert autumn == datetime(2026, 10, 26, 16, tzinfo=UTC)
    assert spring - spring_start == timedelta(hours=71)
    assert autumn - autumn_start == timedelta(hours=73)
    assert working_hours_between(CAL, spring_start, spring) == 8
    assert working_hours_between(CAL, autumn_start, autumn) == 8


def test_the_same_instant_in_any_timezone_gives_the_same_deadline() -> None:
    in_rome = rome(2026, 11, 20, 17)
    in_new_york = in_rome.astimezone(ZoneInfo("America/New_York"))
    assert add_working_hours(CAL, in_new_york, 8) == add_working_hours(CAL, in_rome.astimezone(UTC), 8)


def test_company_closures_are_not_working_days() -> None:
    cal = BusinessCalendar(closures=frozenset({date(2026, 12, 24), date(2026, 12, 31)}))
    assert deadline_in_rome(cal, rome(2026, 12, 23, 17), 8) == rome(2026, 12, 28, 17)
    assert deadline_in_rome(CAL, rome(2026, 12, 23, 17), 8) == rome(2026, 12, 24, 17)
    christmas_week = (rome(2026, 12, 21), rome(2026, 12, 28))
    assert working_hours_between(CAL, *christmas_week) == 32
    assert working_hours_between(cal, *christmas_week) == 24
    assert not is_working_time(cal, rome(2026, 12, 31, 10))


def test_a_province_adds_its_patron_saint() -> None:
    milano = BusinessCalendar(holiday_subdivision="MI")
    assert deadline_in_rome(CAL, rome(2026, 12, 4, 17), 8) == rome(2026, 12, 7, 17)
    assert deadline_in_rome(milano, rome(2026, 12, 4, 17), 8) == rome(2026, 12, 9, 17)


def test_a_custom_calendar_with_saturday_mornings_and_no_holidays() -> None:
    shop = BusinessCalendar(work_days=frozenset(range(6)), hours=((time(8), time(12)),), holiday_country=None)
    assert deadline_in_rome(shop, rome(2026, 11, 20, 11), 2) == rome(2026, 11, 21, 9)
    assert is_working_time(shop, rome(2026, 12, 8, 10))
    assert working_hours_between(shop, rome(2026, 11, 23), rome(2026, 11, 30)) == 24


@pytest.mark.parametrize(
    ("moment", "working"),
    [
        (rome(2026, 11, 23, 9), True),
        (rome(2026, 11, 23, 8, 59), False),
        (rome(2026, 11, 23, 12, 59), True),
        (rome(2026, 11, 23, 13, 30), False),
        (rome(2026, 11, 23, 18), True),
        (rome(2026, 11, 23, 18, 1), False),
        (rome(2026, 11, 21, 10), False),
        (rome(2026, 12, 8, 10), False),
        (rome(2027, 3, 29, 10), False),
        (datetime(2026, 11, 23, 8, 30, tzinfo=UTC), True),
    ],
)
def test_is_working_time(moment: datetime, working: bool) -> None:
    assert is_working_time(CAL, moment) is working


def test_working_time_between() -> None:
    assert working_hours_between(CAL, rome(2026, 11, 23), rome(2026, 11, 30)) == 40
    assert working_hours_between(CAL, rome(2026, 11, 21), rome(2026, 11, 23)) == 0
    assert working_time_between(CAL, rome(2026, 11, 23, 12), rome(2026, 11, 23, 14, 30)) == timedelta(hours=1.5)
    assert working_hours_between(CAL, rome(2026, 11, 30), rome(2026, 11, 23)) == -40
    assert working_hours_between(CAL, rome(2026, 11, 23, 10), rome(2026, 11, 23, 10)) == 0


@pytest.mark.parametrize("bad_hours", [-1, math.nan, math.inf])
def test_add_working_hours_refuses_nonsense(bad_hours: float) -> None:
    with pytest.raises(ValueError, match="hours"):
        add_working_hours(CAL, rome(2026, 11, 23, 10), bad_hours)


def test_naive_datetimes_are_refused() -> None:
    naive = datetime(2026, 11, 23, 10)
    with pytest.raises(ValueError, match="timezone-aware"):
        add_working_hours(CAL, naive, 1)
    with pytest.raises(ValueError, match="timezone-aware"):
        is_working_time(CAL, naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        working_hours_between(CAL, naive, rome(2026, 11, 24))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"work_days": frozenset()},
        {"work_days": frozenset({7})},
        {"hours": ()},
        {"hours": ((time(14), time(18)), (time(9), time(13)))},
        {"hours": ((time(9), time(14)), (time(13), time(18)))},
        {"hours": ((time(9), time(9)),)},
        {"hours": ((time(9, tzinfo=UTC), time(13)),)},
    ],
)
def test_misconfigured_calendars_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        BusinessCalendar(**kwargs)  # type: ignore[arg-type]


def test_a_calendar_without_working_time_raises_instead_of_looping() -> None:
    first = date(2026, 11, 23)
    closed = BusinessCalendar(closures=frozenset(first + timedelta(days=n) for n in range(MAX_DAYS_AHEAD + 7)))
    with pytest.raises(ValueError, match="no working time"):
        add_working_hours(closed, rome(2026, 11, 23, 10), 1)


# ---- SLA ----


def test_sla_targets_and_deadlines_per_priority() -> None:
    assert SLA_TARGET_HOURS == {Priority.URGENTE: 4, Priority.MEDIA: 8, Priority.NON_URGENTE: 16}
    opened = rome(2026, 11, 20, 17)
    deadlines = {priority: sla_deadline(CAL, opened, priority).astimezone(ROME) for priority in Priority}
    assert deadlines == {
        Priority.URGENTE: rome(2026, 11, 23, 12),
        Priority.MEDIA: rome(2026, 11, 23, 17),
        Priority.NON_URGENTE: rome(2026, 11, 24, 17),
    }


DEADLINE = rome(2026, 11, 23, 17)


@pytest.mark.parametrize(
    ("taken_at", "now", "target", "status", "remaining"),
    [
        (rome(2026, 11, 23, 16), rome(2026, 11, 25, 9), 8, SlaStatus.MET, None),
        (DEADLINE, rome(2026, 11, 25, 9), 8, SlaStatus.MET, None),
        # Taken Tuesday 10:00: one hour late on Monday, one on Tuesday morning.
        (rome(2026, 11, 24, 10), rome(2026, 11, 25, 9), 8, SlaStatus.BREACHED, -timedelta(hours=2)),
        (None, rome(2026, 11, 23, 9), 8, SlaStatus.RUNNING, timedelta(hours=7)),
        (None, rome(2026, 11, 23, 15, 30), 8, SlaStatus.AT_RISK, timedelta(hours=1.5)),
        # The weekend does not count: Friday 17:30 leaves 0.5h + 7h.
        (None, rome(2026, 11, 20, 17, 30), 8, SlaStatus.RUNNING, timedelta(hours=7.5)),
        # 25% of a 16h target is 4h, more than the 2h floor.
        (None, rome(2026, 11, 23, 13, 30), 16, SlaStatus.AT_RISK, timedelta(hours=3)),
        (None, rome(2026, 11, 23, 11), 16, SlaStatus.RUNNING, timedelta(hours=5)),
        # 25% of a 4h target is 1h: the 2h floor wins.
        (None, rome(2026, 11, 23, 15, 30), 4, SlaStatus.AT_RISK, timedelta(hours=1.5)),
        (None, rome(2026, 11, 23, 14, 30), 4, SlaStatus.RUNNING, timedelta(hours=2.5)),
        (None, DEADLINE, 8, SlaStatus.BREACHED, timedelta(0)),
        (None, rome(2026, 11, 24, 9, 30), 8, SlaStatus.BREACHED, -timedelta(hours=1.5)),
    ],
)
def test_sla_state(
    taken_at: datetime | None, now: datetime, target: float, status: SlaStatus, remaining: timedelta | None
) -> None:
    state = sla_state(DEADLINE, taken_at, now, target_hours=target)
    assert (state.status, state.remaining) == (status, remaining)


def test_sla_status_labels() -> None:
    assert [status.label_it for status in SlaStatus] == ["Nei tempi", "A rischio", "In pausa", "Rispettato", "Scaduto"]


# ---- properties ----

instants = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2029, 12, 31), timezones=st.just(UTC)
)
working_hours = st.floats(min_value=0, max_value=300, allow_nan=False, allow_infinity=False)


@given(start=instants, hours=working_hours)
def test_a_deadline_is_always_working_time(start: datetime, hours: float) -> None:
    deadline = add_working_hours(CAL, start, hours)
    assert is_working_time(CAL, deadline)
    assert deadline >= start
    assert deadline.tzinfo is UTC


@given(start=instants, hours=working_hours)
def test_working_hours_between_inverts_add_working_hours(start: datetime, hours: float) -> None:
    assert math.isclose(working_hours_between(CAL, start, add_working_hours(CAL, start, hours)), hours, abs_tol=1e-6)


@given(start=instants, first=working_hours, second=working_hours)
def test_adding_in_two_steps_lands_on_the_same_working_instant(start: datetime, first: float, second: float) -> None:
    in_two = add_working_hours(CAL, add_working_hours(CAL, start, first), second)
    in_one = add_working_hours(CAL, start, first + second)
    assert abs(working_hours_between(CAL, in_two, in_one)) < 1e-6
    low, high = sorted((first, second))
    assert add_working_hours(CAL, start, low) <= add_working_hours(CAL, start, high)


@given(moments=st.lists(instants, min_size=3, max_size=3))
def test_working_time_is_additive_and_never_exceeds_wall_time(moments: list[datetime]) -> None:
    a, b, c = sorted(moments)
    assert working_time_between(CAL, a, b) + working_time_between(CAL, b, c) == working_time_between(CAL, a, c)
    assert timedelta(0) <= working_time_between(CAL, a, c) <= c - a


@given(start=instants)
def test_zero_hours_keeps_a_working_instant_and_moves_any_other(start: datetime) -> None:
    first_working = add_working_hours(CAL, start, 0)
    assert (first_working == start) is is_working_time(CAL, start)
    assert working_hours_between(CAL, start, first_working) == 0
