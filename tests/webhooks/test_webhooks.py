"""Webhooks end to end: an admin registers a real local HTTP receiver, changes write deliveries in their own
transaction, the sender signs and posts them, a failing receiver is retried, and the log shows every attempt."""

import hashlib
import hmac
import json
import re
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from tortoise.transactions import in_transaction

from app.settings import Settings
from app.tickets import service
from app.tickets.workflow import Event
from app.webhooks.delivery import deliver_due
from app.webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from tests.kb.support import make_article
from tests.support import Page, log_in, make_company, make_user
from tests.tickets.helpers import move, open_ticket

ADMIN = "admin@sportello.example"


class Receiver:
    """A real HTTP server on a free port: records each POST and answers with the next planned status."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.planned: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                status = receiver.planned.pop(0) if receiver.planned else 200
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def payloads(self) -> list[dict]:
        return [json.loads(body) for _headers, body in self.received]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


async def _register(client: httpx.AsyncClient, url: str, *events: str) -> str:
    await log_in(client, ADMIN)
    made = await client.post("/admin/webhooks", data={"url": url, "events": list(events), "description": "CRM"})
    assert made.status_code == 200, Page(made.text).alerts
    match = re.search(r'<code id="new-secret">([^<]+)</code>', made.text)
    assert match
    return match.group(1)


@pytest.fixture
async def people(settings: Settings) -> dict[str, object]:
    company = await make_company("Alfa Servizi")
    return {"mario": await make_user("mario@alfa.example", company, full_name="Mario Rossi"),
            "tech": await make_user("tecnico@sportello.example", is_technician=True, full_name="Marco Ferri"),
            "admin": await make_user(ADMIN, is_admin=True, is_technician=True)}


async def _send(now: datetime | None = None) -> int:
    async with httpx.AsyncClient() as http:
        return await deliver_due(http, now)


async def test_a_new_ticket_reaches_the_receiver_signed(client: httpx.AsyncClient, settings: Settings,
                                                        receiver: Receiver, people: dict[str, object]) -> None:
    secret = await _register(client, receiver.url, "ticket.created", "comment.created")
    listing = await client.get("/admin/webhooks")
    assert receiver.url in listing.text and secret not in listing.text
    ticket = await open_ticket(settings, people["mario"], title="Stampa cedolini bloccata")  # type: ignore[arg-type]
    assert await _send() == 1
    (headers, body), = receiver.received
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["x-sportello-signature"], expected)
    payload = json.loads(body)
    assert payload["event"] == "ticket.created" and headers["x-sportello-event-id"] == payload["id"]
    assert payload["data"]["ticket"]["code"] == ticket.code
    assert payload["data"]["ticket"]["title"] == "Stampa cedolini bloccata"
    assert abs(int(headers["x-sportello-timestamp"]) - datetime.now(UTC).timestamp()) < 60
    assert headers["content-type"] == "application/json"


async def test_internal_notes_never_leave_the_portal(client: httpx.AsyncClient, settings: Settings,
                                                     receiver: Receiver, people: dict[str, object]) -> None:
    await _register(client, receiver.url, "comment.created")
    ticket = await open_ticket(settings, people["mario"])  # type: ignore[arg-type]
    await service.add_comment(settings, people["tech"], ticket, "Notasegreta: password del server", internal=True)  # type: ignore[arg-type]
    await service.add_comment(settings, people["tech"], ticket, "Stiamo verificando.")  # type: ignore[arg-type]
    await _send()
    assert [p["data"]["comment"]["body"] for p in receiver.payloads()] == ["Stiamo verificando."]
    assert all("Notasegreta" not in body.decode() for _headers, body in receiver.received)


async def test_a_change_rolled_back_sends_nothing(client: httpx.AsyncClient, settings: Settings,
                                                  receiver: Receiver, people: dict[str, object]) -> None:
    await _register(client, receiver.url, "ticket.created")
    with pytest.raises(RuntimeError):
        async with in_transaction():
            await open_ticket(settings, people["mario"])  # type: ignore[arg-type]
            raise RuntimeError("the change fails after the ticket was written")
    assert await WebhookDelivery.all().count() == 0


async def test_a_failing_receiver_is_retried_with_backoff_and_the_log_shows_each_attempt(
        client: httpx.AsyncClient, settings: Settings, receiver: Receiver, people: dict[str, object]) -> None:
    await _register(client, receiver.url, "ticket.created", "ticket.changed")
    receiver.planned = [500]
    await open_ticket(settings, people["mario"])  # type: ignore[arg-type]
    start = datetime.now(UTC)
    assert await _send(start) == 0
    delivery = await WebhookDelivery.get()
    assert delivery.status is DeliveryStatus.PENDING and delivery.attempts == 1 and delivery.last_status_code == 500
    assert timedelta(seconds=25) < delivery.next_attempt_at - start <= timedelta(seconds=31)
    assert await _send(start + timedelta(seconds=10)) == 0  # not due yet
    assert await _send(start + timedelta(seconds=31)) == 1
    delivery = await WebhookDelivery.get()
    assert delivery.status is DeliveryStatus.DELIVERED and delivery.attempts == 2
    assert [a.status_code for a in await WebhookAttempt.all()] == [500, 200]
    assert len(receiver.received) == 2 and receiver.received[0][1] == receiver.received[1][1]  # the same bytes
    endpoint = await WebhookEndpoint.get()
    log = Page((await client.get(f"/admin/webhooks/{endpoint.id}")).text).text
    assert "ticket.created" in log and "500" in log and "200" in log and "HTTP 500" in log


async def test_an_unreachable_receiver_is_logged_and_given_up_after_the_last_attempt(
        client: httpx.AsyncClient, settings: Settings, people: dict[str, object]) -> None:
    await _register(client, "http://127.0.0.1:9/nobody", "ticket.created")
    await open_ticket(settings, people["mario"])  # type: ignore[arg-type]
    moment = datetime.now(UTC)
    for _attempt in range(8):
        await _send(moment)
        moment += timedelta(hours=2)
    delivery = await WebhookDelivery.get()
    assert delivery.status is DeliveryStatus.FAILED and delivery.attempts == 8 and delivery.last_status_code is None
    assert "ConnectError" in delivery.last_error


async def test_a_disabled_endpoint_gets_nothing_more(client: httpx.AsyncClient, settings: Settings,
                                                     receiver: Receiver, people: dict[str, object]) -> None:
    await _register(client, receiver.url, "ticket.created")
    ticket = await open_ticket(settings, people["mario"])  # type: ignore[arg-type]
    endpoint = await WebhookEndpoint.get()
    assert (await client.post(f"/admin/webhooks/{endpoint.id}/active", data={"active": "0"})).status_code == 303
    await open_ticket(settings, people["mario"], title="Un altro")  # type: ignore[arg-type]
    await _send()
    assert receiver.received == [] and ticket.id
    assert await WebhookDelivery.filter(status=DeliveryStatus.FAILED).count() == 1  # queued before, then dropped
    assert await WebhookDelivery.all().count() == 1


async def test_status_changes_and_published_articles_are_events(client: httpx.AsyncClient, settings: Settings,
                                                                receiver: Receiver, people: dict[str, object]) -> None:
    await _register(client, receiver.url, "ticket.changed", "article.published")
    ticket = await open_ticket(settings, people["mario"])  # type: ignore[arg-type]
    await move(settings, people["tech"], ticket, Event.TAKE_IN_CHARGE)  # type: ignore[arg-type]
    await make_article("cambio-password", "Come cambio la password")
    await _send()
    events = [(p["event"], p["data"].get("change"), p["data"].get("article", {}).get("slug")) for p in receiver.payloads()]
    assert events == [("ticket.changed", "status", None), ("article.published", None, "cambio-password")]
    assert receiver.payloads()[0]["data"]["ticket"]["status"] == "attesa_supporto"


async def test_only_admins_reach_the_webhook_pages_and_bad_input_is_refused(
        client: httpx.AsyncClient, people: dict[str, object]) -> None:
    await log_in(client, "tecnico@sportello.example")
    assert (await client.get("/admin/webhooks")).status_code == 404
    await log_in(client, ADMIN)
    bad = await client.post("/admin/webhooks", data={"url": "ftp://example.org", "events": ["ticket.created"]})
    assert bad.status_code == 400
    none = await client.post("/admin/webhooks", data={"url": "https://example.org/hook"})
    assert none.status_code == 400 and await WebhookEndpoint.all().count() == 0
