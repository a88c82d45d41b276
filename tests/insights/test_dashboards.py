from datetime import UTC, date, datetime, timedelta
from xml.etree import ElementTree

import httpx
import pytest

from app.insights import dashboards
from app.insights.charts import Series, column_chart, nice_top
from app.insights.service import OutcomeRow, TicketRow
from app.tickets.models import Category, Ticket
from app.tickets.workflow import Status, TicketType
from tests.insights.support import parse_csv, searched
from tests.support import Page, log_in, make_company, make_user

NOW = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)  # a Wednesday, ISO week 47
SVG = "{http://www.w3.org/2000/svg}"


def row(created: datetime, deadline: timedelta = timedelta(hours=8), taken: timedelta | None = None,
        status: Status = Status.ATTESA_SUPPORTO, category: str | None = None, technician: str | None = None,
        resolved: timedelta | None = None) -> TicketRow:
    return TicketRow(created, created + deadline, created + taken if taken is not None else None,
                     created + resolved if resolved is not None else None, status.value, category, technician)


def test_sla_outcome_rules() -> None:
    opened = NOW - timedelta(days=2)
    assert dashboards.sla_outcome(row(opened, taken=timedelta(hours=8)), NOW) == "met"  # exactly at the deadline
    assert dashboards.sla_outcome(row(opened, taken=timedelta(hours=8, seconds=1)), NOW) == "missed"
    assert dashboards.sla_outcome(row(opened, status=Status.APERTO), NOW) == "missed"
    assert dashboards.sla_outcome(row(NOW - timedelta(hours=1), status=Status.APERTO), NOW) is None
    assert dashboards.sla_outcome(row(opened, status=Status.CHIUSO), NOW) is None


def test_weeks_are_iso_weeks_in_italian_time() -> None:
    assert dashboards.week_of(datetime(2026, 11, 15, 23, 30, tzinfo=UTC)) == "2026-W47"  # Monday 00:30 in Rome
    assert dashboards.week_of(datetime(2026, 11, 15, 22, 30, tzinfo=UTC)) == "2026-W46"  # Sunday 23:30 in Rome
    assert dashboards.last_weeks(date(2026, 1, 7), 3) == ["2025-W52", "2026-W01", "2026-W02"]
    assert len(dashboards.last_weeks(NOW.date())) == 12 and dashboards.last_weeks(NOW.date())[-1] == "2026-W47"


def test_met_and_missed_by_week_category_and_technician() -> None:
    this_week, last_week = NOW - timedelta(days=1), NOW - timedelta(days=8)
    rows = [
        row(last_week, taken=timedelta(hours=1), category="Paghe", technician="Marco"),
        row(last_week, taken=timedelta(hours=9), category="Paghe", technician="Marco"),
        row(last_week, status=Status.APERTO),
        row(this_week, taken=timedelta(hours=2), category="Rete", technician="Giulia"),
        row(NOW - timedelta(hours=1), status=Status.APERTO, category="Rete"),
    ]
    weeks = ["2026-W45", "2026-W46", "2026-W47"]
    by_week = dashboards.sla_by_week(rows, weeks, NOW)
    assert [(g.label, g.met, g.missed) for g in by_week] == [("2026-W45", 0, 0), ("2026-W46", 1, 2),
                                                             ("2026-W47", 1, 0)]
    assert by_week[1].met_percent == 33.3 and by_week[0].met_percent is None
    by_category = dashboards.sla_by(rows, NOW, lambda r: r.category, "none")
    assert [(g.label, g.met, g.missed) for g in by_category] == [("Paghe", 1, 1), ("none", 0, 1), ("Rete", 1, 0)]
    by_technician = dashboards.sla_by(rows, NOW, lambda r: r.technician, "not taken")
    assert [(g.label, g.met, g.missed) for g in by_technician] == [("Marco", 1, 1), ("not taken", 0, 1),
                                                                   ("Giulia", 1, 0)]


