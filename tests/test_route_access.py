"""Every route × every kind of caller: the expected answer, and no word the caller may not know on any page.

The expectations are written out here, not derived from app/permissions.py, so a rule changed there
by mistake fails this test."""

import io
from dataclasses import dataclass
from datetime import date

import httpx
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.routing import Mount

from app.accounts.models import Company, User
from app.contracts.models import ServiceContract, SlaPlan
from app.kb import documents
from app.routing import GuardedRoute
from app.searching.engine import get_engine
from app.searching.indexer import drain_all
from app.searching.sources import document_sources
from app.settings import Settings
from app.tickets import service
from app.tickets.models import Attachment, Comment, Ticket
from app.tickets.workflow import Event
from tests.kb.pdfs import text_pdf
from tests.kb.support import make_article
from tests.support import PASSWORD, log_in, log_out, make_company, make_user
from tests.tickets.helpers import move, open_ticket

ROLES = ("anonymous", "requester", "colleague", "private_colleague", "other_company", "technician", "editor",
         "admin", "temporary")
EVERYONE = frozenset(ROLES) - {"temporary"}
SIGNED_IN = EVERYONE - {"anonymous"}
CUSTOMERS = frozenset({"requester", "colleague", "private_colleague", "other_company"})
TECHNICIANS = frozenset({"technician", "admin"})
EDITORS = frozenset({"editor", "admin"})
STAFF = frozenset({"technician", "editor", "admin"})
ALFA = frozenset({"requester", "colleague", "private_colleague"})  # the ticket's company
SEES_TICKET = frozenset({"requester", "colleague"}) | STAFF

# Words of company Alfa's ticket, its internal note, a staff-only article and Alfa's own file.
TICKET_WORD, NOTE_WORD, STAFF_ARTICLE_WORD, ALFA_FILE_WORD = "Zanzibarite", "Notasegreta", "Segretissimo", "Filealfa"


def forbidden_words(role: str) -> set[str]:
    words = set()
    if role not in SEES_TICKET:
        words.add(TICKET_WORD)
    if role not in STAFF:
        words |= {NOTE_WORD, STAFF_ARTICLE_WORD}
    if role not in ALFA | STAFF:
        words.add(ALFA_FILE_WORD)
    return words


@dataclass
class World:
    ticket: Ticket
    solved: Ticket
    attachment: Attachment
    alfa_file: int
    staff_article: str
    draft_id: int


EMAILS = {
    "requester": "mario@alfa.example", "colleague": "laura@alfa.example", "private_colleague": "piero@alfa.example",
    "other_company": "bruno@beta.example", "technician": "tecnico@sportello.example",
    "editor": "editor@sportello.example", "admin": "admin@sportello.example", "temporary": "nuovo@alfa.example",
}


async def _people() -> dict[str, User]:
    alfa = await make_company("Alfa Servizi", shares_tickets=True)
    beta: Company = await make_company("Beta Comune")
    return {
        "requester": await make_user(EMAILS["requester"], alfa),
        "colleague": await make_user(EMAILS["colleague"], alfa),
        "private_colleague": await make_user(EMAILS["private_colleague"], alfa, sees_company_tickets=False),
        "other_company": await make_user(EMAILS["other_company"], beta),
        "technician": await make_user(EMAILS["technician"], is_technician=True),
        "editor": await make_user(EMAILS["editor"], is_editor=True),
        "admin": await make_user(EMAILS["admin"], is_admin=True),
        "temporary": await make_user(EMAILS["temporary"], alfa, must_change_password=True),
    }


async def _world(settings: Settings) -> World:
    people = await _people()
    ticket = await open_ticket(settings, people["requester"], title=f"Stampa {TICKET_WORD} bloccata",
                               description=f"Il modulo {TICKET_WORD} non stampa.")
    await service.add_comment(settings, people["technician"], ticket, f"{NOTE_WORD}: riavviare il server",
                              internal=True)
    pdf = UploadFile(io.BytesIO(text_pdf(["Registro"])), filename="registro.pdf")
    await service.add_attachments(settings, people["requester"], ticket, [pdf])
    solved = await open_ticket(settings, people["requester"], title=f"Protocollo {TICKET_WORD} lento")
    solved = await move(settings, people["technician"], solved, Event.TAKE_IN_CHARGE, Event.RESOLVE,
                        resolution="Svuotata la cache.")
    await make_article("accesso-pubblico", "Accesso al portale")
    await make_article("procedura-interna", f"{STAFF_ARTICLE_WORD} procedura", audience="staff")
    draft = await make_article("bozza-nuova", "Bozza non pubblicata", published=False)
    alfa_file = await documents.upload_document(
        settings, people["admin"], UploadFile(io.BytesIO(text_pdf(["Contratto"])), filename="contratto.pdf"),
        documents.DocumentMeta(title=f"Contratto {ALFA_FILE_WORD}", audience="company",
                               company_id=people["requester"].company_id))
    plan = await SlaPlan.create(name="Oro", take_urgent=2, take_medium=4, take_low=8, resolve_urgent=8,
                                resolve_medium=16, resolve_low=40)
    await ServiceContract.create(company_id=people["requester"].company_id, name="Assistenza annuale",
                                 starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31), hours_bought=40, plan=plan)
    await drain_all(get_engine(settings), document_sources())
    return World(ticket, solved, await Attachment.get(ticket_id=ticket.id), alfa_file.id, "procedura-interna",
                 draft.id)


