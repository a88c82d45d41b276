"""A person's data: downloaded by the person, exported and erased by an administrator, with the audit log."""

import json

import httpx

from app.accounts.models import User, UserStatus
from app.audit.models import AuditEntry
from app.mail.models import OutgoingMail
from app.searching.service import search_for
from app.settings import Settings
from app.tickets import service
from app.tickets.models import Comment, Ticket
from app.tickets.workflow import Event
from tests.flows.support import drain
from tests.support import PASSWORD, Page, log_in, log_out, make_user
from tests.tickets.helpers import move, open_ticket, people


async def test_a_requester_downloads_everything_kept_about_them_and_nothing_else(
    client: httpx.AsyncClient, settings: Settings,
) -> None:
    _company, mario, laura, tech = await people()
    await open_ticket(settings, mario, title="Stampa bloccata", description="Da stamattina.")
    await open_ticket(settings, laura, title="Ticket di Laura")
    await log_in(client, mario.email)
    response = await client.get("/account/export")
    assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]
    data = json.loads(response.text)
    assert data["account"]["email"] == mario.email and "password_hash" not in response.text
    assert [t["title"] for t in data["tickets"]] == ["Stampa bloccata"]
    assert data["sessions"] and "Ticket di Laura" not in response.text
    assert any(m["subject"] for m in data["mails"])  # the opening confirmation
    await log_out(client)
    assert (await client.get("/account/export", follow_redirects=False)).status_code in (302, 303)


async def test_erasure_replaces_the_person_everywhere_and_keeps_the_tickets(
    client: httpx.AsyncClient, settings: Settings,
) -> None:
    _company, mario, _laura, tech = await people()
    mario.phone = "+39 0471 555123"
    await mario.save()
    admin = await make_user("admin@sportello.example", is_admin=True, is_technician=True, full_name="Ada Admin")
    ticket = await open_ticket(settings, mario, title="Stampa bloccata per Mario Rossi",
                               description="Richiamare Mario Rossi al +39 0471 555123 o mario@valdora.example.")
    await service.add_comment(settings, tech, ticket, "Sentito mario@valdora.example: conferma.")
    await move(settings, tech, ticket, Event.TAKE_IN_CHARGE, Event.RESOLVE, resolution="Risolto con Mario Rossi.")
    await drain(settings)
    assert (await search_for(settings, tech, "Mario Rossi")).total == 1
    victim_session = httpx.AsyncClient(transport=client._transport, base_url=client.base_url, headers=client.headers)
    await log_in(victim_session, mario.email)

    await log_in(client, admin.email)
    page = await client.get(f"/admin/users/{mario.id}/erase")
    assert "Mario Rossi" in Page(page.text).text
    wrong = await client.post(f"/admin/users/{mario.id}/erase", data={"confirm": "someone@else.example"})
    assert wrong.status_code == 400 and (await User.get(id=mario.id)).full_name == "Mario Rossi"
    done = await client.post(f"/admin/users/{mario.id}/erase", data={"confirm": mario.email.upper()})
    assert done.status_code == 303

    erased = await User.get(id=mario.id)
    assert erased.status is UserStatus.DISABLED and erased.password_hash is None
    assert "Mario" not in erased.full_name and erased.email != mario.email and erased.phone == ""
    kept = await Ticket.get(id=ticket.id)
    written = " ".join([kept.title, kept.description, kept.resolution,
                        *[c.body for c in await Comment.filter(ticket_id=ticket.id)]])
    for identifier in ("Mario Rossi", "mario@valdora.example", "555123"):
        assert identifier.lower() not in written.lower(), identifier
    assert "Stampa bloccata" in kept.title and kept.requester_id == mario.id  # the case stays
    assert await OutgoingMail.filter(recipient=mario.email).count() == 0
    assert (await victim_session.get("/tickets", follow_redirects=False)).status_code in (302, 303)
    assert (await victim_session.post("/login", data={"email": mario.email, "password": PASSWORD})).status_code == 400
    await drain(settings)
    assert (await search_for(settings, tech, "Mario Rossi")).total == 0
    assert (await search_for(settings, tech, "Stampa bloccata")).total == 1
    entry = await AuditEntry.get(action="person.erase")
    assert entry.actor_id == admin.id and entry.target == f"user:{mario.id}" and "Mario" not in entry.summary
    assert entry.details["tickets"] == 1 and entry.details["comments"] == 1
    await victim_session.aclose()


