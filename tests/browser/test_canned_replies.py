"""In Chromium: a technician picks a canned reply and Insert puts it, filled for the ticket, at the cursor of the
reply box without leaving the page (the script), under the portal's Content-Security-Policy."""

from playwright.async_api import Browser, expect

from app.canned.models import CannedReply
from app.tickets.models import Comment
from tests.browser.conftest import LiveServer
from tests.browser.test_ticket_story import log_in
from tests.support import make_company, make_user
from tests.tickets.helpers import open_ticket


async def test_insert_puts_the_filled_reply_at_the_cursor(live_server: LiveServer, browser: Browser) -> None:
    company = await make_company("Comune di Valdora")
    mario = await make_user("mario.rossi@valdora.example", company, full_name="Mario Rossi")
    await make_user("marco.ferri@sportello.example", is_technician=True, full_name="Marco Ferri")
    ticket = await open_ticket(live_server.settings, mario, title="Stampa cedolini bloccata")
    await CannedReply.create(title="Presa in carico", body="Gentile {requester_name}, seguiamo {ticket_code}.")
    page = await (await browser.new_context()).new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    await log_in(page, live_server, "marco.ferri@sportello.example")
    await page.goto(f"{live_server.url}/tickets/{ticket.code}")
    box = page.get_by_label("Il tuo commento")
    await box.fill("Buongiorno.\n")
    await page.get_by_label("Risposta predefinita").select_option(label="Presa in carico")
    await page.get_by_role("button", name="Inserisci", exact=True).click()
    await expect(box).to_have_value(f"Buongiorno.\nGentile Mario Rossi, seguiamo {ticket.code}.")
    assert page.url == f"{live_server.url}/tickets/{ticket.code}"  # the script did it: no page load
    await page.get_by_role("button", name="Invia").click()
    await expect(page.get_by_text("Il tuo commento è stato aggiunto.")).to_be_visible()
    assert (await Comment.get()).body.replace("\r\n", "\n") == f"Buongiorno.\nGentile Mario Rossi, seguiamo {ticket.code}."
    assert not [e for e in errors if "Content Security Policy" in e]