def test_median_and_nearest_rank_p90() -> None:
    assert dashboards.percentile([5], 90) == 5
    assert dashboards.percentile(list(range(1, 11)), 90) == 9
    assert dashboards.percentile(list(range(1, 12)), 90) == 10
    opened = NOW - timedelta(days=10)
    rows = [row(opened, resolved=timedelta(hours=h), category=c)
            for h, c in ((4, "Rete"), (10, "Paghe"), (30, "Paghe"), (1, None))]
    rows.append(row(NOW - timedelta(days=100), resolved=timedelta(days=59), category="Paghe"))  # before `since`
    overall, per_category = dashboards.resolution_times(rows, NOW - timedelta(days=30), "all", "none")
    assert overall == dashboards.Durations("all", 4, 7.0, 30.0)
    assert per_category == [dashboards.Durations("none", 1, 1.0, 1.0), dashboards.Durations("Paghe", 2, 20.0, 30.0),
                            dashboards.Durations("Rete", 1, 4.0, 4.0)]
    assert dashboards.resolution_times([], NOW, "all", "none") == (None, [])


def test_deflection_rate_by_week() -> None:
    last_week = NOW - timedelta(days=7)
    rows = [OutcomeRow(last_week, True, False)] * 3 + [OutcomeRow(last_week, False, True)]
    rates = dashboards.deflection_by_week(rows, ["2026-W46", "2026-W47"])
    assert [(r.deflected, r.ticket_followed, r.rate_percent) for r in rates] == [(3, 1, 75.0), (0, 0, None)]


def test_backlog_lists_every_open_status_in_workflow_order() -> None:
    rows = dashboards.backlog({"aperto": 2, "risolto": 1, "chiuso": 9})
    assert rows[0] == (Status.APERTO, 2) and (Status.RISOLTO, 1) in rows and (Status.IN_CORSO, 0) in rows
    assert all(status not in (Status.CHIUSO, Status.NON_CONSIDERARE) for status, _n in rows)


def test_stacked_columns_are_proportional_and_described() -> None:
    series = [Series("Rispettato", "met", [2, 3]), Series("Mancato", "missed", [2, 0])]
    svg = column_chart("c", "SLA <settimana>", "Descrizione", ["W1", "W2"], series, "Settimana", "Ticket")
    tree = ElementTree.fromstring(str(svg))
    assert tree.get("role") == "img" and tree.findtext(f"{SVG}title") == "SLA <settimana>"
    assert tree.findtext(f"{SVG}desc") == "Descrizione"
    bars = {(r.get("class"), r.get("data-value")): float(r.get("height", 0)) for r in tree.iter(f"{SVG}rect")
            if r.get("data-value")}
    assert bars[("chart-met", "2")] == bars[("chart-missed", "2")]
    assert bars[("chart-met", "3")] == pytest.approx(bars[("chart-met", "2")] * 1.5)
    labels = [t.text for t in tree.iter(f"{SVG}text")]
    assert {"W1", "W2", "Settimana", "Ticket", "Rispettato", "Mancato"} <= set(labels)
    assert nice_top(0) == 4 and nice_top(7) == 8 and nice_top(99) == 100


async def _ticket(requester: object, created: datetime, *, taken: timedelta | None = None,
                  status: Status = Status.ATTESA_SUPPORTO, category: Category | None = None, technician: object = None,
                  resolved: timedelta | None = None) -> Ticket:
    ticket = await Ticket.create(title="Prova", ticket_type=TicketType.ANOMALIA, description="-", requester=requester,
                                 opened_by=requester, status=status, category=category,
                                 sla_deadline=created + timedelta(hours=8), last_interaction_at=created)
    await Ticket.filter(id=ticket.id).update(
        created_at=created, taken_at=created + taken if taken is not None else None,
        taken_by_id=getattr(technician, "id", None),
        resolved_at=created + resolved if resolved is not None else None)
    return ticket


