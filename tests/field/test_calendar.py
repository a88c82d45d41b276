"""The calendar (month and week, per technician and for the team, without JavaScript) and the technician's
iCalendar feed behind a secret, revocable address."""

from datetime import date, datetime, timedelta

import httpx
import pytest
from icalendar import Calendar

from app.field.calendar import View, period
from app.field.models import Intervention, InterventionState
from app.i18n import DISPLAY_TZ
from app.settings import Settings
from tests.support import Page, log_in, log_out, make_user
from tests.tickets.helpers import open_ticket, people

TECH, OTHER = "tecnico@sportello.example", "tecnica2@sportello.example"


def test_a_month_shows_whole_weeks_from_monday_and_a_week_its_seven_days() -> None:
    first, last, previous, following = period(View.MONTH, date(2026, 12, 17))
    assert (first, last) == (date(2026, 11, 30), date(2027, 1, 3))
    assert (previous, following) == (date(2026, 11, 1), date(2027, 1, 1))
    first, last, previous, following = period(View.WEEK, date(2026, 12, 17))
    assert (first, last, previous, following) == (date(2026, 12, 14), date(2026, 12, 20), date(2026, 12, 7),
                                                  date(2026, 12, 21))


def at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=DISPLAY_TZ)


@pytest.fixture
async def world(settings: Settings):  # type: ignore[no-untyped-def]
    _company, mario, _laura, tech = await people()
    other = await make_user(OTHER, is_technician=True, full_name="Giulia Conti")
    first = await open_ticket(settings, mario, title="Lettore badge guasto")
    second = await open_ticket(settings, mario, title="Stampante di rete")
    day = date.today() + timedelta(days=10)
    mine = await Intervention.create(ticket_id=first.id, technician_id=tech.id, starts_at=at(day, 9),
                                     ends_at=at(day, 11), place="Municipio", note="Portare il cavo")
    theirs = await Intervention.create(ticket_id=second.id, technician_id=other.id, starts_at=at(day, 23),
                                       ends_at=at(day + timedelta(days=1), 1), state=InterventionState.CONFIRMED)
    cancelled = await Intervention.create(ticket_id=second.id, technician_id=tech.id, starts_at=at(day, 14),
                                          ends_at=at(day, 15), state=InterventionState.CANCELLED)
    return {"day": day, "tech": tech, "other": other, "first": first, "second": second, "mine": mine,
            "theirs": theirs, "cancelled": cancelled}


async def test_the_calendar_lists_entries_by_day_per_technician_and_for_the_team(
        client: httpx.AsyncClient, world) -> None:  # type: ignore[no-untyped-def]
    day, first, second = world["day"], world["first"], world["second"]
    await log_in(client, TECH)
    team = Page((await client.get("/field/calendar", params={"date": day.isoformat()})).text)
    assert f"/tickets/{first.code}#interventions" in team.links and f"/tickets/{second.code}#interventions" in team.links
    assert "Giulia Conti" in team.text
    assert team.text.count("Stampante di rete") == 1  # the cancelled one is not shown
    # 23:00 in Rome is the same day there, whatever UTC says.
    week = (await client.get("/field/calendar", params={"view": "week", "date": day.isoformat(),
                                                         "technician": str(world["other"].id)})).text
    page = Page(week)
    assert f"/tickets/{second.code}#interventions" in page.links and f"/tickets/{first.code}#interventions" not in page.links
    block = week[week.index(f'datetime="{day.isoformat()}"'):]
    assert block.index("Stampante di rete") < block.index('class="calendar-day')
    monday = day - timedelta(days=day.weekday())
    assert f"date={(monday - timedelta(days=7)).isoformat()}" in week and f"date={(monday + timedelta(days=7)).isoformat()}" in week
    assert "view=month" in week  # the switch back to the month
    # Nonsense in the query falls back to the defaults; requesters have no calendar.
    assert (await client.get("/field/calendar", params={"view": "year", "date": "soon", "technician": "x"})).status_code == 200
    await log_in(client, "mario@valdora.example")
    assert (await client.get("/field/calendar")).status_code == 404


async def test_the_feed_parses_holds_the_technicians_events_and_a_revoked_address_answers_404(
        client: httpx.AsyncClient, world) -> None:  # type: ignore[no-untyped-def]
    await log_in(client, TECH)
    assert (await client.get("/field/feed")).status_code == 200
    made = Page((await client.post("/field/feed", data={"action": "regenerate"})).text)
    path = made.inputs["feed_address"].removeprefix("http://testserver")
    assert path.startswith("/field/ical/cal_")
    await log_out(client)  # the address alone opens it: calendar apps carry no session
    served = await client.get(path)
    assert served.status_code == 200 and served.headers["content-type"].startswith("text/calendar")
    uids = {str(e["UID"]): e for e in Calendar.from_ical(served.content).walk("VEVENT")}
    mine = uids[f"intervention-{world['mine'].id}@sportello"]
    assert str(mine["SUMMARY"]) == f"{world['first'].code} Lettore badge guasto"
    assert str(mine["LOCATION"]) == "Municipio" and str(mine["STATUS"]) == "TENTATIVE"
    assert mine.decoded("DTSTART") == world["mine"].starts_at
    assert f"intervention-{world['theirs'].id}@sportello" not in uids  # another technician's
    assert str(uids[f"intervention-{world['cancelled'].id}@sportello"]["STATUS"]) == "CANCELLED"

    await log_in(client, TECH)
    again = Page((await client.post("/field/feed", data={"action": "regenerate"})).text)
    assert (await client.get(path)).status_code == 404  # regenerated: the old address is gone
    new_path = again.inputs["feed_address"].removeprefix("http://testserver")
    assert (await client.get(new_path)).status_code == 200
    assert (await client.post("/field/feed", data={"action": "revoke"})).status_code == 303
    assert (await client.get(new_path)).status_code == 404
    assert (await client.get("/field/ical/cal_nothing-here")).status_code == 404
