"""The API answers every kind of caller as the pages do (tests/test_route_access.py's world and expectations):
a token gives its owner exactly the tickets, files and articles he may see on the pages, and no word of others."""

import httpx
import pytest

from app.accounts.models import User
from app.api import tokens
from app.settings import Settings
from tests.api.support import bearer
from tests.test_route_access import (
    EDITORS, EMAILS, SEES_TICKET, SIGNED_IN, STAFF, TICKET_WORD, World, _world, forbidden_words,
)

CALLERS = sorted(SIGNED_IN)


def api_expectations(w: World) -> list[tuple[str, frozenset[str]]]:
    code = w.ticket.code
    return [
        ("/api/v1/tickets", SIGNED_IN),
        ("/api/v1/tickets?view=closed&scope=company", SIGNED_IN),
        (f"/api/v1/tickets/{code}", SEES_TICKET),
        (f"/api/v1/tickets/{code}/attachments/{w.attachment.id}", SEES_TICKET),
        ("/api/v1/kb/articles", SIGNED_IN),
        ("/api/v1/kb/articles/accesso-pubblico", SIGNED_IN),
        (f"/api/v1/kb/articles/{w.staff_article}", STAFF),
        ("/api/v1/kb/articles/bozza-nuova", EDITORS),
        ("/api/v1/search?q=stampa+bloccata", SIGNED_IN),
        ("/api/v1/search?q=zanzibarite", SIGNED_IN),
    ]


@pytest.mark.parametrize("role", CALLERS)
async def test_each_caller_gets_through_the_api_what_the_pages_give_him(
        client: httpx.AsyncClient, settings: Settings, role: str) -> None:
    world = await _world(settings)
    made = await tokens.create_token(await User.get(email=EMAILS[role]), "matrix", ["read"])
    for path, allowed in api_expectations(world):
        response = await client.get(path, headers=bearer(made.token))
        assert response.status_code == (200 if role in allowed else 404), f"{role} GET {path}"
        for word in forbidden_words(role):
            assert word not in response.text, f"{role} GET {path} shows {word!r}"
    own = (await client.get("/api/v1/tickets", headers=bearer(made.token))).text
    assert (TICKET_WORD in own) == (role == "requester" or role in STAFF), role  # staff list every ticket
    company = (await client.get("/api/v1/tickets?scope=company", headers=bearer(made.token))).text
    assert (TICKET_WORD in company) == (role in SEES_TICKET), role  # the colleague who may see the company's
