"""The JSON API against the real app and database: tokens, the pages' permission rules, errors, files, search."""

import io

import httpx
import pytest
from starlette.datastructures import UploadFile

from app.api.models import ApiToken
from app.searching.engine import get_engine
from app.searching.indexer import drain_all
from app.searching.sources import document_sources
from app.settings import Settings
from app.tickets import service
from app.tickets.models import Comment, Ticket
from app.tickets.workflow import Event
from tests.api.support import bearer, token_for
from tests.kb.support import make_article
from tests.support import log_in, make_company, make_user
from tests.tickets.helpers import move, open_ticket

TECH = "tecnico@sportello.example"


@pytest.fixture
async def world(settings: Settings) -> dict[str, object]:
    alfa = await make_company("Alfa Servizi", shares_tickets=True)
    beta = await make_company("Beta Comune")
    mario = await make_user("mario@alfa.example", alfa, full_name="Mario Rossi")
    bruno = await make_user("bruno@beta.example", beta, full_name="Bruno Neri")
    tech = await make_user(TECH, is_technician=True, full_name="Marco Ferri")
    mine = await open_ticket(settings, mario, title="Stampa cedolini bloccata")
    theirs = await open_ticket(settings, bruno, title="Zanzibarite fattura elettronica")
    return {"mario": mario, "bruno": bruno, "tech": tech, "mine": mine, "theirs": theirs}


async def test_without_a_valid_token_every_call_is_401_and_the_session_cookie_does_not_count(
        client: httpx.AsyncClient, world: dict[str, object]) -> None:
    assert (await client.get("/api/v1/tickets")).status_code == 401
    wrong = await client.get("/api/v1/tickets", headers=bearer("spt_not-a-real-token"))
    assert wrong.status_code == 401
    assert wrong.json()["error"]["message"].startswith("A valid API token is required")
    assert wrong.headers["www-authenticate"].startswith("Bearer")
    await log_in(client, "mario@alfa.example")
    assert (await client.get("/api/v1/tickets")).status_code == 401  # a signed-in browser is no API caller


async def test_a_token_is_shown_once_stored_hashed_noted_when_used_and_revoked(
        client: httpx.AsyncClient, world: dict[str, object]) -> None:
    token = await token_for(client, "mario@alfa.example", "read", name="Integrazione CRM")
    row = await ApiToken.get(name="Integrazione CRM")
    assert row.token_hash != token and token not in row.token_hash and row.prefix == token[:12]
    assert row.last_used_at is None
    await log_in(client, "mario@alfa.example")
    listed = await client.get("/preferences/api-tokens")
    assert "Integrazione CRM" in listed.text and row.prefix in listed.text and token not in listed.text
    client.cookies.clear()
    assert (await client.get("/api/v1/tickets", headers=bearer(token))).status_code == 200
    assert (await ApiToken.get(id=row.id)).last_used_at is not None
    await log_in(client, "mario@alfa.example")
    assert (await client.post(f"/preferences/api-tokens/{row.id}/revoke")).status_code == 303
    client.cookies.clear()
    assert (await client.get("/api/v1/tickets", headers=bearer(token))).status_code == 401


async def test_another_persons_token_cannot_be_revoked(client: httpx.AsyncClient, world: dict[str, object]) -> None:
    await token_for(client, "mario@alfa.example", "read")
    row = await ApiToken.get(user_id=world["mario"].id)  # type: ignore[attr-defined]
    await log_in(client, "bruno@beta.example")
    assert (await client.post(f"/preferences/api-tokens/{row.id}/revoke")).status_code == 404
    assert await ApiToken.exists(id=row.id)


async def test_a_token_needs_a_name_and_a_permission(client: httpx.AsyncClient, world: dict[str, object]) -> None:
    await log_in(client, "mario@alfa.example")
    refused = await client.post("/preferences/api-tokens", data={"name": "x"})
    assert refused.status_code == 400 and not await ApiToken.exists()


async def test_wrong_tokens_from_one_client_are_limited(client: httpx.AsyncClient, world: dict[str, object]) -> None:
    token = await token_for(client, "mario@alfa.example", "read")
    for attempt in range(30):
        assert (await client.get("/api/v1/tickets", headers=bearer(f"spt_guess{attempt}"))).status_code == 401
    limited = await client.get("/api/v1/tickets", headers=bearer(token))
    assert limited.status_code == 429 and "Too many" in limited.json()["error"]["message"]


