import asyncio

from playwright.async_api import Browser, expect

from tests.browser.conftest import LiveServer
from tests.support import SmtpServer, link_in, make_company

PASSWORD = "la mia password sicura"


async def wait_for_mail(smtp: SmtpServer, address: str, count: int = 1) -> None:
    for _ in range(100):
        if len(smtp.mailbox.to(address)) >= count:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"no mail reached {address}")


async def test_register_set_password_log_in_change_language_log_out(
    live_server: LiveServer, browser: Browser, smtp: SmtpServer
) -> None:
    await make_company("Comune di Valdora", email_domains="comune.valdora.example")
    page = await browser.new_page()
    await page.goto(f"{live_server.url}/login")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Accedi al portale di assistenza")

    await page.get_by_role("link", name="Non hai un account? Richiedilo").click()
    await page.get_by_label("Nome e cognome").fill("Lucia Marini")
    await page.get_by_label("Email").fill("Lucia.Marini@comune.valdora.example")
    await page.get_by_role("button", name="Invia la richiesta").click()
    await expect(page.get_by_role("status")).to_contain_text("riceverai una email")

    await wait_for_mail(smtp, "lucia.marini@comune.valdora.example")
    link = link_in(smtp.mailbox.last_to("lucia.marini@comune.valdora.example"), "/password/set/")
    await page.goto(live_server.url + link)
    await page.get_by_label("Nuova password", exact=True).fill(PASSWORD)
    await page.get_by_label("Ripeti la nuova password").fill(PASSWORD)
    await page.get_by_role("button", name="Salva la password").click()

    await page.get_by_label("Email").fill("lucia.marini@comune.valdora.example")
    await page.get_by_label("Password", exact=True).fill(PASSWORD)
    await page.get_by_role("button", name="Accedi").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Ciao, Lucia Marini")

    await page.get_by_role("link", name="Le mie preferenze").first.click()
    await page.get_by_label("Lingua", exact=True).select_option("en")
    await page.get_by_role("button", name="Salva").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("My preferences")
    await expect(page.get_by_role("status")).to_have_text("Preferences saved.")

    await page.get_by_role("button", name="Log out").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Log in to the support portal")
    await page.goto(f"{live_server.url}/preferences")
    await expect(page).to_have_url(f"{live_server.url}/login?next=/preferences")
    await wait_for_mail(smtp, "lucia.marini@comune.valdora.example", count=2)
