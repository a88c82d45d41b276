"""Calendar arithmetic per plan: office hours against 24×7, across the DST changes, holidays on or off."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from app.contracts.models import SlaPlan
from app.contracts.plans import (
    PlanError,
    calendar_for,
    is_round_the_clock,
    parse_work_hours,
)
from app.tickets.sla import ROME, add_working_hours, working_hours_between
from tests.contracts.helpers import ROUND_THE_CLOCK, plan_values


def rome(*args: int) -> datetime:
    return datetime(*args, tzinfo=ROME)


OFFICE_CAL = calendar_for(SlaPlan(name="Ufficio", **plan_values()), frozenset())
ALWAYS_CAL = calendar_for(SlaPlan(name="H24", **plan_values(**ROUND_THE_CLOCK)), frozenset())


def test_round_the_clock_counts_real_hours_across_the_spring_dst_change() -> None:
    # 29 March 2026: 02:00 becomes 03:00, so 24 hours after Saturday noon the wall clock says 13:00.
    due = add_working_hours(ALWAYS_CAL, rome(2026, 3, 28, 12), 24)
    assert due.astimezone(ROME) == rome(2026, 3, 29, 13)
    assert due - rome(2026, 3, 28, 12).astimezone(UTC) == timedelta(hours=24)
    assert working_hours_between(ALWAYS_CAL, rome(2026, 3, 29, 0), rome(2026, 3, 30, 0)) == 23


def test_round_the_clock_counts_the_autumn_day_of_25_hours() -> None:
    assert working_hours_between(ALWAYS_CAL, rome(2026, 10, 25, 0), rome(2026, 10, 26, 0)) == 25
    # 25 October 2026: 03:00 becomes 02:00 again, so 6 hours after Saturday 22:00 the wall clock says 03:00.
    due = add_working_hours(ALWAYS_CAL, rome(2026, 10, 24, 22), 6)
    assert due.astimezone(ROME) == rome(2026, 10, 25, 3)


def test_office_hours_skip_the_night_and_the_weekend_and_lose_nothing_to_dst() -> None:
    # Friday 17:00 + 2 working hours: one on Friday, one on Monday after the DST weekend.
    due = add_working_hours(OFFICE_CAL, rome(2026, 3, 27, 17), 2)
    assert due.astimezone(ROME) == rome(2026, 3, 30, 10)
    assert working_hours_between(OFFICE_CAL, rome(2026, 3, 27, 17), due) == 2


def test_round_the_clock_works_on_holidays_the_office_does_not() -> None:
    christmas = (rome(2026, 12, 25, 0), rome(2026, 12, 26, 0))
    assert working_hours_between(ALWAYS_CAL, *christmas) == 24
    assert working_hours_between(OFFICE_CAL, *christmas) == 0
    # Easter Monday 2026 (6 April) is a holiday for the office: 8 hours from Friday 3 April 18:00 end on Tuesday.
    assert add_working_hours(OFFICE_CAL, rome(2026, 4, 3, 18), 8).astimezone(ROME) == rome(2026, 4, 7, 18)


def test_closure_days_count_only_for_plans_closed_on_holidays() -> None:
    closed = frozenset({date(2026, 6, 1)})
    office = calendar_for(SlaPlan(name="Ufficio", **plan_values()), closed)
    always = calendar_for(SlaPlan(name="H24", **plan_values(**ROUND_THE_CLOCK)), closed)
    day = (rome(2026, 6, 1, 0), rome(2026, 6, 2, 0))
    assert working_hours_between(office, *day) == 0
    assert working_hours_between(always, *day) == 24


def test_a_plan_with_saturday_mornings() -> None:
    cal = calendar_for(SlaPlan(name="Sabato", **plan_values(work_days="0,1,2,3,4,5",
                                                            work_hours="08:00-12:00")), frozenset())
    # Friday 11:00 + 3 hours: 1 on Friday, 2 on Saturday morning.
    assert add_working_hours(cal, rome(2026, 5, 8, 11), 3).astimezone(ROME) == rome(2026, 5, 9, 10)


def test_the_built_in_standard_is_the_office_calendar() -> None:
    standard = calendar_for(None, frozenset())
    assert standard.hours == ((time(9), time(13)), (time(14), time(18)))
    assert working_hours_between(standard, rome(2026, 5, 4, 0), rome(2026, 5, 5, 0)) == 8


@pytest.mark.parametrize("text", ["", "9-13", "13:00-09:00", "09:00-13:00,12:00-18:00", "00:00-00:00,09:00-10:00",
                                  "25:00-26:00", "09:00-13:00;14:00-18:00"])
def test_working_hours_that_make_no_calendar_are_refused(text: str) -> None:
    with pytest.raises(PlanError):
        parse_work_hours(text)


def test_whole_days_every_day_is_round_the_clock() -> None:
    assert is_round_the_clock(SlaPlan(name="H24", **plan_values(**ROUND_THE_CLOCK)))
    assert not is_round_the_clock(SlaPlan(name="Ufficio", **plan_values()))
    assert not is_round_the_clock(None)
