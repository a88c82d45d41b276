"""Canned replies: technicians keep shared and own replies; Insert fills the placeholders for the ticket, as text
for the script and, without JavaScript, as the ticket page with the reply box filled."""

import re

import httpx
import pytest

from app.canned import service
from app.canned.models import CannedReply
from app.settings import Settings
from app.tickets.models import Comment
from tests.support import Page, log_in, make_company, make_user
from tests.tickets.helpers import open_ticket

TECH, OTHER_TECH = "tecnico@sportello.example", "tecnica2@sportello.example"
BODY = "Gentile {requester_name} ({company_name}),\nabbiamo preso in carico {ticket_code}: {ticket_title}.\n{technician_name}"


@pytest.fixture
async def ticket(settings: Settings):  # type: ignore[no-untyped-def]
    company = await make_company("Comune di Valdora")
    mario = await make_user("mario@valdora.example", company, full_name="Mario Rossi")
    await make_user(TECH, is_technician=True, full_name="Marco Ferri")
    await make_user(OTHER_TECH, is_technician=True, full_name="Giulia Conti")
    await make_user("editor@sportello.example", is_editor=True)
    return await open_ticket(settings, mario, title="Stampa cedolini bloccata")


def test_fill_replaces_known_placeholders_and_leaves_other_braces() -> None:
    values = {"requester_name": "Mario", "ticket_code": "TT7"}
    assert service.fill("Ciao {requester_name}, {ticket_code} {json} {", values) == "Ciao Mario, TT7 {json} {"
    assert service.unknown_placeholders("{requester_name} {nome} {x}") == ["nome", "x"]


async def test_a_technician_keeps_shared_and_own_replies(client: httpx.AsyncClient, ticket) -> None:  # type: ignore[no-untyped-def]
    await log_in(client, TECH)
    shared = await client.post("/canned", data={"title": "Presa in carico", "body": BODY, "shared": "on"})
    assert shared.status_code == 303
    own = await client.post("/canned", data={"title": "Mia firma", "body": "Saluti, {technician_name}"})
    assert own.status_code == 303
    assert Page((await client.get("/canned")).text).text.count("Presa in carico") == 1
    await log_in(client, OTHER_TECH)
    listed = Page((await client.get("/canned")).text).text
    assert "Presa in carico" in listed and "Mia firma" not in listed
    mine = await CannedReply.get(title="Mia firma")
    assert (await client.get(f"/canned/{mine.id}")).status_code == 404
    assert (await client.post(f"/canned/{mine.id}/delete")).status_code == 404
    assert await CannedReply.exists(id=mine.id)


async def test_unknown_placeholders_and_empty_texts_are_refused(client: httpx.AsyncClient, ticket) -> None:  # type: ignore[no-untyped-def]
    await log_in(client, TECH)
    wrong = await client.post("/canned", data={"title": "Errata", "body": "Ciao {nome_cliente}", "shared": "on"})
    assert wrong.status_code == 400 and "{nome_cliente}" in Page(wrong.text).alerts[0]
    assert (await client.post("/canned", data={"title": "", "body": "x"})).status_code == 400
    assert await CannedReply.all().count() == 0


async def test_insert_fills_the_reply_for_the_ticket_with_and_without_javascript(
        client: httpx.AsyncClient, ticket) -> None:  # type: ignore[no-untyped-def]
    reply = await CannedReply.create(title="Presa in carico", body=BODY)
    await log_in(client, TECH)
    page = await client.get(f"/tickets/{ticket.code}")
    assert f'<option value="{reply.id}">Presa in carico</option>' in page.text
    expected = (f"Gentile Mario Rossi (Comune di Valdora),\nabbiamo preso in carico {ticket.code}: "
                "Stampa cedolini bloccata.\nMarco Ferri")
    as_text = await client.get(f"/tickets/{ticket.code}/canned", params={"canned": reply.id, "format": "text"})
    assert as_text.text == expected
    key = Page(page.text).inputs["submission"]
    without_js = await client.get(f"/tickets/{ticket.code}/canned",
                                  params={"canned": reply.id, "body": "Buongiorno.", "submission": key})
    box = re.search(r'<textarea id="body" name="body"[^>]*>(.*?)</textarea>', without_js.text, re.S)
    assert box and box.group(1) == "Buongiorno.\n\n" + expected
    assert Page(without_js.text).inputs["submission"] == key  # the form keeps its one-time key
    sent = await client.post(f"/tickets/{ticket.code}/comments", data={"body": box.group(1), "submission": key})
    assert sent.status_code == 303 and (await Comment.get()).body == "Buongiorno.\n\n" + expected


async def test_only_technicians_insert_canned_replies(client: httpx.AsyncClient, ticket) -> None:  # type: ignore[no-untyped-def]
    reply = await CannedReply.create(title="Presa in carico", body=BODY)
    for email in ("mario@valdora.example", "editor@sportello.example"):
        await log_in(client, email)
        page = await client.get(f"/tickets/{ticket.code}")
        assert f'<option value="{reply.id}">Presa in carico</option>' not in page.text  # the SLA line says the words
        answer = await client.get(f"/tickets/{ticket.code}/canned", params={"canned": reply.id, "format": "text"})
        assert answer.status_code == 404 and "Gentile" not in answer.text
        assert (await client.get("/canned")).status_code == 404
