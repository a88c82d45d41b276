"""Live ticket pages in Chromium: the technician replies and changes the status, the requester's open page
shows both without a reload and says so in its polite live region; an internal note never shows up."""

from playwright.async_api import Browser, expect

from tests.browser.conftest import LiveServer
from tests.browser.support import log_in
from tests.support import make_company, make_user
from tests.tickets.helpers import open_ticket


async def test_the_requesters_page_shows_the_technicians_reply_without_a_reload(
    live_server: LiveServer, browser: Browser,
) -> None:
    mario = await make_user("mario.rossi@valdora.example", await make_company("Comune di Valdora"),
                            full_name="Mario Rossi")
    await make_user("marco.ferri@sportello.example", is_technician=True, full_name="Marco Ferri")
    ticket = await open_ticket(live_server.settings, mario)
    requester = await (await browser.new_context()).new_page()
    technician = await (await browser.new_context()).new_page()
    await log_in(requester, live_server, "mario.rossi@valdora.example")
    await log_in(technician, live_server, "marco.ferri@sportello.example")
    await requester.goto(f"{live_server.url}/tickets/{ticket.code}")
    await expect(requester.get_by_role("heading", name="Commenti (0)")).to_be_visible()
    loaded = await requester.evaluate("performance.timeOrigin")

    await technician.goto(f"{live_server.url}/tickets/{ticket.code}")
    await technician.get_by_role("button", name="Prendi in carico").click()
    await technician.get_by_label("Il tuo commento").fill("Solo per noi: contratto da verificare")
    await technician.get_by_label("Nota interna").check()
    await technician.get_by_role("button", name="Invia").click()
    await technician.get_by_label("Il tuo commento").fill("Quale stampante usate?")
    await technician.get_by_role("button", name="Invia").click()

    await expect(requester.get_by_text("Quale stampante usate?")).to_be_visible()
    await expect(requester.get_by_role("heading", name="Commenti (1)")).to_be_visible()
    await expect(requester.locator(".ticket-head .status")).to_have_text("Attesa supporto")
    await expect(requester.locator("#history")).to_contain_text("Aperto → Attesa supporto")
    await expect(requester.locator("[data-live-announce]")).to_contain_text("Nuovo commento")
    assert await requester.get_by_text("contratto da verificare").count() == 0
    assert await requester.evaluate("performance.timeOrigin") == loaded  # the same page: no reload
