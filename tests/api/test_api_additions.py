"""What the API gained after the pages: file uploads with the pages' rules, searches in the analytics, and
no token use while a temporary password waits to be replaced."""

import httpx
import pytest

from app.accounts.models import User
from app.insights.models import CallerRole, Purpose, SearchEvent
from app.searching.engine import get_engine
from app.searching.indexer import drain_all
from app.searching.sources import document_sources
from app.settings import Settings
from app.tickets.models import Attachment, Ticket
from tests.api.support import Schemas, bearer, token_for
from tests.support import Page, log_in, make_company, make_user
from tests.tickets.helpers import open_ticket

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
async def tickets(settings: Settings) -> tuple[Ticket, Ticket]:
    mario = await make_user("mario@alfa.example", await make_company("Alfa Servizi"), full_name="Mario Rossi")
    bruno = await make_user("bruno@beta.example", await make_company("Beta Comune"), full_name="Bruno Neri")
    return await open_ticket(settings, mario), await open_ticket(settings, bruno, title="Fattura di Beta")


async def test_files_are_uploaded_with_the_pages_rules_and_answer_as_documented(
        client: httpx.AsyncClient, tickets: tuple[Ticket, Ticket]) -> None:
    mine, theirs = tickets
    token = await token_for(client, "mario@alfa.example", "read", "write")
    schemas = Schemas((await client.get("/api/v1/openapi.json")).json())
    path = f"/api/v1/tickets/{mine.code}/attachments"
    made = await client.post(path, headers=bearer(token), files=[("files", ("verbale.pdf", PDF, "text/plain")),
                                                                 ("files", ("log.txt", b"errore 42\n", "text/plain"))])
    assert made.status_code == 201, made.text
    schemas.validate("/tickets/{ref}/attachments", "post", made)
    listed = made.json()["attachments"]
    assert [(a["name"], a["content_type"]) for a in listed] == [("verbale.pdf", "application/pdf"),
                                                                ("log.txt", "text/plain")]  # sniffed, not believed
    got = await client.get(listed[1]["url"].removeprefix("http://testserver"), headers=bearer(token))
    assert got.content == b"errore 42\n"
    before = await Attachment.all().count()
    for files in ([("files", ("setup.exe", b"MZ\x90\x00" + b"\x00" * 60, "application/pdf"))],
                  [("files", (f"f{n}.txt", b"x\n", "text/plain")) for n in range(6)], []):
        refused = await client.post(path, headers=bearer(token), files=files or None, data={"x": "1"})
        assert refused.status_code in (400, 413) and refused.json()["error"]["message"], refused.text
        schemas.validate("/tickets/{ref}/attachments", "post", refused)
    assert await Attachment.all().count() == before
    files = [("files", ("a.txt", b"x\n", "text/plain"))]
    assert (await client.post(f"/api/v1/tickets/{theirs.code}/attachments", headers=bearer(token),
                              files=files)).status_code == 404
    reader = await token_for(client, "mario@alfa.example", "read", name="solo lettura")
    assert (await client.post(path, headers=bearer(reader), files=files)).status_code == 403
    operation = schemas.document["paths"]["/tickets/{ref}/attachments"]["post"]
    assert "multipart/form-data" in operation["requestBody"]["content"]


async def test_api_searches_are_recorded_like_the_search_pages(
        client: httpx.AsyncClient, settings: Settings, tickets: tuple[Ticket, Ticket]) -> None:
    await drain_all(get_engine(settings), document_sources())
    token = await token_for(client, "mario@alfa.example", "read")
    for query in ("stampa cedolini", "parola introvabile", "stampa cedolini"):
        assert (await client.get("/api/v1/search", params={"q": query}, headers=bearer(token))).status_code == 200
    assert (await client.get("/api/v1/search", params={"q": "stampa", "page": 2},
                             headers=bearer(token))).status_code == 200  # a later page: the same search
    rows = await SearchEvent.all().order_by("id").values_list("query", "role", "purpose", "result_count")
    assert [row[:3] for row in rows] == [("stampa cedolini", CallerRole.REQUESTER, Purpose.SEARCH),
                                         ("parola introvabile", CallerRole.REQUESTER, Purpose.SEARCH),
                                         ("stampa cedolini", CallerRole.REQUESTER, Purpose.SEARCH)]
    assert rows[1][3] == 0  # what people searched and did not find, on the dashboard
    admin = await make_user("admin@sportello.example", is_admin=True, is_editor=True)
    await log_in(client, admin.email)
    assert "parola introvabile" in Page((await client.get("/insights/search")).text).text


async def test_a_temporary_password_keeps_the_tokens_out_until_it_is_replaced(
        client: httpx.AsyncClient, tickets: tuple[Ticket, Ticket]) -> None:
    token = await token_for(client, "mario@alfa.example", "read")
    await User.filter(email="mario@alfa.example").update(must_change_password=True)  # an admin reset it
    schemas = Schemas((await client.get("/api/v1/openapi.json")).json())
    refused = await client.get("/api/v1/tickets", headers=bearer(token))
    assert refused.status_code == 403 and "temporary password" in refused.json()["error"]["message"]
    schemas.validate("/tickets", "get", refused)
    await User.filter(email="mario@alfa.example").update(must_change_password=False)  # replaced on the portal
    assert (await client.get("/api/v1/tickets", headers=bearer(token))).status_code == 200
