"""What people see: "Servizi a contratto" on the company page (its own people only) and for staff on the ticket,
both SLA targets on the ticket page, the queues, the log-work form, and the admin forms refusing bad input."""

from datetime import timedelta
from decimal import Decimal

import httpx

from app.audit.models import AuditEntry
from app.contracts import clock
from app.contracts.models import CompanyPlan, ServiceContract, SlaPlan
from app.settings import Settings
from app.tickets import service
from app.tickets.models import Ticket, TicketEvent, WorkKind, WorkLog
from app.tickets.workflow import Event
from tests.contracts.helpers import make_contract, make_plan
from tests.support import Page, log_in, log_out, make_company, make_user
from tests.tickets.helpers import move, open_ticket, people

TODAY = service.local_today()


async def _contract_world(settings: Settings) -> tuple[Ticket, ServiceContract]:
    company, mario, _laura, tech = await people()
    plan = await make_plan("Oro", take=(2, 4, 8), resolve=(8, 16, 32))
    contract = await make_contract(company, "Assistenza Oro", hours=3, starts_on=TODAY - timedelta(days=5),
                                   ends_on=TODAY + timedelta(days=60), plan=plan)
    ticket = await open_ticket(settings, mario)
    await service.log_work(tech, ticket, TODAY, Decimal("4.5"), "Migrazione", WorkKind.CONTRACT, contract.id)
    return ticket, contract


async def test_the_company_page_shows_the_balance_to_that_companys_people_only(
        client: httpx.AsyncClient, settings: Settings) -> None:
    await _contract_world(settings)
    other = await make_user("bruno@beta.example", await make_company("Beta Comune"))
    await log_in(client, "laura@valdora.example")
    page = Page((await client.get("/company")).text)
    assert "Servizi a contratto" in page.headings
    assert "Assistenza Oro" in page.text and "1.5 oltre le ore acquistate" in page.text
    assert "Oro:" in page.text and "Urgente 2/8" in page.text
    await log_out(client)
    await log_in(client, other.email)
    other_page = Page((await client.get("/company")).text)
    assert "Assistenza Oro" not in other_page.text and "Nessun contratto di assistenza." in other_page.text


async def test_the_ticket_page_shows_both_targets_to_both_sides_and_the_contracts_to_staff(
        client: httpx.AsyncClient, settings: Settings) -> None:
    ticket, _contract = await _contract_world(settings)
    await log_in(client, "mario@valdora.example")
    requester = Page((await client.get(f"/tickets/{ticket.code}")).text)
    assert "Presa in carico" in requester.text and "Risoluzione" in requester.text
    assert "obiettivo 4 h" in requester.text and "obiettivo 16 h" in requester.text
    assert "Assistenza Oro" not in requester.text and "Migrazione" not in requester.text
    await log_out(client)
    await log_in(client, "tecnico@sportello.example")
    staff = Page((await client.get(f"/tickets/{ticket.code}")).text)
    assert "Assistenza Oro" in staff.text and "1.5 oltre le ore acquistate" in staff.text
    assert "A contratto: Assistenza Oro" in staff.text  # the work log says what the entry drew on
    assert staff.inputs.keys() >= {"kind", "contract"}


async def test_waiting_for_the_customer_shows_the_resolution_clock_paused(client: httpx.AsyncClient,
                                                                          settings: Settings) -> None:
    _company, mario, _laura, tech = await people()
    ticket = await open_ticket(settings, mario)
    await move(settings, tech, ticket, Event.TAKE_IN_CHARGE, Event.ASK_CUSTOMER)
    await log_in(client, mario.email)
    page = Page((await client.get(f"/tickets/{ticket.code}")).text)
    assert "In pausa in attesa del cliente" in page.text


async def test_the_queue_lists_a_ticket_late_on_its_resolution(client: httpx.AsyncClient, settings: Settings) -> None:
    _company, mario, _laura, tech = await people()
    ticket = await open_ticket(settings, mario)
    await move(settings, tech, ticket, Event.TAKE_IN_CHARGE)
    await log_in(client, tech.email)
    assert ticket.code not in (await client.get("/tickets/queues?queue=sla")).text
    long_ago = service.now_utc() - timedelta(days=30)  # opened and taken a month ago: 40 working hours are gone
    await Ticket.filter(id=ticket.id).update(created_at=long_ago)
    await TicketEvent.filter(ticket_id=ticket.id).update(created_at=long_ago)
    await clock.store_late_instants([ticket.id])  # as the service does with what it changes
    page = await client.get("/tickets/queues?queue=sla")
    assert ticket.code in page.text and "Scaduto" in Page(page.text).text


async def test_a_refused_contract_entry_comes_back_with_the_message_and_writes_nothing(
        client: httpx.AsyncClient, settings: Settings) -> None:
    ticket, contract = await _contract_world(settings)
    await ServiceContract.filter(id=contract.id).update(ends_on=TODAY - timedelta(days=1))
    await log_in(client, "tecnico@sportello.example")
    before = await WorkLog.all().count()
    response = await client.post(f"/tickets/{ticket.code}/worklog", data={
        "day": TODAY.isoformat(), "hours": "1", "kind": "contract", "contract": str(contract.id)})
    assert response.status_code == 400
    assert "non è valido nel giorno del lavoro" in " ".join(Page(response.text).alerts)
    assert await WorkLog.all().count() == before


