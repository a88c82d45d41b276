from datetime import UTC, datetime, timedelta

import httpx

from app.accounts.models import AccountToken, User, UserStatus
from app.mail.models import OutgoingMail
from tests.support import PASSWORD, Page, SmtpServer, link_in, log_in, make_company, make_user, text_of

NEW_PASSWORD = "a brand new secret"


async def test_forgot_password_mails_a_single_use_link(client: httpx.AsyncClient, smtp: SmtpServer) -> None:
    await make_user("anna@example.it", await make_company())
    response = await client.post("/password/forgot", data={"email": "ANNA@example.it"})
    assert response.status_code == 303
    assert await smtp.deliver() == 1
    link = link_in(smtp.mailbox.last_to("anna@example.it"), "/password/set/")

    set_form = await client.get(link)
    assert "Scegli la tua password" in Page(set_form.text).headings
    done = await client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 303
    await log_in(client, "anna@example.it", NEW_PASSWORD)

    reused = await client.post(link, data={"password": "another one 123", "confirm": "another one 123"})
    assert reused.status_code == 400 and "non è più valido" in Page(reused.text).text
    await smtp.deliver()
    assert "appena stata cambiata" in text_of(smtp.mailbox.last_to("anna@example.it"))
    assert len(smtp.mailbox.to("anna@example.it")) == 2


async def test_unknown_address_gets_the_same_answer_and_no_mail(client: httpx.AsyncClient, smtp: SmtpServer) -> None:
    await make_user("anna@example.it")
    known = await client.post("/password/forgot", data={"email": "anna@example.it"}, follow_redirects=True)
    unknown = await client.post("/password/forgot", data={"email": "ghost@example.it"}, follow_redirects=True)
    assert Page(known.text).alerts == Page(unknown.text).alerts
    await smtp.deliver()
    assert [m["To"] for m in smtp.mailbox.messages] == ["anna@example.it"]


async def test_expired_link_is_refused_and_changes_nothing(client: httpx.AsyncClient, smtp: SmtpServer) -> None:
    user = await make_user("anna@example.it")
    await client.post("/password/forgot", data={"email": "anna@example.it"})
    await AccountToken.filter(user_id=user.id).update(expires_at=datetime.now(UTC) - timedelta(minutes=1))
    await smtp.deliver()
    link = link_in(smtp.mailbox.last_to("anna@example.it"), "/password/set/")
    assert (await client.get(link)).status_code == 404
    refused = await client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert refused.status_code == 400
    await log_in(client, "anna@example.it", PASSWORD)


async def test_set_password_rejects_mismatch_and_short_passwords(client: httpx.AsyncClient, smtp: SmtpServer) -> None:
    await make_user("anna@example.it")
    await client.post("/password/forgot", data={"email": "anna@example.it"}, follow_redirects=True)
    await smtp.deliver()
    link = link_in(smtp.mailbox.last_to("anna@example.it"), "/password/set/")
    mismatch = await client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "x"})
    short = await client.post(link, data={"password": "short", "confirm": "short"})
    assert Page(mismatch.text).alerts == ["Le due password non coincidono."]
    assert Page(short.text).alerts == ["La password deve essere lunga almeno 10 caratteri."]
    ok = await client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert ok.status_code == 303, "a refused attempt must not use up the link"


async def test_change_password_needs_the_old_one_and_ends_other_sessions(
    app: object, client: httpx.AsyncClient, smtp: SmtpServer
) -> None:
    await make_user("anna@example.it")
    await log_in(client, "anna@example.it")
    other = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=str(client.base_url),
                              headers={"Origin": str(client.base_url)})
    await log_in(other, "anna@example.it")

    wrong = await client.post("/password/change", data={"old": "nope", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert wrong.status_code == 400 and Page(wrong.text).alerts == ["La password attuale è errata."]
    assert await OutgoingMail.filter(template="password_changed").count() == 0

    ok = await client.post("/password/change", data={"old": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert ok.headers["location"] == "/preferences"
    assert (await client.get("/preferences")).status_code == 200
    assert (await other.get("/preferences")).headers["location"].startswith("/login")
    await smtp.deliver()
    assert "appena stata cambiata" in text_of(smtp.mailbox.last_to("anna@example.it"))
    await other.aclose()


async def test_staff_created_account_must_change_the_temporary_password(
    client: httpx.AsyncClient, smtp: SmtpServer
) -> None:
    company = await make_company()
    await make_user("boss@example.it", is_admin=True)
    await log_in(client, "boss@example.it")
    created = await client.post(
        "/admin/users/new",
        data={"full_name": "Nuovo Utente", "email": "Nuovo@Example.it", "company": str(company.id), "locale": "en",
              "is_requester": "on"},
    )
    assert created.status_code == 303
    await smtp.deliver()
    mail = smtp.mailbox.last_to("nuovo@example.it")
    assert mail["Subject"] == "Your support portal account"
    temporary = text_of(mail).split("Temporary password: ")[1].split()[0]

    await client.post("/logout")
    await log_in(client, "nuovo@example.it", temporary)
    assert (await client.get("/")).headers["location"] == "/password/change"
    await client.post("/password/change", data={"old": temporary, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    home = await client.get("/")
    assert home.status_code == 200 and "Hello, Nuovo Utente" in Page(home.text).headings
    assert not (await User.get(email="nuovo@example.it")).must_change_password
