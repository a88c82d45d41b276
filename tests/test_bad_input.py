"""Bad input never gets a 500: every route of the route table, as a visitor, a requester, a technician and an
admin, with over-long text, NUL, Unicode digits, negative and huge numbers, unknown choices, missing and
repeated fields in every field the route reads (its form and query models), and bad path values. A 400
writes nothing. Then one test for each defect of issue 12."""

import itertools
import shutil
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import httpx
from pydantic import BaseModel
from starlette.applications import Starlette
from tortoise import Tortoise

from app.accounts.forms import (
    ChangePasswordForm,
    ForgotForm,
    LanguageForm,
    LoginForm,
    NextQuery,
    PreferencesForm,
    RegisterForm,
    SetPasswordForm,
)
from app.accounts.models import Company, RateLimitHit, Session, User
from app.admin.forms import (
    AuditQuery,
    CompanyForm,
    EditUserForm,
    EraseForm,
    MailQuery,
    NewUserForm,
    UsersQuery,
)
from app.api.forms import TokenForm
from app.canned.forms import CannedForm, InsertQuery
from app.contracts.forms import CompanyPlanForm, ContractForm, PlanForm
from app.field.forms import AnswerForm, CalendarQuery, ExpenseForm, FeedForm, InterventionForm
from app.field.models import Expense, ExpenseKind, Intervention
from app.inbound.forms import InboundQuery
from app.insights.forms import OpenQuery, ReportQuery, SolvedForm, TableQuery
from app.kb.forms import (
    ArticleListQuery,
    DiffQuery,
    DocumentForm,
    EditorForm,
    EditorQuery,
    FeedbackForm,
    PreviewForm,
    PublishForm,
    RestoreForm,
    SuggestForm,
)
from app.kb.models import Article
from app.live.forms import StreamQuery
from app.routing import GuardedRoute
from app.searching.engine import close_engines
from app.searching.forms import LexiconForm, SearchQuery, SuggestQuery
from app.settings import Settings
from app.tickets.forms import (
    AssignForm,
    CommentForm,
    DetailsForm,
    DuplicateForm,
    HitForm,
    HitQuery,
    ListsForm,
    NewTicketForm,
    NewTicketQuery,
    PromoteForm,
    RatingForm,
    SuggestionForm,
    TransitionForm,
    WorklogForm,
)
from app.tickets.listing import ListQuery, QueueQuery
from app.tickets.models import Ticket
from app.webhooks.forms import ActiveForm, EndpointForm
from tests.support import Page, log_in, log_out
from tests.test_route_access import EMAILS, World, _world

ROLES = ("anonymous", "requester", "technician", "admin")
BATTERY = {
    "long": "x" * 5000, "nul": "ab\x00cd", "superscript": "²", "arabic_digits": "٣٤", "negative": "-1",
    "huge": "99999999999999999999", "choice": "zzz", "beyond_int": str(2**31),
}
EXPECTED = {200, 204, 301, 303, 400, 401, 404, 405, 409, 429}  # 401 and 405: the API without a token, a wrong method
NOT_COUNTED = (RateLimitHit, Session)  # failed logins are counted and sessions seen: neither is the form's write