@dataclass(frozen=True)
class Expect:
    path: str
    allowed: frozenset[str]
    visitor: str = "login"  # what a visitor gets when he is not allowed: "login" (sent to log in) or "404"
    denied: int = 404  # what a signed-in person who is not allowed gets


def pages(w: World) -> list[Expect]:
    code, solved = w.ticket.code, w.solved.code
    return [
        Expect("/", EVERYONE, visitor="404"),
        Expect("/accessibility", EVERYONE),
        Expect("/preferences", SIGNED_IN),
        Expect("/company", CUSTOMERS),  # staff have no company: the page says so with a 404
        Expect("/search?q=stampa+bloccata", EVERYONE, visitor="404"),
        Expect("/search/suggest?q=stampa", EVERYONE, visitor="404"),
        Expect("/tickets", SIGNED_IN),
        Expect("/tickets?scope=company", SIGNED_IN),
        Expect("/tickets/new", CUSTOMERS | TECHNICIANS),
        Expect("/tickets/queues", TECHNICIANS),
        Expect(f"/tickets/{code}", SEES_TICKET),
        Expect(f"/tickets/{code}/print", SEES_TICKET),
        Expect(f"/tickets/{code}/similar", SEES_TICKET),
        Expect(f"/tickets/{code}/intervention-form.pdf", SEES_TICKET),
        Expect("/field/calendar", TECHNICIANS),
        Expect("/field/calendar?view=week", TECHNICIANS),
        Expect("/field/feed", TECHNICIANS),
        Expect("/field/ical/cal_unknown", frozenset(), visitor="404"),  # only a live secret opens a feed
        Expect(f"/tickets/{code}/attachments/{w.attachment.id}", SEES_TICKET),
        Expect(f"/tickets/{solved}/promote", TECHNICIANS | EDITORS),
        Expect("/kb", EVERYONE, visitor="404"),
        Expect("/kb/accesso-pubblico", EVERYONE, visitor="404"),
        Expect(f"/kb/{w.staff_article}", STAFF, visitor="404"),
        Expect("/kb/bozza-nuova", EDITORS, visitor="404"),
        Expect("/kb/suggest", SIGNED_IN),
        Expect("/kb/editor", EDITORS),
        Expect(f"/kb/editor/{w.draft_id}", EDITORS),
        Expect(f"/kb/editor/{w.draft_id}/history", EDITORS),
        Expect("/documents", EVERYONE, visitor="404"),
        Expect(f"/documents/{w.alfa_file}", ALFA | STAFF, visitor="404"),
        Expect(f"/documents/{w.alfa_file}/file", ALFA | STAFF, visitor="404"),
        Expect(f"/documents/{w.alfa_file}/edit", STAFF),
        Expect("/documents/new", SIGNED_IN),
        Expect("/insights/search", EDITORS),
        Expect("/insights/dashboard", TECHNICIANS),
        Expect("/admin/users", frozenset({"admin"})),
        Expect("/admin/companies", frozenset({"admin"})),
        Expect("/admin/mail", frozenset({"admin"})),
        Expect("/admin/search", frozenset({"admin"})),
        Expect("/admin/ticket-lists", frozenset({"admin"})),
        Expect("/admin/sla-plans", frozenset({"admin"})),
        Expect("/admin/sla-plans/new", frozenset({"admin"})),
        Expect("/admin/sla-plans/1", frozenset({"admin"})),
        Expect("/admin/contracts", frozenset({"admin"})),
        Expect("/admin/contracts/new", frozenset({"admin"})),
        Expect("/admin/contracts/1", frozenset({"admin"})),
        Expect("/kb/editor/articles", EDITORS),
        Expect("/admin/webhooks", frozenset({"admin"})),
        Expect("/preferences/api-tokens", SIGNED_IN),
        Expect("/canned", TECHNICIANS),
    ]


