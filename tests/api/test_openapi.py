"""The served OpenAPI document matches the routes: every API route is documented, every documented operation
answers, and the answers validate against the schemas the document declares."""

import io

import httpx
from jsonschema import Draft202012Validator
from starlette.applications import Starlette
from starlette.datastructures import UploadFile

from app.api.guard import ApiRoute
from app.api.routes import PREFIX
from app.settings import Settings
from app.tickets import service
from app.tickets.models import Ticket
from tests.api.support import Schemas, bearer, token_for
from tests.kb.support import make_article
from tests.support import make_company, make_user
from tests.tickets.helpers import open_ticket


def _documented(document: dict) -> set[tuple[str, str]]:
    return {(method.upper(), PREFIX + path) for path, methods in document["paths"].items() for method in methods}


def _routed(app: Starlette) -> set[tuple[str, str]]:
    found = set()
    for route in app.routes:
        if isinstance(route, ApiRoute) and route.path not in (f"{PREFIX}/openapi.json", f"{PREFIX}/{{rest:path}}"):
            path = "/".join(p.split(":")[0] + "}" if p.startswith("{") and ":" in p else p for p in route.path.split("/"))
            found |= {(m, path) for m in route.methods if m != "HEAD"}
    return found


async def test_the_document_is_openapi_31_and_lists_exactly_the_api_routes(client: httpx.AsyncClient,
                                                                          app: Starlette) -> None:
    answer = await client.get("/api/v1/openapi.json")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"
    document = answer.json()
    assert document["openapi"] == "3.1.0" and document["servers"] == [{"url": "http://testserver/api/v1"}]
    assert _documented(document) == _routed(app)
    for schema in document["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)


async def test_every_documented_operation_answers_as_documented(client: httpx.AsyncClient, app: Starlette,
                                                                settings: Settings) -> None:
    company = await make_company("Alfa Servizi")
    mario = await make_user("mario@alfa.example", company, full_name="Mario Rossi")
    ticket = await open_ticket(settings, mario)
    await service.add_attachments(settings, mario, ticket, [UploadFile(io.BytesIO(b"log\n"), filename="a.log")])
    await make_article("cambio-password", "Come cambio la password")
    token = await token_for(client, "mario@alfa.example", "read", "write")
    schemas = Schemas((await client.get("/api/v1/openapi.json")).json())
    attachment = (await ticket.attachments.all())[0]
    values = {"ref": ticket.code, "attachment_id": str(attachment.id), "slug": "cambio-password"}
    bodies = {("POST", "/tickets"): {"title": "Nuovo", "ticket_type": "anomalia", "description": "Testo"},
              ("POST", "/tickets/{ref}/comments"): {"body": "Un commento"}}
    queries = {"/search": {"q": "password"}}
    uploads = {("POST", "/tickets/{ref}/attachments"): [("files", ("b.log", b"log\n", "text/plain"))]}
    answered = 0
    for path, methods in schemas.document["paths"].items():
        url = PREFIX + path.format(**values)
        for method, operation in methods.items():
            response = await client.request(method.upper(), url, headers=bearer(token),
                                            json=bodies.get((method.upper(), path)), params=queries.get(path),
                                            files=uploads.get((method.upper(), path)))
            assert str(response.status_code) in operation["responses"], (method, path, response.text)
            assert response.status_code < 300, (method, path, response.text)
            if response.headers["content-type"] == "application/json":
                schemas.validate(path, method, response)
            else:
                assert "application/octet-stream" in operation["responses"]["200"]["content"]
            unauthorised = await client.request(method.upper(), url, json=bodies.get((method.upper(), path)))
            assert unauthorised.status_code == 401
            schemas.validate(path, method, unauthorised)
            answered += 1
    assert answered == len(_routed(app)) and await Ticket.all().count() == 2


async def test_an_error_answer_validates_against_the_documented_error(client: httpx.AsyncClient,
                                                                      settings: Settings) -> None:
    await make_user("tecnico@sportello.example", is_technician=True)
    token = await token_for(client, "tecnico@sportello.example", "write")
    schemas = Schemas((await client.get("/api/v1/openapi.json")).json())
    bad = await client.post("/api/v1/tickets", headers=bearer(token), json={"title": 5})
    assert bad.status_code == 400
    schemas.validate("/tickets", "post", bad)
    forbidden = await client.get("/api/v1/tickets", headers=bearer(token))
    assert forbidden.status_code == 403
    schemas.validate("/tickets", "get", forbidden)
