"""HEAD is answered like GET by every page that also takes a POST: it never runs the form's branch, which the
CSRF check (HEAD is a safe method) does not guard."""

import re
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.routing import Route
from tortoise import Tortoise

from app.accounts.models import TokenPurpose
from app.accounts.service import issue_token
from app.main import domain_routes
from app.settings import Settings
from app.tickets.workflow import Event
from tests.contracts.helpers import make_contract, make_plan
from tests.kb.support import make_article
from tests.support import log_in, make_company, make_user
from tests.tickets.helpers import move, open_ticket

# Whatever a form of the portal may ask for, so that a POST branch reached by HEAD would have work to do.
FORM = {
    "email": "head@example.it", "password": "a long enough password", "confirm": "a long enough password",
    "old": "correct horse battery", "full_name": "Written by HEAD", "name": "Written by HEAD",
    "title": "Written by HEAD", "body": "Written by HEAD", "description": "Written by HEAD", "slug": "head",
    "locale": "en", "language": "it", "status": "disabled", "note": "head", "company_name": "Head Ltd",
    "action": "publish", "audience": "public", "ticket_type": "chiarimento", "priority": "media",
    "severity": "non_bloccante", "kind": "other",
}


def get_and_post_paths() -> list[str]:
    return [route.path for route in domain_routes()
            if isinstance(route, Route) and route.methods and {"GET", "POST"} <= route.methods]


async def everything_stored() -> dict[str, list[dict[str, Any]]]:
    return {
        model._meta.db_table: sorted(await model.all().values(), key=repr)
        for app in Tortoise.apps.values() for model in app.values()
    }


async def test_head_writes_nothing_on_any_page_that_takes_a_post(
    app: Starlette, client: httpx.AsyncClient, settings: Settings
) -> None:
    company = await make_company()
    admin = await make_user("admin@example.it", company, is_admin=True, is_technician=True, is_editor=True,
                            is_requester=True)
    article = await make_article("guida", "Guida")
    ticket = await open_ticket(settings, admin)
    await move(settings, admin, ticket, Event.TAKE_IN_CHARGE, Event.RESOLVE, resolution="Fatto.")
    plan = await make_plan("Oro")
    contract = await make_contract(company, plan=plan)
    params = {"company_id": company.id, "user_id": admin.id, "article_id": article.id, "document_id": 1,
              "ref": ticket.code, "token": await issue_token(admin, TokenPurpose.RESET_PASSWORD), "reply_id": 1,
              "rest": "anything", "plan_id": plan.id, "contract_id": contract.id}
    await log_in(client, "admin@example.it")
    before = await everything_stored()
    paths = get_and_post_paths()
    assert "/login" in paths and "/preferences" in paths and len(paths) >= 15
    for template in paths:
        path = re.sub(r"{(\w+)(:\w+)?}", lambda m: str(params[m.group(1)]), template)
        response = await client.request("HEAD", path, data=FORM)
        assert response.status_code < 500, path
        assert response.content == b"", path
    assert await everything_stored() == before


async def test_head_on_login_counts_no_failure(app: Starlette, client: httpx.AsyncClient) -> None:
    await make_user("anna@example.it")
    for _ in range(20):
        response = await client.request("HEAD", "/login", data={"email": "anna@example.it", "password": "x"})
        assert response.status_code == 200
    login = await client.post("/login", data={"email": "anna@example.it", "password": "correct horse battery"})
    assert login.status_code == 303
