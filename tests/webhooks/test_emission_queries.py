"""Webhook emission costs a ticket change no query while no endpoint wants its event; an admin adding or
disabling an endpoint is seen by the very next change."""

import httpx

from app.settings import Settings
from app.tickets import service
from app.webhooks.events import wanted
from app.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.support import log_in, make_company, make_user
from tests.test_query_counts import counted
from tests.tickets.helpers import open_ticket


def _endpoint_reads(statements: list[str]) -> list[str]:
    return [s for s in statements if "webhook_endpoint" in s]


async def test_no_endpoint_no_query_and_admin_changes_are_seen_at_once(client: httpx.AsyncClient,
                                                                       settings: Settings) -> None:
    mario = await make_user("mario@alfa.example", await make_company("Alfa Servizi"))
    tech = await make_user("tecnico@sportello.example", is_technician=True)
    await make_user("admin@sportello.example", is_admin=True)
    ticket = await open_ticket(settings, mario)
    wanted.forget()
    await service.add_comment(settings, tech, ticket, "Prima risposta")  # reads the endpoints once
    with counted() as statements:
        await service.add_comment(settings, tech, ticket, "Seconda risposta")
        await open_ticket(settings, mario, title="Un altro")
    assert _endpoint_reads(statements) == [] and statements  # the changes themselves were written

    await log_in(client, "admin@sportello.example")
    made = await client.post("/admin/webhooks", data={"url": "http://127.0.0.1:9/hook", "events": ["comment.created"]})
    assert made.status_code == 200
    await service.add_comment(settings, tech, ticket, "Terza risposta")
    assert await WebhookDelivery.filter(event="comment.created").count() == 1
    with counted() as statements:  # nobody wants ticket.created: still no read for it
        await open_ticket(settings, mario, title="Ancora uno")
    assert _endpoint_reads(statements) == []

    endpoint = await WebhookEndpoint.get()
    assert (await client.post(f"/admin/webhooks/{endpoint.id}/active", data={"active": "0"})).status_code == 303
    with counted() as statements:
        await service.add_comment(settings, tech, ticket, "Quarta risposta")
    assert await WebhookDelivery.filter(event="comment.created").count() == 1
    assert len(_endpoint_reads(statements)) == 1  # reread once after the change, then remembered