async def _as(client: httpx.AsyncClient, role: str) -> None:
    await log_out(client)
    if role != "anonymous":
        await log_in(client, EMAILS[role])


def _check(response: httpx.Response, expect: Expect, role: str) -> None:
    where = f"{role} GET {expect.path}"
    if role == "temporary":
        assert response.status_code == 303 and response.headers["location"] == "/password/change", where
    elif role in expect.allowed:
        assert response.status_code == 200, where
    elif role == "anonymous" and expect.visitor == "login":
        assert response.status_code == 303 and response.headers["location"].startswith("/login?next="), where
    else:
        assert response.status_code == expect.denied, where
    for word in forbidden_words(role):
        assert word not in response.text, f"{where} shows {word!r}"


async def test_every_page_answers_each_caller_as_expected_and_shows_nothing_forbidden(
        client: httpx.AsyncClient, settings: Settings) -> None:
    world = await _world(settings)
    for role in ROLES:
        await _as(client, role)
        for expect in pages(world):
            _check(await client.get(expect.path), expect, role)


def _actions(w: World) -> list[tuple[str, dict[str, str], frozenset[str]]]:
    code = w.ticket.code
    return [
        (f"/tickets/{code}/comments", {"body": "Una risposta"}, frozenset({"requester", "colleague"}) | TECHNICIANS),
        (f"/tickets/{code}/transition", {"event": Event.TAKE_IN_CHARGE.value, "version": str(w.ticket.version)},
         TECHNICIANS),
        (f"/tickets/{code}/assign", {"assignee": "", "version": str(w.ticket.version)}, TECHNICIANS),
        (f"/tickets/{code}/worklog", {"day": "2026-01-05", "hours": "1", "note": "x"}, TECHNICIANS),
        (f"/tickets/{code}/duplicate", {"original": w.solved.code, "version": str(w.ticket.version)}, TECHNICIANS),
    ]


async def test_ticket_actions_change_nothing_for_those_who_may_not_act(client: httpx.AsyncClient,
                                                                     settings: Settings) -> None:
    world = await _world(settings)
    for role in ROLES:
        await _as(client, role)
        for path, data, allowed in _actions(world):
            if role in allowed:
                continue  # acting changes the ticket; what the allowed may do is each domain's own tests
            before = await _ticket_state(world.ticket)
            response = await client.post(path, data=data)
            expected = {"anonymous": "/login", "temporary": "/password/change"}.get(role)
            if expected:
                assert response.status_code == 303 and response.headers["location"].startswith(expected), path
            elif role in {"requester", "colleague"} and path.endswith("/transition"):
                assert response.status_code == 400, role  # reaches the ticket; the workflow refuses the event
            else:
                assert response.status_code == 404, f"{role} POST {path}"
            assert await _ticket_state(world.ticket) == before, f"{role} POST {path}"


async def _ticket_state(ticket: Ticket) -> tuple[int, int]:
    return (await Ticket.get(id=ticket.id)).version, await Comment.filter(ticket_id=ticket.id).count()


async def test_an_editor_reads_tickets_and_internal_notes_but_cannot_reply(client: httpx.AsyncClient,
                                                                         settings: Settings) -> None:
    world = await _world(settings)
    await log_in(client, EMAILS["editor"])
    page = await client.get(f"/tickets/{world.ticket.code}")
    assert NOTE_WORD in page.text and 'name="body"' not in page.text and 'name="internal"' not in page.text
    refused = await client.post(f"/tickets/{world.ticket.code}/comments", data={"body": "Posso?", "internal": "on"})
    assert refused.status_code == 404 and await Comment.filter(body="Posso?").count() == 0


async def test_a_visitor_sent_to_log_in_comes_back_to_the_page_he_asked_for(client: httpx.AsyncClient,
                                                                          settings: Settings) -> None:
    await _people()
    asked = await client.get("/tickets/new?title=stampa+cedolini")
    login_page = await client.get(asked.headers["location"])
    assert '<input type="hidden" name="next" value="/tickets/new?title=stampa+cedolini">' in login_page.text
    logged = await client.post("/login", data={"email": EMAILS["requester"], "password": PASSWORD,
                                               "next": "/tickets/new?title=stampa+cedolini"})
    assert logged.headers["location"] == "/tickets/new?title=stampa+cedolini"


def test_every_route_of_the_app_names_its_action_in_the_route_table(app: Starlette) -> None:
    unguarded = [getattr(r, "path", r) for r in app.routes if not isinstance(r, GuardedRoute | Mount)]
    assert unguarded == []
    guarded = [r for r in app.routes if isinstance(r, GuardedRoute)]
    assert guarded and all(":" in r.name for r in guarded)  # named after their domain and endpoint
