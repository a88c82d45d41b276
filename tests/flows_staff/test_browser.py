"""In Chromium: the staff panel loads by itself after the page, and one click puts the FAQ link in the reply."""

import pytest
from playwright.async_api import Browser, expect
from search.embedded import EmbeddedEngine

from app.searching.indexer import drain_all
from app.searching.sources import document_sources
from app.settings import Settings
from app.tickets.models import Ticket
from tests.browser.conftest import LiveServer, browser, live_server  # noqa: F401  (fixtures)
from tests.flows_staff.support import requester, solved_ticket, technician
from tests.kb.support import make_article
from tests.support import PASSWORD
from tests.tickets.helpers import open_ticket

pytestmark = pytest.mark.browser


@pytest.fixture
async def current_ticket(settings: Settings, db: None) -> Ticket:
    """A new ticket with a similar solved one and an FAQ, indexed before the server starts (one writer per index)."""
    tech = await technician()
    _company, anna = await requester("Comune di Valdora", "anna@valdora.example", "Anna Verdi")
    await solved_ticket(settings, anna, tech, "Cedolini di marzo non visibili", "I cedolini non compaiono.",
                        "Rigenerare i cedolini dal pannello paghe.")
    await make_article("cedolini-non-visibili", "Cedolini non visibili", "Rigenerare i cedolini.\n",
                       audience="customers")
    current = await open_ticket(settings, anna, title="Cedolini di aprile non visibili",
                                description="I cedolini di aprile non compaiono.")
    engine = EmbeddedEngine(settings.data_dir / "index")
    await drain_all(engine, document_sources())
    await engine.close()
    return current


async def test_one_click_inserts_the_faq_link_into_the_reply(current_ticket: Ticket, live_server: LiveServer,
                                                             browser: Browser) -> None:  # noqa: F811
    page = await browser.new_page()
    await page.goto(f"{live_server.url}/login")
    await page.get_by_label("Email").fill("tecnico@sportello.example")
    await page.get_by_label("Password", exact=True).fill(PASSWORD)
    await page.get_by_role("button", name="Accedi").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Ciao")

    await page.goto(f"{live_server.url}/tickets/{current_ticket.code}")
    await expect(page.get_by_text("Rigenerare i cedolini dal pannello paghe.")).to_be_visible()
    reply = page.get_by_label("Il tuo commento")
    await reply.fill("Buongiorno, veda qui:")
    await page.get_by_role("button", name="Inserisci il link nella risposta").click()
    await expect(reply).to_have_value(
        f"Buongiorno, veda qui:\nCedolini non visibili: {live_server.url}/kb/cedolini-non-visibili\n")
    await expect(reply).to_be_focused()
