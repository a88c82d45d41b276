import httpx

from app.accounts.models import Company, User
from tests.support import Page, log_in, make_company, make_user


async def test_preferences_change_language_and_details(client: httpx.AsyncClient) -> None:
    await make_user("anna@example.it", await make_company(), full_name="Anna")
    await log_in(client, "anna@example.it")
    saved = await client.post("/preferences", data={"full_name": "Anna Verdi", "phone": "+39 333", "locale": "en",
                                                    "notify_own_tickets": "on"}, follow_redirects=True)
    page = Page(saved.text)
    assert "My preferences" in page.headings and "Preferences saved." in page.alerts
    user = await User.get(email="anna@example.it")
    assert (user.full_name, user.phone, user.locale, user.notify_own_tickets, user.notify_company_tickets) == (
        "Anna Verdi", "+39 333", "en", True, False)


async def test_preferences_refuse_an_empty_name(client: httpx.AsyncClient) -> None:
    await make_user("anna@example.it", full_name="Anna")
    await log_in(client, "anna@example.it")
    refused = await client.post("/preferences", data={"full_name": " ", "locale": "en"})
    assert refused.status_code == 400 and (await User.get(email="anna@example.it")).locale == "it"


async def test_language_selector_on_the_login_page(client: httpx.AsyncClient) -> None:
    await client.post("/language", data={"locale": "en", "next": "/login"})
    assert "Log in to the support portal" in Page((await client.get("/login")).text).headings


async def test_requester_sees_own_company_and_its_contacts_only(client: httpx.AsyncClient) -> None:
    mine = await make_company("Comune di Valdora", vat_number="01234560987")
    other = await make_company("Altra Srl")
    await make_user("anna@valdora.it", mine, full_name="Anna Valdora")
    await make_user("bruno@valdora.it", mine, full_name="Bruno Valdora")
    await make_user("carla@altra.it", other, full_name="Carla Altra")
    await log_in(client, "anna@valdora.it")
    page = Page((await client.get("/company")).text)
    assert "Comune di Valdora" in page.headings and "01234560987" in page.text
    assert "Bruno Valdora" in page.text and "Carla Altra" not in page.text


async def test_admin_manages_companies(client: httpx.AsyncClient) -> None:
    await make_user("boss@example.it", is_admin=True)
    await log_in(client, "boss@example.it")
    bad = await client.post("/admin/companies/new", data={"name": "Nuova", "support_start": "31/12/2026"})
    assert bad.status_code == 400 and await Company.all().count() == 0
    ok = await client.post("/admin/companies/new", data={"name": "Nuova Srl", "vat_number": "IT 01234560983",
                                                         "support_end": "2027-06-30", "shares_tickets": "on"})
    assert ok.status_code == 303
    company = await Company.get(name="Nuova Srl")
    assert str(company.support_end) == "2027-06-30" and company.shares_tickets
    assert company.vat_number == "01234560983"
    listing = Page((await client.get("/admin/companies")).text)
    assert "Nuova Srl" in listing.text
    assert (await client.get("/admin/companies/9999")).status_code == 404


async def test_admin_cannot_drop_own_admin_role(client: httpx.AsyncClient) -> None:
    boss = await make_user("boss@example.it", is_admin=True, full_name="Boss")
    await log_in(client, "boss@example.it")
    refused = await client.post(f"/admin/users/{boss.id}", data={"full_name": "Boss", "status": "active"})
    assert refused.status_code == 400
    assert (await User.get(id=boss.id)).is_admin
