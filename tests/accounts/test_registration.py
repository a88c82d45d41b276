import httpx
from starlette.applications import Starlette

from app.accounts.models import User, UserStatus
from tests.support import Page, SmtpServer, link_in, log_in, make_company, make_user, text_of

FORM = {"full_name": "Sara Gialli", "email": "Sara.Gialli@Comune.Example", "company_name": "Comune", "phone": "",
        "note": "Ufficio tributi"}


async def test_request_waits_for_approval_then_mails_the_link(client: httpx.AsyncClient, smtp: SmtpServer) -> None:
    await make_user("boss@example.it", is_admin=True)
    sent = await client.post("/register", data=FORM, follow_redirects=True)
    assert "riceverai una email" in " ".join(Page(sent.text).alerts)
    applicant = await User.get(email="sara.gialli@comune.example")
    assert applicant.status is UserStatus.PENDING and applicant.password_hash is None
    await smtp.deliver()
    assert "Sara Gialli" in smtp.mailbox.last_to("boss@example.it")["Subject"]

    await log_in(client, "boss@example.it")
    listing = await client.get("/admin/users?status=pending")
    pending = Page(listing.text)
    assert "Sara Gialli" in pending.text and "Boss" not in pending.text
    assert f'<form method="post" action="/admin/users/{applicant.id}/approve"' in listing.text
    approved = await client.post(f"/admin/users/{applicant.id}/approve", follow_redirects=True)
    assert "Richiesta approvata" in " ".join(Page(approved.text).alerts)
    again = await client.post(f"/admin/users/{applicant.id}/approve", follow_redirects=True)
    assert "già stata gestita" in " ".join(Page(again.text).alerts)  # one link, not two
    await client.post("/logout")
    await smtp.deliver()
    link = link_in(smtp.mailbox.last_to("sara.gialli@comune.example"), "/password/set/")
    await client.post(link, data={"password": "una password lunga", "confirm": "una password lunga"})
    await log_in(client, "sara.gialli@comune.example", "una password lunga")


async def test_registering_a_known_address_reveals_nothing(client: httpx.AsyncClient, smtp: SmtpServer) -> None:
    await make_user("sara.gialli@comune.example", full_name="Sara")
    known = await client.post("/register", data=FORM, follow_redirects=True)
    new = await client.post("/register", data={**FORM, "email": "other@comune.example"}, follow_redirects=True)
    assert Page(known.text).alerts == Page(new.text).alerts
    assert await User.filter(email="sara.gialli@comune.example").count() == 1
    assert (await User.get(email="sara.gialli@comune.example")).full_name == "Sara"


async def test_missing_fields_keep_the_values_and_create_nothing(client: httpx.AsyncClient) -> None:
    response = await client.post("/register", data={**FORM, "email": "not-an-address"})
    page = Page(response.text)
    assert response.status_code == 400
    assert page.alerts == ["Inserisci il tuo nome e un indirizzo email valido."]
    assert page.inputs["full_name"] == "Sara Gialli"
    assert await User.all().count() == 0


async def test_open_registration_with_a_company_domain_mails_the_link_at_once(
    app: Starlette, client: httpx.AsyncClient, smtp: SmtpServer
) -> None:
    app.state.settings = app.state.settings.model_copy(update={"registration": "open"})
    company = await make_company("Comune", email_domains="comune.example")
    await client.post("/register", data=FORM)
    user = await User.get(email="sara.gialli@comune.example")
    assert user.status is UserStatus.ACTIVE and user.company_id == company.id
    await smtp.deliver()
    assert "/password/set/" in text_of(smtp.mailbox.last_to("sara.gialli@comune.example"))


async def test_allowed_domains_refuse_others(app: Starlette, client: httpx.AsyncClient) -> None:
    app.state.settings = app.state.settings.model_copy(update={"registration_domains": "comune.example"})
    refused = await client.post("/register", data={**FORM, "email": "x@gmail.example"})
    assert refused.status_code == 400 and await User.all().count() == 0


async def test_registration_is_rate_limited(client: httpx.AsyncClient) -> None:
    codes = [(await client.post("/register", data={**FORM, "email": f"u{i}@comune.example"})).status_code
             for i in range(6)]
    assert codes == [303] * 5 + [429]
    assert await User.all().count() == 5


async def test_a_refused_request_is_told_by_mail_and_may_ask_again(client: httpx.AsyncClient,
                                                                    smtp: SmtpServer) -> None:
    await make_user("boss@example.it", is_admin=True)
    await client.post("/register", data=FORM)
    applicant = await User.get(email="sara.gialli@comune.example")
    await log_in(client, "boss@example.it")
    edit_page = await client.get(f"/admin/users/{applicant.id}")
    assert f'action="/admin/users/{applicant.id}/reject"' in edit_page.text and 'name="status"' not in edit_page.text
    refused = await client.post(f"/admin/users/{applicant.id}/reject", follow_redirects=True)
    assert "Richiesta rifiutata" in " ".join(Page(refused.text).alerts)
    assert not await User.exists(email="sara.gialli@comune.example")
    await smtp.deliver()
    told = smtp.mailbox.last_to("sara.gialli@comune.example")
    assert "non è stata accettata" in told["Subject"] and "Sara Gialli" in text_of(told)
    assert (await client.post("/admin/users/9999/reject")).status_code == 404
    await client.post("/logout")
    await client.post("/register", data=FORM)
    assert (await User.get(email="sara.gialli@comune.example")).status is UserStatus.PENDING


async def test_a_pending_request_cannot_be_activated_by_the_edit_form(client: httpx.AsyncClient) -> None:
    await make_user("boss@example.it", is_admin=True)
    await client.post("/register", data=FORM)
    applicant = await User.get(email="sara.gialli@comune.example")
    await log_in(client, "boss@example.it")
    await client.post(f"/admin/users/{applicant.id}", data={"full_name": "Sara Gialli", "status": "active"})
    assert (await User.get(id=applicant.id)).status is UserStatus.PENDING  # approval goes through its button