async def test_an_admin_cannot_erase_themselves_and_others_cannot_erase_or_export(
    client: httpx.AsyncClient, settings: Settings,
) -> None:
    _company, mario, _laura, tech = await people()
    admin = await make_user("admin@sportello.example", is_admin=True, full_name="Ada Admin")
    await log_in(client, admin.email)
    refused = await client.post(f"/admin/users/{admin.id}/erase", data={"confirm": admin.email})
    assert refused.status_code == 400 and (await User.get(id=admin.id)).full_name == "Ada Admin"
    exported = await client.get(f"/admin/users/{mario.id}/export")
    assert json.loads(exported.text)["account"]["email"] == mario.email
    assert await AuditEntry.filter(action="person.export", target=f"user:{mario.id}").count() == 1
    await log_out(client)
    for person in (mario, tech):
        await log_in(client, person.email)
        for path in (f"/admin/users/{mario.id}/export", f"/admin/users/{mario.id}/erase", "/admin/audit"):
            assert (await client.get(path)).status_code == 404, (person.email, path)
        assert (await client.post(f"/admin/users/{mario.id}/erase", data={"confirm": mario.email})).status_code == 404
        await log_out(client)
    assert (await User.get(id=mario.id)).full_name == "Mario Rossi"


async def test_the_audit_log_lists_searches_and_filters_entries(client: httpx.AsyncClient, settings: Settings) -> None:
    _company, mario, _laura, _tech = await people()
    admin = await make_user("admin@sportello.example", is_admin=True, full_name="Ada Admin")
    await log_in(client, admin.email)
    await client.get(f"/admin/users/{mario.id}/export")
    await client.post(f"/admin/users/{mario.id}/erase", data={"confirm": mario.email})
    listing = Page((await client.get("/admin/audit")).text).text
    assert "person.erase" in listing and "person.export" in listing and "Ada Admin" in listing
    only_erase = Page((await client.get("/admin/audit", params={"action": "person.erase"})).text).text
    assert "Personal data erased" in only_erase and "Personal data exported" not in only_erase
    nothing = (await client.get("/admin/audit", params={"q": "nessuno così"})).text
    assert "<code>person.erase</code>" not in nothing and "<code>person.export</code>" not in nothing
    assert "<code>person.erase</code>" in (await client.get("/admin/audit", params={"q": f"user:{mario.id}"})).text
    assert (await client.get("/admin/audit", params={"page": "²"})).status_code == 200


async def test_interventions_and_expenses_are_exported_and_lose_the_person_on_erasure(
    client: httpx.AsyncClient, settings: Settings,
) -> None:
    from datetime import timedelta
    from decimal import Decimal

    from app.field.models import CalendarFeed, Expense, ExpenseKind, Intervention
    from app.privacy.service import erase_person, export_person

    _company, mario, _laura, tech = await people()
    ticket = await open_ticket(settings, mario)
    start = service.now_utc() + timedelta(days=2)
    visit = await Intervention.create(ticket_id=ticket.id, technician_id=tech.id, starts_at=start,
                                      ends_at=start + timedelta(hours=2), place="Casa di Mario Rossi",
                                      note="Chiedere di Mario Rossi", move_request="Mario Rossi preferisce giovedì")
    await Expense.create(intervention=visit, kind=ExpenseKind.MEAL, amount=Decimal("12.50"),
                         note="Pranzo con Mario Rossi", created_by_id=tech.id)
    await CalendarFeed.create(technician_id=tech.id, token_hash="a" * 64)
    exported = await export_person(mario)
    assert [i["move_request"] for i in exported["interventions"]] == ["Mario Rossi preferisce giovedì"]
    assert [e["note"] for e in (await export_person(tech))["expenses"]] == ["Pranzo con Mario Rossi"]

    admin = await make_user("admin@sportello.example", is_admin=True, full_name="Ada Admin")
    counts = await erase_person(admin, mario)
    assert (counts["interventions"], counts["expenses"]) == (1, 1)
    kept = await Intervention.get(id=visit.id)
    written = " ".join([kept.place, kept.note, kept.move_request, (await Expense.get(intervention_id=visit.id)).note])
    assert "Mario" not in written and "giovedì" in kept.move_request  # the visit stays, without the person
    await erase_person(admin, tech)
    assert await CalendarFeed.filter(technician_id=tech.id).count() == 0
