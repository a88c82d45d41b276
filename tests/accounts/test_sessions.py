"""Sessions live on the server: the cookie holds a random id, logging out or changing a password ends them."""

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from itsdangerous import TimestampSigner
from starlette.applications import Starlette

from app.accounts.models import Session, User
from app.accounts.sessions import digest
from tests.conftest import BASE_URL
from tests.support import PASSWORD, Page, SmtpServer, link_in, log_in, make_company, make_user

NEW_PASSWORD = "a brand new passphrase"


def cookie_payload(client: httpx.AsyncClient) -> dict[str, object]:
    signed = client.cookies.get("sportello_session")
    assert signed
    return json.loads(base64.b64decode(TimestampSigner("test-secret-" * 4).unsign(signed.encode())))


VISITOR_HOME = "Portale di assistenza"  # the home page's heading for someone not logged in


async def greeting(client: httpx.AsyncClient) -> list[str]:
    response = await client.get("/")
    return Page(response.text).headings if response.status_code == 200 else [response.headers["location"]]


def browser(app: Starlette, address: str = "127.0.0.1") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 50000))
    return httpx.AsyncClient(transport=transport, base_url=BASE_URL, headers={"Origin": BASE_URL})


async def test_the_cookie_holds_only_a_random_session_id_and_the_language(client: httpx.AsyncClient) -> None:
    user = await make_user("anna@example.it", await make_company(), locale="en")
    await log_in(client, "anna@example.it")
    payload = cookie_payload(client)
    assert set(payload) == {"sid", "locale"} and payload["locale"] == "en"
    row = await Session.get(user_id=user.id)
    assert row.token_hash == digest(str(payload["sid"])) and str(payload["sid"]) not in row.token_hash
    assert row.user_agent.startswith("python-httpx")


async def test_a_copied_cookie_is_anonymous_after_logout(app: Starlette, client: httpx.AsyncClient) -> None:
    await make_user("anna@example.it", await make_company(), full_name="Anna Bianchi")
    await log_in(client, "anna@example.it")
    async with browser(app) as thief:
        thief.cookies.set("sportello_session", client.cookies["sportello_session"])
        assert "Ciao, Anna Bianchi" in await greeting(thief)
        await client.post("/logout")
        assert await Session.all().count() == 0
        assert (await greeting(thief))[0] == VISITOR_HOME


async def test_remember_me_keeps_the_session_30_days_otherwise_12_hours(client: httpx.AsyncClient) -> None:
    user = await make_user("anna@example.it")
    await client.post("/login", data={"email": "anna@example.it", "password": PASSWORD})
    client.cookies.clear()  # another browser: logging in again in the same one replaces its session
    await client.post("/login", data={"email": "anna@example.it", "password": PASSWORD, "remember": "on"})
    short, remembered = await Session.filter(user_id=user.id).order_by("id")
    assert timedelta(hours=11) < short.expires_at - datetime.now(UTC) <= timedelta(hours=12)
    assert timedelta(days=29) < remembered.expires_at - datetime.now(UTC) <= timedelta(days=30)


async def test_an_expired_session_is_anonymous(client: httpx.AsyncClient) -> None:
    await make_user("anna@example.it", await make_company())
    await log_in(client, "anna@example.it")
    await Session.all().update(expires_at=datetime.now(UTC) - timedelta(seconds=1))
    assert (await greeting(client))[0] == VISITOR_HOME


async def test_a_password_change_ends_every_other_session(app: Starlette, client: httpx.AsyncClient) -> None:
    await make_user("anna@example.it", await make_company(), full_name="Anna Bianchi")
    await log_in(client, "anna@example.it")
    async with browser(app, "192.0.2.7") as laptop:
        await log_in(laptop, "anna@example.it")
        response = await client.post(
            "/password/change", data={"old": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
        )
        assert response.headers["location"] == "/preferences"
        assert "Ciao, Anna Bianchi" in await greeting(client)
        assert (await greeting(laptop))[0] == VISITOR_HOME
    assert await Session.all().count() == 1


async def test_a_password_reset_ends_every_session(
    app: Starlette, client: httpx.AsyncClient, smtp: SmtpServer
) -> None:
    await make_user("anna@example.it", await make_company())
    await log_in(client, "anna@example.it")
    async with browser(app, "192.0.2.7") as other:
        await other.post("/password/forgot", data={"email": "anna@example.it"})
        await smtp.deliver()
        link = link_in(smtp.mailbox.last_to("anna@example.it"), "/password/set/")
        await other.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert await Session.all().count() == 0
    assert (await greeting(client))[0] == VISITOR_HOME


async def test_disabling_a_user_ends_all_their_sessions(app: Starlette, client: httpx.AsyncClient) -> None:
    anna = await make_user("anna@example.it", await make_company())
    await make_user("admin@example.it", is_admin=True)
    async with browser(app, "192.0.2.7") as admin:
        await log_in(admin, "admin@example.it")
        await log_in(client, "anna@example.it")
        form = Page((await admin.get(f"/admin/users/{anna.id}")).text).inputs
        await admin.post(f"/admin/users/{anna.id}", data={**form, "full_name": anna.full_name, "status": "disabled"})
    assert (await User.get(id=anna.id)).status == "disabled"
    assert await Session.filter(user_id=anna.id).count() == 0
    await User.filter(id=anna.id).update(status="active")
    assert (await greeting(client))[0] == VISITOR_HOME


async def test_preferences_list_the_sessions_and_end_one(app: Starlette, client: httpx.AsyncClient) -> None:
    anna = await make_user("anna@example.it", await make_company())
    await log_in(client, "anna@example.it")
    async with browser(app, "192.0.2.7") as laptop:
        await log_in(laptop, "anna@example.it")
        page = Page((await client.get("/preferences")).text)
        assert "Questa sessione" in page.text and page.text.count("python-httpx") == 2
        other = await Session.filter(user_id=anna.id).order_by("-id").first()
        assert other is not None
        response = await client.post(f"/preferences/sessions/{other.id}/end")
        assert response.headers["location"] == "/preferences"
        assert (await greeting(laptop))[0] == VISITOR_HOME
        assert "Ciao, Anna" in (await greeting(client))[0]


async def test_nobody_ends_another_persons_session(app: Starlette, client: httpx.AsyncClient) -> None:
    company = await make_company()
    await make_user("anna@example.it", company)
    luca = await make_user("luca@example.it", company)
    await log_in(client, "anna@example.it")
    async with browser(app, "192.0.2.7") as other:
        await log_in(other, "luca@example.it")
        row = await Session.get(user_id=luca.id)
        response = await client.post(f"/preferences/sessions/{row.id}/end")
        assert response.status_code == 404
        assert await Session.filter(id=row.id).exists()


async def test_one_query_a_request_finds_the_session_its_user_and_company(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    await make_user("anna@example.it", await make_company("Comune di Prova"))
    await log_in(client, "anna@example.it")
    db = Session._meta.db
    queries: list[str] = []
    for name in ("execute_query", "execute_query_dict", "execute_query_dict_with_affected", "execute_insert",
                 "execute_many", "execute_script"):
        original = getattr(db, name)

        async def counted(sql: str, *args: object, _original: Any = original) -> Any:
            queries.append(sql)
            return await _original(sql, *args)

        monkeypatch.setattr(db, name, counted)
    assert (await client.get("/healthz")).text == "ok"
    assert len(queries) == 1 and "user_session" in queries[0] and "company" in queries[0]
    queries.clear()
    page = Page((await client.get("/company")).text)
    assert "Comune di Prova" in page.headings and "user_session" in queries[0]
    assert not any("user_session" in sql for sql in queries[1:])