async def test_a_requester_sees_his_tickets_and_never_another_companys(
        client: httpx.AsyncClient, world: dict[str, object]) -> None:
    token = await token_for(client, "mario@alfa.example", "read")
    listed = (await client.get("/api/v1/tickets", headers=bearer(token))).json()
    assert [t["title"] for t in listed["tickets"]] == ["Stampa cedolini bloccata"] and listed["total"] == 1
    searched = (await client.get("/api/v1/tickets?q=Zanzibarite", headers=bearer(token))).json()
    assert searched["total"] == 0
    theirs = world["theirs"]
    other = await client.get(f"/api/v1/tickets/{theirs.code}", headers=bearer(token))  # type: ignore[attr-defined]
    assert other.status_code == 404 and "Zanzibarite" not in other.text
    mine = (await client.get(f"/api/v1/tickets/{world['mine'].code}", headers=bearer(token))).json()  # type: ignore[attr-defined]
    assert mine["requester"]["name"] == "Mario Rossi" and mine["status"] == "aperto"


async def test_list_filters_are_checked(client: httpx.AsyncClient, world: dict[str, object]) -> None:
    token = await token_for(client, TECH, "read")
    bad = await client.get("/api/v1/tickets?status=nonsense&size=500", headers=bearer(token))
    assert bad.status_code == 400
    assert {f["field"] for f in bad.json()["error"]["fields"]} == {"status", "size"}
    assert (await client.get("/api/v1/tickets?unknown=1", headers=bearer(token))).status_code == 400
    page = (await client.get("/api/v1/tickets?size=1&page=2", headers=bearer(token))).json()
    assert page["total"] == 2 and page["pages"] == 2 and len(page["tickets"]) == 1


async def test_a_read_token_cannot_write(client: httpx.AsyncClient, world: dict[str, object]) -> None:
    token = await token_for(client, "mario@alfa.example", "read")
    refused = await client.post("/api/v1/tickets", headers=bearer(token), json={"title": "x"})
    assert refused.status_code == 403 and await Ticket.all().count() == 2


async def test_opening_a_ticket_validates_every_field_and_writes_nothing_on_error(
        client: httpx.AsyncClient, world: dict[str, object]) -> None:
    token = await token_for(client, "mario@alfa.example", "write", "read")
    bad = await client.post("/api/v1/tickets", headers=bearer(token),
                            json={"title": "", "ticket_type": "guasto", "description": "x", "extra": 1})
    assert bad.status_code == 400
    assert {f["field"] for f in bad.json()["error"]["fields"]} == {"title", "ticket_type", "extra"}
    not_json = await client.post("/api/v1/tickets", headers=bearer(token), content=b"{title")
    assert not_json.status_code == 400 and "JSON" in not_json.json()["error"]["message"]
    huge = await client.post("/api/v1/tickets", headers=bearer(token), content=b"x" * (1024 * 1024 + 10))
    assert huge.status_code == 413
    bad_category = await client.post("/api/v1/tickets", headers=bearer(token), json={
        "title": "Nuovo", "ticket_type": "anomalia", "description": "Testo", "category_id": 999})
    assert bad_category.status_code == 400 and "category" in bad_category.json()["error"]["message"]
    nul = await client.post("/api/v1/tickets", headers=bearer(token), json={
        "title": "Nuovo\u0000", "ticket_type": "anomalia", "description": "Testo"})
    assert nul.status_code == 400 and [f["field"] for f in nul.json()["error"]["fields"]] == ["title"]
    assert await Ticket.all().count() == 2
    made = await client.post("/api/v1/tickets", headers=bearer(token), json={
        "title": "Cedolino di marzo", "ticket_type": "chiarimento", "description": "Dove lo trovo?"})
    assert made.status_code == 201
    body = made.json()
    assert body["code"].startswith("TT") and body["requester"]["name"] == "Mario Rossi"
    assert (await Ticket.get(id=body["id"])).requester_id == world["mario"].id  # type: ignore[attr-defined]


async def test_staff_open_tickets_for_a_requester_they_name(client: httpx.AsyncClient, world: dict[str, object]) -> None:
    token = await token_for(client, TECH, "write")
    unnamed = await client.post("/api/v1/tickets", headers=bearer(token), json={
        "title": "Telefonata", "ticket_type": "richiesta", "description": "Richiesta al telefono"})
    assert unnamed.status_code == 400 and unnamed.json()["error"]["fields"][0]["field"] == "requester_id"
    named = await client.post("/api/v1/tickets", headers=bearer(token), json={
        "title": "Telefonata", "ticket_type": "richiesta", "description": "Richiesta al telefono",
        "requester_id": world["bruno"].id})  # type: ignore[attr-defined]
    assert named.status_code == 201 and named.json()["company"] == "Beta Comune"


