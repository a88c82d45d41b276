"""The portal's pages under its Content-Security-Policy in Chromium: no violation reported on any page a person
visits, and the behaviour moved out of inline handlers (print, drop a file) still works."""

import re

from playwright.async_api import Browser, ConsoleMessage, Page, expect

from app.settings import Settings
from app.tickets.workflow import Event
from tests.browser.conftest import LiveServer
from tests.kb.support import make_article
from tests.support import PASSWORD, make_company, make_user
from tests.tickets.helpers import move, open_ticket

VIOLATION = re.compile(r"Content Security Policy|Refused to (execute|apply|load|evaluate|frame)", re.IGNORECASE)


def watch_violations(page: Page) -> list[str]:
    seen: list[str] = []

    def note(message: ConsoleMessage) -> None:
        if VIOLATION.search(message.text):
            seen.append(message.text)

    page.on("console", note)
    page.on("pageerror", lambda error: seen.append(str(error)))
    return seen


async def test_every_page_runs_under_the_policy_without_a_violation(
    live_server: LiveServer, browser: Browser, settings: Settings
) -> None:
    company = await make_company("Comune di Valdora")
    boss = await make_user("capo@valdora.example", company, full_name="Capo", is_admin=True, is_technician=True,
                           is_editor=True, is_requester=True)
    await make_article("stampa", "Stampa dei cedolini", "Per stampare i cedolini premi Stampa.")
    ticket = await open_ticket(settings, boss)
    await move(settings, boss, ticket, Event.TAKE_IN_CHARGE, Event.RESOLVE, resolution="Fatto.")
    page = await (await browser.new_context()).new_page()
    violations = watch_violations(page)
    await page.goto(f"{live_server.url}/login")
    await page.get_by_label("Email").fill("capo@valdora.example")
    await page.get_by_label("Password", exact=True).fill(PASSWORD)
    await page.get_by_role("button", name="Accedi").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Ciao")
    for path in ("/", "/search?q=cedolini", "/tickets/new", f"/tickets/{ticket.code}", "/kb/stampa",
                 "/kb/editor/new", "/documents/new", "/preferences", "/admin/users", f"/tickets/{ticket.code}/print"):
        await page.goto(live_server.url + path)
        await page.wait_for_load_state("networkidle")
    await page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    await page.get_by_role("button", name="Stampa").click()
    assert await page.evaluate("window.printed") == 1
    await page.goto(f"{live_server.url}/search?q=cedo")
    await page.locator("#header-q").fill("")
    await page.locator("#header-q").press_sequentially("cedolini", delay=20)
    await expect(page.locator("#header-suggestions a").first).to_be_visible()  # htmx runs under the policy
    assert violations == []


async def test_a_page_cannot_be_framed_by_another_site(live_server: LiveServer, browser: Browser) -> None:
    page = await (await browser.new_context()).new_page()
    await page.set_content(f'<iframe src="{live_server.url}/login"></iframe>')
    await page.wait_for_timeout(1000)
    framed = page.frames[1]
    assert framed.url.startswith("chrome-error://"), framed.url  # refused by frame-ancestors 'none'
    assert await framed.locator("form").count() == 0
