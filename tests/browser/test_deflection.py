"""The answer before the ticket in a real browser: a demo FAQ answers a question typed in the new-ticket form
and the requester says so (no ticket), then a question nothing answers becomes a ticket, and the editors'
report lists it among the searches followed by a ticket."""

import re
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from app.insights.models import Purpose, SearchEvent
from app.searching.engine import close_engines
from app.settings import Settings
from app.tickets.models import Ticket
from tests.browser.conftest import LiveServer
from tests.flows.support import drain, import_demo_faq
from tests.support import PASSWORD, make_company, make_user


@pytest.fixture
async def demo_faq(settings: Settings, db: None, tmp_path: Path) -> None:
    """People and a few demo FAQ in the index before the server starts (one writer per index)."""
    await make_user("anna@valdora.it", await make_company("Comune di Valdora"), full_name="Anna")
    await make_user("editor@sportello.example", is_editor=True, full_name="Elena")
    await import_demo_faq(settings, tmp_path / "kb")
    await drain(settings)
    await close_engines()


async def logged_in(browser: Browser, server: LiveServer, email: str) -> Page:
    page = await (await browser.new_context()).new_page()
    await page.goto(f"{server.url}/login")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password", exact=True).fill(PASSWORD)
    await page.get_by_role("button", name="Accedi").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Ciao")
    return page


async def test_a_demo_faq_deflects_a_ticket_and_an_unanswered_question_becomes_one(
    demo_faq: None, live_server: LiveServer, browser: Browser
) -> None:
    page = await logged_in(browser, live_server, "anna@valdora.it")
    await page.goto(f"{live_server.url}/tickets/new")
    await page.get_by_label("Titolo").press_sequentially("Ho dimenticato la password", delay=20)
    panel = page.get_by_role("region", name="Risposte che possono aiutarti")
    answer = panel.get_by_role("link", name="Come reimpostare la password del portale")
    await expect(answer).to_be_visible()
    await answer.click()
    await expect(panel.get_by_text("Password dimenticata?").first).to_be_visible()
    assert len(page.context.pages) == 1, "the answer opens in place, not in a new tab"
    unwanted = panel.get_by_role("listitem").filter(has=page.get_by_role("heading", name=re.compile("^Account bloccato")))
    await unwanted.get_by_role("button", name="Non è quello che cerco").click()
    await expect(unwanted).to_have_count(0)
    item = panel.get_by_role("listitem").filter(has_text="Come reimpostare la password del portale")
    await item.get_by_role("button", name="Questo ha risolto il mio problema").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Siamo contenti che sia stato utile")
    await expect(page.get_by_role("link", name="Torna alla pagina iniziale")).to_be_visible()
    deflected = await SearchEvent.get(purpose=Purpose.NEW_TICKET)
    assert deflected.deflected and deflected.opened_hit_id and deflected.opened_hit_id.startswith("faq:")
    assert await Ticket.all().count() == 0

    await page.goto(f"{live_server.url}/tickets/new")
    await page.get_by_label("Titolo").press_sequentially("Ologramma quantistico sfarfalla", delay=10)
    await page.get_by_label("Descrizione").fill("Il proiettore olografico sfarfalla da stamattina.")
    await page.get_by_label("Tipo").select_option("anomalia")
    await expect(panel.get_by_text("Nessuna risposta corrisponde a quello che hai scritto finora.")).to_be_visible()
    await page.get_by_role("button", name="Apri il ticket", exact=True).click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Ologramma quantistico sfarfalla")
    [ticket] = await Ticket.all()
    assert ticket.description == "Il proiettore olografico sfarfalla da stamattina."
    followed = await SearchEvent.get(ticket_followed=True)
    assert followed.query.startswith("ologramma quantistico sfarfalla") and followed.result_count == 0

    editor = await logged_in(browser, live_server, "editor@sportello.example")
    await editor.goto(f"{live_server.url}/insights/search")
    failed = editor.get_by_role("table", name="Ricerche seguite da un ticket")
    await expect(failed).to_contain_text("ologramma quantistico sfarfalla")