async def test_comments_and_internal_notes_follow_the_pages_rules(
        client: httpx.AsyncClient, settings: Settings, world: dict[str, object]) -> None:
    mine: Ticket = world["mine"]  # type: ignore[assignment]
    mario = await token_for(client, "mario@alfa.example", "read", "write")
    tech = await token_for(client, TECH, "read", "write")
    note = await client.post(f"/api/v1/tickets/{mine.code}/comments", headers=bearer(tech),
                             json={"body": "Notasegreta: verificare il server", "internal": True})
    assert note.status_code == 201 and note.json()["internal"] is True
    smuggled = await client.post(f"/api/v1/tickets/{mine.code}/comments", headers=bearer(mario),
                                 json={"body": "vorrei una nota", "internal": True})
    assert smuggled.status_code == 400
    reply = await client.post(f"/api/v1/tickets/{mine.code}/comments", headers=bearer(mario),
                              json={"body": "Ho riavviato il browser."})
    assert reply.status_code == 201 and reply.json()["number"] == 1
    seen = (await client.get(f"/api/v1/tickets/{mine.code}", headers=bearer(mario))).json()
    assert [c["body"] for c in seen["comments"]] == ["Ho riavviato il browser."]
    staff_view = (await client.get(f"/api/v1/tickets/{mine.code}", headers=bearer(tech))).json()
    assert len(staff_view["comments"]) == 2
    bruno = await token_for(client, "bruno@beta.example", "write")
    foreign = await client.post(f"/api/v1/tickets/{mine.code}/comments", headers=bearer(bruno), json={"body": "ciao"})
    assert foreign.status_code == 404


async def test_a_closed_ticket_refuses_a_requesters_comment_with_400(
        client: httpx.AsyncClient, settings: Settings, world: dict[str, object]) -> None:
    mine: Ticket = world["mine"]  # type: ignore[assignment]
    await move(settings, world["tech"], mine, Event.TAKE_IN_CHARGE, Event.RESOLVE, resolution="Fatto")  # type: ignore[arg-type]
    await move(settings, world["mario"], mine, Event.CLOSE)  # type: ignore[arg-type]
    token = await token_for(client, "mario@alfa.example", "write")
    refused = await client.post(f"/api/v1/tickets/{mine.code}/comments", headers=bearer(token), json={"body": "x"})
    assert refused.status_code == 400 and "closed" in refused.json()["error"]["message"]


async def test_files_download_for_those_who_see_them_and_note_files_stay_internal(
        client: httpx.AsyncClient, settings: Settings, world: dict[str, object]) -> None:
    mine: Ticket = world["mine"]  # type: ignore[assignment]
    public = UploadFile(io.BytesIO(b"log del server\n"), filename="server.log")
    await service.add_attachments(settings, world["mario"], mine, [public])  # type: ignore[arg-type]
    secret = UploadFile(io.BytesIO(b"password admin\n"), filename="interno.txt")
    await service.add_comment(settings, world["tech"], mine, "nota", internal=True, uploads=[secret])  # type: ignore[arg-type]
    mario = await token_for(client, "mario@alfa.example", "read")
    files = (await client.get(f"/api/v1/tickets/{mine.code}", headers=bearer(mario))).json()["attachments"]
    assert [f["name"] for f in files] == ["server.log"]
    got = await client.get(files[0]["url"].removeprefix("http://testserver"), headers=bearer(mario))
    assert got.status_code == 200 and got.content == b"log del server\n"
    assert got.headers["content-disposition"].startswith("attachment")
    tech = await token_for(client, TECH, "read")
    staff_files = (await client.get(f"/api/v1/tickets/{mine.code}", headers=bearer(tech))).json()["attachments"]
    internal = next(f for f in staff_files if f["internal"])
    path = internal["url"].removeprefix("http://testserver")
    assert (await client.get(path, headers=bearer(tech))).content == b"password admin\n"
    assert (await client.get(path, headers=bearer(mario))).status_code == 404
    bruno = await token_for(client, "bruno@beta.example", "read")
    assert (await client.get(files[0]["url"].removeprefix("http://testserver"), headers=bearer(bruno))).status_code == 404