# What each route reads: its form and query models (the test fails when a route is missing here).
READS: dict[str, tuple[type[BaseModel], ...]] = {
    "/": (), "/healthz": (), "/favicon.ico": (), "/favicon.svg": (), "/accessibility": (), "/login": (LoginForm, NextQuery), "/logout": (), "/language": (LanguageForm,),
    "/register": (RegisterForm,), "/password/forgot": (ForgotForm,), "/password/set/{token}": (SetPasswordForm,),
    "/password/change": (ChangePasswordForm,), "/preferences": (PreferencesForm,),
    "/preferences/sessions/{session_id:id}/end": (), "/company": (), "/admin/companies": (),
    "/admin/companies/new": (CompanyForm,), "/admin/companies/{company_id:id}": (CompanyForm,),
    "/admin/users": (UsersQuery,), "/admin/users/new": (NewUserForm,), "/admin/users/{user_id:id}": (EditUserForm,),
    "/admin/users/{user_id:id}/approve": (), "/admin/users/{user_id:id}/reject": (),
    "/admin/inbound": (InboundQuery,), "/admin/mail": (MailQuery,), "/admin/mail/{mail_id:id}": (), "/admin/mail/{mail_id:id}/html": (),
    "/admin/audit": (AuditQuery,), "/account/export": (), "/admin/users/{user_id:id}/export": (),
    "/admin/users/{user_id:id}/erase": (EraseForm,), "/insights/open/{event_id:id}": (OpenQuery,),
    "/insights/solved": (SolvedForm,), "/insights/search": (ReportQuery,), "/insights/dashboard": (TableQuery,),
    "/kb": (), "/kb/suggest": (SuggestForm,), "/kb/editor/articles": (ArticleListQuery,), "/kb/category/{key}": (), "/kb/tag/{tag}": (), "/kb/editor": (),
    "/kb/editor/new": (EditorForm, EditorQuery), "/kb/editor/preview": (PreviewForm,),
    "/kb/editor/{article_id:id}": (EditorForm,), "/kb/editor/{article_id:id}/publish": (PublishForm,),
    "/kb/editor/{article_id:id}/history": (), "/kb/editor/{article_id:id}/diff": (DiffQuery,),
    "/kb/editor/{article_id:id}/restore": (RestoreForm,), "/kb/{slug}": (), "/kb/{slug}/print": (),
    "/kb/{slug}/feedback": (FeedbackForm,), "/kb-files/{path:path}": (), "/documents": (),
    "/documents/new": (DocumentForm,), "/documents/{document_id:id}": (),
    "/documents/{document_id:id}/edit": (DocumentForm,), "/documents/{document_id:id}/status": (),
    "/documents/{document_id:id}/file": (), "/documents/{document_id:id}/delete": (), "/search": (SearchQuery,),
    "/search/suggest": (SuggestQuery,), "/admin/search": (), "/admin/search/lexicon": (LexiconForm,),
    "/tickets": (ListQuery,), "/tickets/new": (NewTicketForm, NewTicketQuery), "/tickets/queues": (QueueQuery,),
    "/tickets/{ref}": (), "/tickets/{ref}/print": (), "/tickets/{ref}/events": (StreamQuery,), "/tickets/{ref}/comments": (CommentForm,),
    "/tickets/{ref}/attachments": (), "/tickets/{ref}/attachments/{attachment_id:id}": (),
    "/tickets/{ref}/transition": (TransitionForm,), "/tickets/{ref}/assign": (AssignForm,),
    "/tickets/{ref}/details": (DetailsForm,), "/tickets/{ref}/worklog": (WorklogForm,),
    "/tickets/{ref}/duplicate": (DuplicateForm,), "/tickets/new/suggestions": (SuggestionForm,),
    "/tickets/new/suggestions/preview": (HitQuery,), "/tickets/new/suggestions/solved": (HitForm,),
    "/admin/webhooks": (EndpointForm,), "/admin/webhooks/{endpoint_id:id}": (),
    "/admin/webhooks/{endpoint_id:id}/active": (ActiveForm,), "/canned": (CannedForm,),
    "/canned/{reply_id:id}": (CannedForm,), "/canned/{reply_id:id}/delete": (), "/tickets/{ref}/canned": (InsertQuery,),
    "/preferences/api-tokens": (TokenForm,), "/preferences/api-tokens/{token_id:id}/revoke": (),
    # The API reads JSON with a bearer token, not forms: tests/api sends it bad bodies and values.
    **{path: () for path in ("/api/v1/openapi.json", "/api/v1/tickets", "/api/v1/tickets/{ref}",
                             "/api/v1/tickets/{ref}/comments", "/api/v1/tickets/{ref}/attachments",
                             "/api/v1/tickets/{ref}/attachments/{attachment_id:id}",
                             "/api/v1/kb/articles", "/api/v1/kb/articles/{slug}", "/api/v1/search",
                             "/api/v1/{rest:path}")},
    "/admin/sla-plans": (), "/admin/sla-plans/new": (PlanForm,), "/admin/sla-plans/{plan_id:id}": (PlanForm,),
    "/admin/sla-plans/company-default": (CompanyPlanForm,), "/admin/contracts": (),
    "/admin/contracts/new": (ContractForm,), "/admin/contracts/{contract_id:id}": (ContractForm,),
    "/tickets/{ref}/interventions": (InterventionForm,), **{
        f"/tickets/{{ref}}/interventions/{{intervention_id:id}}/{step}": (AnswerForm,)
        for step in ("done", "cancel", "confirm", "ask-move")},
    "/tickets/{ref}/interventions/{intervention_id:id}/move": (InterventionForm,),
    "/tickets/{ref}/interventions/{intervention_id:id}/expenses": (ExpenseForm,),
    "/tickets/{ref}/expenses/{expense_id:id}/delete": (), "/tickets/{ref}/expenses/{expense_id:id}/receipt": (),
    "/tickets/{ref}/intervention-form.pdf": (), "/field/calendar": (CalendarQuery,), "/field/feed": (FeedForm,),
    "/field/ical/{token}": (),
    "/admin/ticket-lists": (ListsForm,), "/tickets/{ref}/rating": (RatingForm,), "/rating/{token}": (RatingForm,), "/tickets/{ref}/similar": (), "/tickets/{ref}/promote": (PromoteForm,),
}


