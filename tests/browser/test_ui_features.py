"""The issue's user-visible items, found by role and label in Chromium: English labels, links in comments,
visitor search, the approve button and the satisfaction rating."""

import re

import pytest
from playwright.async_api import Browser, Page, expect

from app.accounts.models import User, UserStatus
from app.searching.engine import close_engines, get_engine
from app.searching.indexer import drain_all
from app.searching.sources import document_sources
from app.settings import Settings
from app.tickets import service
from app.tickets.models import Category, Ticket
from app.tickets.workflow import Event
from tests.browser.conftest import LiveServer
from tests.kb.support import make_article
from tests.support import PASSWORD, make_user
from tests.tickets.helpers import move, open_ticket, people


async def log_in(page: Page, server: LiveServer, email: str) -> None:
    await page.goto(f"{server.url}/login")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password", exact=True).fill(PASSWORD)
    await page.get_by_role("button", name="Accedi").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^(Ciao|Hello), "))


@pytest.fixture
async def world(settings: Settings, db: None) -> dict[str, object]:
    """People, a closed ticket in a translated category, a resolved one with a link in a comment, public and
    staff-only articles, all indexed before the server starts (one writer per index)."""
    _company, mario, _laura, tech = await people()
    mario.locale = "en"
    await mario.save()
    payroll = await Category.create(name="Paghe e stipendi", name_en="Payroll")
    closed = await open_ticket(settings, mario, title="Cedolino di ottobre")
    await Ticket.filter(id=closed.id).update(category_id=payroll.id)
    closed = await move(settings, tech, closed, Event.TAKE_IN_CHARGE, Event.RESOLVE, resolution="Rifatto.")
    await service.transition(settings, mario, closed, Event.CONFIRM_RESOLVED, closed.version)
    resolved = await move(settings, tech, await open_ticket(settings, mario, title="Stampa bloccata"),
                          Event.TAKE_IN_CHARGE, Event.RESOLVE, resolution="Driver aggiornato.")
    await service.add_comment(settings, tech, resolved, "Segui la FAQ: https://help.example.com/stampa")
    await make_article("stampa-cedolini", "Stampa dei cedolini", "Per stampare i cedolini premi Stampa.")
    await make_article("stampa-interna", "Stampa: procedura interna", "Riavviare lo spooler di stampa.",
                       audience="staff")
    await make_user("admin@example.it", is_admin=True, full_name="Ada Admin")
    await User.create(email="sara@example.it", full_name="Sara Gialli", is_requester=True, status=UserStatus.PENDING)
    await drain_all(get_engine(settings), document_sources())
    await close_engines()
    return {"mario": mario, "resolved": resolved}


async def test_a_visitor_searches_public_knowledge_from_the_header(world: dict[str, object],
                                                                   live_server: LiveServer, browser: Browser) -> None:
    page = await browser.new_page()
    await page.goto(live_server.url)
    await page.get_by_role("combobox", name="Cerca in FAQ, manuali e ticket").fill("stampa")
    await page.keyboard.press("Enter")
    results = page.get_by_role("region", name="Risultati per “stampa”: 1")
    await expect(results.get_by_role("link", name="Stampa dei cedolini")).to_be_visible()
    await expect(page.get_by_text("procedura interna")).to_have_count(0)
    await expect(page.get_by_text("Stampa bloccata")).to_have_count(0)


async def test_an_english_requester_sees_english_labels_a_link_and_rates(world: dict[str, object],
                                                                         live_server: LiveServer,
                                                                         browser: Browser) -> None:
    page = await browser.new_page()
    await log_in(page, live_server, "mario@valdora.example")
    await page.goto(f"{live_server.url}/tickets?view=closed")
    row = page.get_by_role("row", name="Cedolino di ottobre")
    await expect(row.get_by_role("cell", name="Payroll")).to_be_visible()
    await expect(row.get_by_role("cell", name="Closed")).to_be_visible()

    resolved = world["resolved"]
    await page.goto(f"{live_server.url}/tickets/{resolved.code}")  # type: ignore[attr-defined]
    link = page.get_by_role("link", name="https://help.example.com/stampa")
    await expect(link).to_have_attribute("href", "https://help.example.com/stampa")
    await expect(link).to_have_attribute("rel", "nofollow noopener")

    await page.get_by_role("button", name="OK, resolved").click()
    rating = page.get_by_role("region", name="Rate the support")
    await expect(rating).to_be_visible()
    await rating.get_by_role("radio", name="5 of 5: Very happy").check()
    await rating.get_by_label("Comment (optional)").fill("Fast and clear")
    await rating.get_by_role("button", name="Send my rating").click()
    await expect(page.get_by_role("status").filter(has_text="Thank you: your rating was saved.")).to_be_visible()
    await expect(page.get_by_role("radio", name="5 of 5: Very happy")).to_be_checked()


async def test_the_admin_approves_a_request_with_its_button(world: dict[str, object], live_server: LiveServer,
                                                            browser: Browser) -> None:
    page = await browser.new_page()
    await log_in(page, live_server, "admin@example.it")
    await page.goto(f"{live_server.url}/admin/users?status=pending")
    await page.get_by_role("button", name="Approva la richiesta di Sara Gialli").click()
    await expect(page.get_by_role("status").filter(has_text="Richiesta approvata")).to_be_visible()
    await expect(page.get_by_role("button", name="Approva la richiesta di Sara Gialli")).to_have_count(0)
