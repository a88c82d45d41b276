"""The admin changes that reach /admin/audit: ticket lists (categories, products, closures), the search lexicon,
webhooks and canned replies, each written in the same transaction as its change."""

import httpx
import pytest

from app.audit.models import AuditEntry
from app.canned.models import CannedReply
from app.settings import Settings
from app.tickets.models import Category, Closure
from app.webhooks.models import WebhookEndpoint
from tests.support import Page, log_in, make_user

ADMIN = "admin@sportello.example"


@pytest.fixture
async def admin(settings: Settings):  # type: ignore[no-untyped-def]
    return await make_user(ADMIN, is_admin=True, full_name="Anna Admin")


async def audit_text(client: httpx.AsyncClient, action: str) -> str:
    return Page((await client.get("/admin/audit", params={"action": action})).text).text


async def test_ticket_list_changes_are_audited(client: httpx.AsyncClient, admin) -> None:  # type: ignore[no-untyped-def]
    await log_in(client, ADMIN)
    assert (await client.post("/admin/ticket-lists", data={"action": "add", "kind": "category",
                                                           "name": "Stipendi", "name_en": "Payroll"})).status_code == 303
    category = await Category.get(name="Stipendi")
    await client.post("/admin/ticket-lists", data={"action": "rename", "kind": "category", "id": str(category.id),
                                                   "name": "Cedolini", "name_en": "Payslips"})
    await client.post("/admin/ticket-lists", data={"action": "toggle", "kind": "category", "id": str(category.id)})
    await client.post("/admin/ticket-lists", data={"action": "add_closure", "day": "2026-12-24", "reason": "Vigilia"})
    closure = await Closure.get(reason="Vigilia")
    await client.post("/admin/ticket-lists", data={"action": "remove_closure", "id": str(closure.id)})

    renamed = await audit_text(client, "category.update")
    assert f"category:{category.id}" in renamed and "Stipendi → Cedolini" in renamed and "Payroll → Payslips" in renamed
    assert "Anna Admin" in await audit_text(client, "category.create")
    assert f"category:{category.id}" in await audit_text(client, "category.disable")
    assert "2026-12-24" in await audit_text(client, "closure.create")
    assert f"closure:{closure.id}" in await audit_text(client, "closure.delete")
    # A refused change writes no entry.
    before = await AuditEntry.all().count()
    assert (await client.post("/admin/ticket-lists", data={"action": "add", "kind": "category",
                                                           "name": "Cedolini"})).status_code == 400
    assert await AuditEntry.all().count() == before


async def test_lexicon_changes_are_audited(client: httpx.AsyncClient, admin) -> None:  # type: ignore[no-untyped-def]
    await log_in(client, ADMIN)
    saved = await client.post("/admin/search/lexicon", data={"synonyms": "badge, tesserino", "stop_words_it": "il",
                                                             "stop_words_en": "the"})
    assert saved.status_code == 303
    listing = await audit_text(client, "lexicon.update")
    assert "lexicon" in listing and "stop_words_it" in listing and "synonym_groups" in listing
    entry = await AuditEntry.get(action="lexicon.update")
    assert entry.details["synonyms_added"] == [["badge", "tesserino"]]
    await client.post("/admin/search/lexicon", data={"action": "reset"})
    assert "Anna Admin" in await audit_text(client, "lexicon.reset")


async def test_webhook_changes_are_audited_without_the_secret(client: httpx.AsyncClient, admin) -> None:  # type: ignore[no-untyped-def]
    await log_in(client, ADMIN)
    made = await client.post("/admin/webhooks", data={"url": "https://hooks.example/sportello",
                                                      "events": ["ticket.created"]})
    assert made.status_code == 200
    endpoint = await WebhookEndpoint.get(url="https://hooks.example/sportello")
    await client.post(f"/admin/webhooks/{endpoint.id}/active", data={"active": "0"})
    created = await audit_text(client, "webhook.create")
    assert "https://hooks.example/sportello" in created and f"webhook:{endpoint.id}" in created
    assert f"webhook:{endpoint.id}" in await audit_text(client, "webhook.disable")
    assert all(endpoint.secret not in str(e.details) for e in await AuditEntry.all())


async def test_canned_reply_changes_are_audited(client: httpx.AsyncClient, admin) -> None:  # type: ignore[no-untyped-def]
    await make_user("tecnico@sportello.example", is_technician=True, full_name="Marco Ferri")
    await log_in(client, "tecnico@sportello.example")
    await client.post("/canned", data={"title": "Saluti", "body": "Buongiorno {requester_name}", "shared": "on"})
    reply = await CannedReply.get(title="Saluti")
    await client.post(f"/canned/{reply.id}", data={"title": "Saluti cordiali", "body": "Buongiorno {requester_name}"})
    await client.post(f"/canned/{reply.id}/delete")
    await log_in(client, ADMIN)
    assert "Marco Ferri" in await audit_text(client, "canned.create")
    updated = await audit_text(client, "canned.update")
    assert "Saluti → Saluti cordiali" in updated and "shared: True → False" in updated
    assert f"canned:{reply.id}" in await audit_text(client, "canned.delete")