async def test_articles_follow_their_audience(client: httpx.AsyncClient, world: dict[str, object]) -> None:
    await make_article("cambio-password", "Come cambio la password", "Vai su **Preferenze**.\n")
    await make_article("procedura-interna", "Segretissimo: procedura interna", audience="staff")
    await make_article("bozza", "Bozza non pubblicata", published=False)
    mario = await token_for(client, "mario@alfa.example", "read")
    listed = (await client.get("/api/v1/kb/articles", headers=bearer(mario))).json()
    assert [a["slug"] for a in listed["articles"]] == ["cambio-password"] and listed["total"] == 1
    one = (await client.get("/api/v1/kb/articles/cambio-password", headers=bearer(mario))).json()
    assert one["body"] == "Vai su **Preferenze**.\n" and "<strong>Preferenze</strong>" in one["html"]
    staff_only = await client.get("/api/v1/kb/articles/procedura-interna", headers=bearer(mario))
    assert staff_only.status_code == 404 and "Segretissimo" not in staff_only.text
    assert (await client.get("/api/v1/kb/articles/bozza", headers=bearer(mario))).status_code == 404
    tech = await token_for(client, TECH, "read")
    staff = (await client.get("/api/v1/kb/articles", headers=bearer(tech))).json()
    assert {a["slug"] for a in staff["articles"]} == {"cambio-password", "procedura-interna"}


async def test_search_answers_as_the_portal_would_for_the_caller(
        client: httpx.AsyncClient, settings: Settings, world: dict[str, object]) -> None:
    await move(settings, world["tech"], world["theirs"], Event.TAKE_IN_CHARGE, Event.RESOLVE,  # type: ignore[arg-type]
               resolution="Zanzibarite risolta reinstallando")
    await move(settings, world["tech"], world["mine"], Event.TAKE_IN_CHARGE, Event.RESOLVE,  # type: ignore[arg-type]
               resolution="Zanzibarite sistemata con la stampante")
    await drain_all(get_engine(settings), document_sources())
    mario = await token_for(client, "mario@alfa.example", "read")
    found = (await client.get("/api/v1/search?q=zanzibarite", headers=bearer(mario))).json()
    assert [h["title"] for h in found["hits"]] == [f"{world['mine'].code} Stampa cedolini bloccata"] and found["total"] == 1
    tech = await token_for(client, TECH, "read")
    staff = (await client.get("/api/v1/search?q=zanzibarite&kind=ticket", headers=bearer(tech))).json()
    assert staff["total"] == 2
    empty = await client.get("/api/v1/search?q=", headers=bearer(mario))
    assert empty.status_code == 400 and empty.json()["error"]["fields"][0]["field"] == "q"


async def test_unknown_addresses_and_methods_answer_json(client: httpx.AsyncClient, world: dict[str, object]) -> None:
    missing = await client.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and missing.json()["error"]["status"] == 404
    wrong_method = await client.delete("/api/v1/tickets")
    assert wrong_method.status_code == 405 and wrong_method.json()["error"]["message"] == "Method not allowed."


async def test_an_idempotency_key_makes_a_retried_post_create_once(client: httpx.AsyncClient,
                                                                    world: dict[str, object]) -> None:
    token = await token_for(client, "mario@alfa.example", "write")
    ticket = {"title": "Cedolino di marzo", "ticket_type": "chiarimento", "description": "Dove lo trovo?"}
    key = {"Idempotency-Key": "retry-0123456789abcdef", **bearer(token)}
    first = await client.post("/api/v1/tickets", headers=key, json=ticket)
    again = await client.post("/api/v1/tickets", headers=key, json=ticket)
    assert first.status_code == again.status_code == 201 and first.json()["id"] == again.json()["id"]
    assert await Ticket.filter(title="Cedolino di marzo").count() == 1
    code = first.json()["code"]
    comment = {"Idempotency-Key": "comment-0123456789abcdef", **bearer(token)}
    replies = [await client.post(f"/api/v1/tickets/{code}/comments", headers=comment, json={"body": "Grazie"})
               for _ in range(2)]
    assert replies[0].json()["id"] == replies[1].json()["id"] and await Comment.filter(body="Grazie").count() == 1
    bad = await client.post("/api/v1/tickets", headers={"Idempotency-Key": "short", **bearer(token)}, json=ticket)
    assert bad.status_code == 400 and bad.json()["error"]["fields"][0]["field"] == "Idempotency-Key"