async def test_dashboard_numbers_on_hand_made_tickets(client: httpx.AsyncClient) -> None:
    company = await make_company()
    mario = await make_user("mario@valdora.example", company, full_name="Mario Rossi")
    marco = await make_user("tech@example.it", is_technician=True, full_name="Marco Ferri")
    paghe, rete = await Category.create(name="Paghe"), await Category.create(name="Rete")
    now = datetime.now(UTC)
    last_week = now - timedelta(days=7)
    await _ticket(mario, last_week, taken=timedelta(hours=1), category=paghe, technician=marco,
                  status=Status.RISOLTO, resolved=timedelta(hours=10))
    await _ticket(mario, last_week, taken=timedelta(hours=9), category=paghe, technician=marco,
                  status=Status.RISOLTO, resolved=timedelta(hours=30))
    await _ticket(mario, last_week, status=Status.APERTO)
    await _ticket(mario, now - timedelta(minutes=5), status=Status.APERTO)
    await _ticket(mario, last_week, status=Status.CHIUSO)
    await _ticket(mario, now - timedelta(days=21), taken=timedelta(hours=2), category=rete, technician=marco,
                  status=Status.RISOLTO, resolved=timedelta(hours=4))
    await searched("cedolini", 3, times=3, days_ago=7, deflected=True)
    await searched("cedolini marzo", 0, days_ago=7, ticket_followed=True)
    await log_in(client, "tech@example.it")

    page = Page((await client.get("/insights/dashboard")).text)
    assert "Assistenza monitorata" in page.headings and "Presa in carico entro lo SLA, per settimana" in page.headings

    def table(name: str) -> list[list[str]]:
        return parse_csv(client_csv[name].content)

    client_csv = {name: await client.get(f"/insights/dashboard?format=csv&table={name}")
                  for name in ("sla_weeks", "sla_categories", "sla_technicians", "backlog", "resolution", "deflection")}
    weeks = table("sla_weeks")
    assert weeks[0] == ["Settimana", "Da", "Rispettato", "Mancato", "Rispettato (%)"] and len(weeks) == 13
    assert weeks[-2][0] == dashboards.week_of(last_week) and weeks[-2][2:] == ["1", "2", "33,3"]
    assert weeks[-1][2:] == ["0", "0", ""]
    assert table("sla_categories")[1:] == [["Paghe", "1", "1", "50"], ["Senza categoria", "0", "1", "0"],
                                           ["Rete", "1", "0", "100"]]
    assert table("sla_technicians")[1:] == [["Marco Ferri", "2", "1", "66,7"], ["Non preso in carico", "0", "1", "0"]]
    backlog = dict(r for r in table("backlog")[1:])  # type: ignore[misc]
    assert backlog[Status.APERTO.label_it] == "2" and backlog[Status.RISOLTO.label_it] == "3"
    assert Status.CHIUSO.label_it not in backlog
    assert table("resolution")[1:] == [["Tutti i ticket", "3", "10", "30"], ["Paghe", "2", "20", "30"],
                                       ["Rete", "1", "4", "4"]]
    deflection = table("deflection")
    assert [r for r in deflection if r[0] == dashboards.week_of(last_week)] == [
        [dashboards.week_of(last_week), "3", "1", "75"]]
    html = (await client.get("/insights/dashboard")).text
    assert html.count('role="img"') == 6 and 'data-value="3"' in html  # the backlog bar of Risolto


async def test_dashboard_charts_are_accessible_images_with_their_tables(client: httpx.AsyncClient) -> None:
    await make_user("boss@example.it", is_admin=True)
    await log_in(client, "boss@example.it")
    html = (await client.get("/insights/dashboard")).text
    assert html.count('role="img"') == 4 and html.count("<desc id=") == 4  # no SLA, no rating yet: no group charts
    assert html.count("<table>") == 5 and html.count("Scarica CSV") == 8
    assert html.count("Ancora nessun ticket da misurare.") == 2 and "Nessun ticket risolto in questo periodo." in html
    assert "Nessun ticket è stato valutato in questo periodo." in html


async def test_requesters_and_editors_get_404_on_the_dashboard(client: httpx.AsyncClient) -> None:
    await make_user("mario@valdora.example", await make_company(), full_name="Mario Rossi")
    await make_user("editor@example.it", is_editor=True)
    for email in ("mario@valdora.example", "editor@example.it"):
        await log_in(client, email)
        assert (await client.get("/insights/dashboard")).status_code == 404
        assert (await client.get("/insights/dashboard?format=csv&table=backlog")).status_code == 404