def _fields(path: str) -> list[str]:
    return sorted({info.alias or name for model in READS[path] for name, info in model.model_fields.items()})


def _path_values(w: World, requester_id: int) -> dict[str, str]:
    return {"ref": w.solved.code, "attachment_id": str(w.attachment.id), "article_id": str(w.draft_id),
            "document_id": str(w.alfa_file), "company_id": "1", "user_id": str(requester_id), "session_id": "1",
            "event_id": "1", "token": "sometoken", "name": "mail.eml", "slug": "accesso-pubblico", "key": "generale",
            "tag": "accesso", "path": "image.png", "endpoint_id": "1", "reply_id": "1", "token_id": "1",
            "rest": "unknown", "intervention_id": "1", "expense_id": "1", "plan_id": "1", "contract_id": "1"}


def _fill(path: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        for pattern in (f"{{{name}}}", f"{{{name}:id}}", f"{{{name}:path}}"):
            path = path.replace(pattern, value)
    return path


async def _rows() -> dict[str, int]:
    models = [m for app in Tortoise.apps.values() for m in app.values() if m not in NOT_COUNTED]
    return {m.__name__: await m.all().count() for m in models}


def _variants(fields: list[str], turn: int) -> list[list[tuple[str, str]]]:
    """Three kinds of bad value in every field (rotating over the battery), nothing at all, and each field twice."""
    kinds = list(BATTERY.values())
    chosen = [kinds[(turn + i * 3) % len(kinds)] for i in range(3)]
    variants = [[(f, bad) for f in fields] for bad in chosen]
    variants += [[], [(f, bad) for f in fields for bad in ("1", BATTERY["long"])]]
    return variants


async def _send(client: httpx.AsyncClient, method: str, url: str, pairs: list[tuple[str, str]]) -> httpx.Response:
    if method == "GET":  # a URL has room for less: long is long enough at 1,500 characters
        return await client.get(url, params=[(k, v[:1500]) for k, v in pairs])
    data: dict[str, list[str]] = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    return await client.post(url, data=data)


def _routes(app: Starlette) -> list[tuple[str, str]]:
    """(path, method) of every route; the ones that log out or delete come last, so they end nothing early."""
    found = [(r.path, m) for r in app.routes if isinstance(r, GuardedRoute) for m in sorted(r.methods - {"HEAD"})]
    return sorted(found, key=lambda pm: ("delete" in pm[0] or "logout" in pm[0], pm))


async def test_every_route_answers_bad_input_without_a_server_error(client: httpx.AsyncClient, app: Starlette,
                                                                  settings: Settings) -> None:
    world = await _world(settings)
    await _intervention_with_expense(world)
    values = _path_values(world, (await User.get(email=EMAILS["requester"])).id)
    routes = _routes(app)
    assert {path for path, _method in routes} == set(READS), "READS must name what every route reads"
    turn = itertools.count()
    answers: dict[tuple[str, str], set[int]] = {}
    for role in ROLES:
        await log_out(client)
        if role != "anonymous":
            await log_in(client, EMAILS[role])
        for path, method in routes:
            url = _fill(path, values)
            for pairs in _variants(_fields(path), next(turn)):
                before = await _rows() if method == "POST" else None
                response = await _send(client, method, url, pairs)
                where = f"{role} {method} {path} {[(k, v[:12]) for k, v in pairs][:3]}"
                assert response.status_code in EXPECTED, f"{where}: {response.status_code}"
                answers.setdefault((path, method), set()).add(response.status_code)
                if response.status_code == 400 and before is not None:
                    assert await _rows() == before, f"{where} wrote on a 400"
            for name in (n for n in values if f"{{{n}}}" in path or f"{{{n}:" in path):
                numbers = ("99999999999999999999", str(2**31)) if f"{{{name}:id}}" in path else ()
                for bad in (*numbers, "a%00b", "y" * 400):  # a number is a fine slug: only an id must fit
                    response = await _send(client, method, _fill(path, {**values, name: bad}), [])
                    assert response.status_code == 404, f"{role} {method} {path} {name}={bad[:12]}"
    # The walk reached the validation: every form with a field that can be wrong was refused at least once.
    unrefused = [path for (path, method), seen in answers.items()
                 if method == "POST" and _can_be_wrong(path) and 400 not in seen]
    assert unrefused == []


# Forms no caller of the walk can reach, each with the test that sends them bad input.
UNREACHED = {
    "/tickets/{ref}/rating": "only the requester of a closed ticket rates it: tests/tickets/test_rating.py",
    "/rating/{token}": "only a signed link of the auto-close mail opens it: tests/tickets/test_rating.py",
    **{f"/tickets/{{ref}}/interventions/{{intervention_id:id}}/{step}":
       "the requester side answers; the walk's requester is signed out by then: tests/field/test_interventions.py"
       for step in ("confirm", "ask-move")},
}


async def _intervention_with_expense(w: World) -> None:
    """Intervention 1 and expense 1 on the solved ticket (the routes' ref), so their forms are reached."""
    technician = await User.get(email=EMAILS["technician"])
    start = datetime.now(UTC) + timedelta(days=30)
    intervention = await Intervention.create(ticket_id=w.solved.id, technician_id=technician.id, starts_at=start,
                                             ends_at=start + timedelta(hours=1))
    await Expense.create(intervention_id=intervention.id, kind=ExpenseKind.MEAL, amount=Decimal("10"),
                         created_by_id=technician.id)


def _can_be_wrong(path: str) -> bool:
    return path not in UNREACHED and any(
        info.annotation is not bool for model in READS[path] for info in model.model_fields.values())


# ---- the defects of issue 12, one by one ----

async def _signed_in(client: httpx.AsyncClient, role: str, settings: Settings) -> World:
    world = await _world(settings)
    await log_in(client, EMAILS[role])
    return world


async def test_a_long_suggestion_title_is_refused_with_its_limit(client: httpx.AsyncClient, settings: Settings) -> None:
    await _signed_in(client, "requester", settings)
    before = await Article.all().count()
    refused = await client.post("/kb/suggest", data={"title": "Perché " * 100, "question": "Come si fa?"})
    assert refused.status_code == 400 and "300" in " ".join(Page(refused.text).alerts)
    assert Page(refused.text).inputs["title"].startswith("Perché") and await Article.all().count() == before


async def test_list_parameters_that_make_no_sense_fall_back_to_the_defaults(client: httpx.AsyncClient,
                                                                          settings: Settings) -> None:
    world = await _signed_in(client, "requester", settings)
    for query in ("f_status=x", "size=²", "size=%D9%A3", "page=99999999999", "f_priority=x&sort=zz&dir=up&view=no"):
        page = await client.get(f"/tickets?{query}")
        assert page.status_code == 200 and world.ticket.code in page.text, query
    assert (await client.get("/search?q=stampa&page=99999999999&kind=x")).status_code == 200
    assert (await client.get("/insights/open/1?to=/kb&rank=²")).status_code == 303


async def test_numbers_beyond_the_column_are_refused_or_not_found(client: httpx.AsyncClient, settings: Settings) -> None:
    world = await _signed_in(client, "technician", settings)
    ticket = await Ticket.get(id=world.ticket.id)
    for assignee in ("99999999999", str(2**31), "²"):
        refused = await client.post(f"/tickets/{ticket.code}/assign", data={"assignee": assignee,
                                                                          "version": str(ticket.version)})
        assert refused.status_code == 400, assignee
    assert (await Ticket.get(id=ticket.id)).version == ticket.version
    for path in ("/tickets/99999999999999999999", f"/tickets/{ticket.code}/attachments/99999999999999999999",
                 f"/documents/{2**31}", "/documents/" + "9" * 5000, f"/kb/editor/{2**31}"):
        assert (await client.get(path)).status_code == 404, path[:40]


async def test_over_long_fields_are_refused_and_nothing_is_saved(client: httpx.AsyncClient, settings: Settings) -> None:
    world = await _signed_in(client, "admin", settings)
    me = await User.get(email=EMAILS["admin"])
    refused = await client.post("/preferences", data={"full_name": "Ada", "phone": "3" * 41, "locale": "it"})
    assert refused.status_code == 400 and "40" in " ".join(Page(refused.text).alerts)
    assert (await User.get(id=me.id)).phone == me.phone
    company = await Company.get(name="Alfa Servizi")
    refused = await client.post(f"/admin/companies/{company.id}", data={"name": "Alfa", "phone": "3" * 41})
    assert refused.status_code == 400 and (await Company.get(id=company.id)).name == "Alfa Servizi"
    draft = {"title": "Stampa", "slug": "stampa", "language": "ita", "category": "generale", "audience": "public",
             "body": "Testo"}
    for wrong in ({"language": "ita"}, {"slug": "s" * 121}, {"title": "t" * 301}):
        refused = await client.post(f"/kb/editor/{world.draft_id}", data={**draft, **wrong})
        assert refused.status_code == 400, wrong
    assert not await Article.filter(slug="stampa").exists()


async def test_a_nul_byte_in_any_text_field_is_refused_and_nothing_is_written(client: httpx.AsyncClient,
                                                                            settings: Settings) -> None:
    world = await _signed_in(client, "technician", settings)
    code = world.ticket.code
    before = await _rows()
    for path, data in ((f"/tickets/{code}/comments", {"body": "Riavviare\x00 il server"}),
                       (f"/tickets/{code}/worklog", {"day": "2026-01-05", "hours": "1", "note": "a\x00"}),
                       ("/tickets/new", {"title": "Stampa\x00", "ticket_type": "anomalia", "priority": "media",
                                         "severity": "bloccante", "description": "x", "requester": "1"}),
                       ("/kb/suggest", {"title": "Domanda\x00", "question": "?"})):
        refused = await client.post(path, data=data)
        assert refused.status_code == 400 and "caratteri non consentiti" in refused.text, path
    login = await client.post("/login", data={"email": "a\x00@b.example", "password": "x"})
    assert login.status_code == 400
    assert await _rows() == before


async def test_a_search_index_that_cannot_be_read_answers_503_as_documented(client: httpx.AsyncClient,
                                                                         settings: Settings) -> None:
    await _signed_in(client, "requester", settings)
    assert (await client.get("/search?q=stampa")).status_code == 200
    await close_engines()  # the open index goes away with its files: a disk lost under the portal
    shutil.rmtree(settings.data_dir / "index")
    (settings.data_dir / "index").write_text("not a directory")
    page = await client.get("/search?q=stampa")
    assert page.status_code == 503 and Page(page.text).headings