async def test_admins_create_a_plan_a_company_default_and_a_contract(client: httpx.AsyncClient,
                                                                    settings: Settings) -> None:
    company = await make_company("Comune di Valdora")
    await make_user("admin@sportello.example", is_admin=True)
    await log_in(client, "admin@sportello.example")
    saved = await client.post("/admin/sla-plans/new", data={
        "name": "H24", "take_urgent": "1", "take_medium": "2", "take_low": "4", "resolve_urgent": "4",
        "resolve_medium": "8,5", "resolve_low": "24", "work_days": [str(d) for d in range(7)],
        "work_hours": "00:00-00:00"})
    assert saved.status_code == 303
    plan = await SlaPlan.get(name="H24")
    assert plan.resolve_medium == Decimal("8.50") and plan.work_days == "0,1,2,3,4,5,6" and not plan.closed_on_holidays
    assert (await client.post("/admin/sla-plans/company-default", data={
        "company": str(company.id), "plan": str(plan.id)})).status_code == 303
    assert (await CompanyPlan.get(company_id=company.id)).plan_id == plan.id
    made = await client.post("/admin/contracts/new", data={
        "company": str(company.id), "name": "Assistenza", "number": "C-7", "starts_on": "2026-01-01",
        "ends_on": "2026-12-31", "hours_bought": "20", "plan": str(plan.id)})
    assert made.status_code == 303
    assert (await ServiceContract.get(number="C-7")).hours_bought == Decimal("20.00")
    assert set(await AuditEntry.all().values_list("action", flat=True)) == {
        "sla_plan.create", "company.sla_plan", "contract.create"}
    listing = Page((await client.get("/admin/contracts")).text)
    assert "Assistenza" in listing.text and "Comune di Valdora" in listing.text


BAD_PLANS = {
    "no name": ({"name": ""}, "Dai un nome al piano."),
    "no working day": ({"work_days": []}, "Scegli almeno un giorno lavorativo."),
    "bad hours": ({"work_hours": "18:00-09:00"}, "Orario di lavoro: scrivi intervalli"),
    "zero target": ({"take_medium": "0"}, "Ogni obiettivo è un numero di ore lavorative"),
    "text target": ({"take_medium": "otto"}, "scrivi un numero con le cifre 0-9"),
    "resolve before take": ({"resolve_low": "2"}, "non può essere più breve"),
}
GOOD_PLAN = {"name": "Ufficio", "take_urgent": "4", "take_medium": "8", "take_low": "16", "resolve_urgent": "16",
             "resolve_medium": "40", "resolve_low": "80", "work_days": ["0", "1", "2", "3", "4"],
             "work_hours": "09:00-13:00,14:00-18:00", "closed_on_holidays": "on"}


async def test_plan_forms_with_bad_input_say_why_and_write_nothing(client: httpx.AsyncClient,
                                                                   settings: Settings) -> None:
    await make_user("admin@sportello.example", is_admin=True)
    await log_in(client, "admin@sportello.example")
    for case, (changes, message) in BAD_PLANS.items():
        response = await client.post("/admin/sla-plans/new", data={**GOOD_PLAN, **changes})
        assert response.status_code == 400, case
        assert message in " ".join(Page(response.text).alerts), (case, Page(response.text).alerts)
        assert Page(response.text).inputs.get("work_hours") == {**GOOD_PLAN, **changes}["work_hours"], case
    assert await SlaPlan.all().count() == 0 and await AuditEntry.all().count() == 0
    await client.post("/admin/sla-plans/new", data=GOOD_PLAN)
    twin = await client.post("/admin/sla-plans/new", data={**GOOD_PLAN, "name": "ufficio"})
    assert twin.status_code == 400 and await SlaPlan.all().count() == 1


async def test_contract_forms_with_bad_input_say_why_and_write_nothing(client: httpx.AsyncClient,
                                                                       settings: Settings) -> None:
    company = await make_company("Comune di Valdora")
    await make_user("admin@sportello.example", is_admin=True)
    await log_in(client, "admin@sportello.example")
    good = {"company": str(company.id), "name": "Assistenza", "starts_on": "2026-01-01", "ends_on": "2026-12-31",
            "hours_bought": "20"}
    cases = {
        "no company": ({"company": ""}, "Scegli l'azienda dall'elenco."),
        "unknown company": ({"company": "999"}, "Scegli l'azienda dall'elenco."),
        "ends before it starts": ({"ends_on": "2025-12-31"}, "non può finire prima di iniziare"),
        "bad date": ({"starts_on": "31/01/2026"}, "AAAA-MM-GG"),
        "unknown plan": ({"plan": "999"}, "Scegli il piano SLA dall'elenco."),
        "negative hours": ({"hours_bought": "-3"}, "scrivi un numero con le cifre 0-9"),
    }
    for case, (changes, message) in cases.items():
        response = await client.post("/admin/contracts/new", data={**good, **changes})
        assert response.status_code == 400, case
        assert message in " ".join(Page(response.text).alerts), (case, Page(response.text).alerts)
    assert await ServiceContract.all().count() == 0
    assert (await client.get("/admin/contracts/999")).status_code == 404
