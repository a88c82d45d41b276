import httpx

from app.accounts.models import User, UserStatus
from tests.support import PASSWORD, Page, log_in, make_company, make_user


async def test_login_page_speaks_italian_by_default(client: httpx.AsyncClient) -> None:
    page = Page((await client.get("/login")).text)
    assert "Accedi al portale di assistenza" in page.headings
    assert "Password dimenticata?" in page.text


async def test_login_with_any_case_of_the_email_and_logout(client: httpx.AsyncClient) -> None:
    await make_user("Mario.Rossi@example.it".lower(), await make_company())
    await log_in(client, "MARIO.Rossi@Example.IT")
    home = Page((await client.get("/")).text)
    assert "Ciao, Mario Rossi" in home.headings
    assert (await User.get(email="mario.rossi@example.it")).last_login_at is not None
    await client.post("/logout")
    visitor_home = Page((await client.get("/")).text)
    assert "Ciao, Mario Rossi" not in visitor_home.headings and "/login" in visitor_home.links


async def test_wrong_password_and_unknown_address_get_the_same_message(client: httpx.AsyncClient) -> None:
    await make_user("anna@example.it")
    wrong = await client.post("/login", data={"email": "anna@example.it", "password": "nope"})
    unknown = await client.post("/login", data={"email": "nobody@example.it", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 400
    assert Page(wrong.text).alerts == Page(unknown.text).alerts == ["Email o password errati."]


async def test_pending_and_disabled_accounts_cannot_log_in(client: httpx.AsyncClient) -> None:
    await make_user("pending@example.it", status=UserStatus.PENDING)
    await make_user("off@example.it", status=UserStatus.DISABLED)
    for email in ("pending@example.it", "off@example.it"):
        response = await client.post("/login", data={"email": email, "password": PASSWORD})
        assert response.status_code == 400


async def test_next_parameter_cannot_redirect_off_site(client: httpx.AsyncClient) -> None:
    await make_user("anna@example.it")
    response = await client.post(
        "/login", data={"email": "anna@example.it", "password": PASSWORD, "next": "//evil.example/x"}
    )
    assert response.headers["location"] == "/"


async def test_forged_post_without_origin_is_refused(client: httpx.AsyncClient) -> None:
    await make_user("anna@example.it", full_name="Anna")
    await log_in(client, "anna@example.it")
    forged = await client.post("/preferences", data={"full_name": "Hacked", "locale": "it"}, headers={"Origin": ""})
    cross = await client.post(
        "/preferences", data={"full_name": "Hacked", "locale": "it"}, headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert forged.status_code == cross.status_code == 403
    assert (await User.get(email="anna@example.it")).full_name == "Anna"


async def test_staff_pages_answer_404_to_requesters(client: httpx.AsyncClient) -> None:
    await make_user("anna@example.it", await make_company())
    await log_in(client, "anna@example.it")
    for path in ("/admin/users", "/admin/companies", "/admin/mail"):
        response = await client.get(path)
        assert response.status_code == 404
        assert "Pagina non trovata" in Page(response.text).headings
