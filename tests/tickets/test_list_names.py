"""Categories and products have an Italian and an English name; statuses and facets speak the reader's language."""

import re

import httpx

from app.searching.engine import get_engine
from app.searching.indexer import drain_all
from app.searching.sources import document_sources
from app.settings import Settings
from app.tickets import service
from app.tickets.models import Category, Product, Ticket
from app.tickets.workflow import Event
from tests.support import Page, log_in, make_user
from tests.tickets.helpers import move, open_ticket, people


async def test_admins_name_entries_in_both_languages(client: httpx.AsyncClient) -> None:
    await make_user("boss@example.it", is_admin=True)
    await log_in(client, "boss@example.it")
    await client.post("/admin/ticket-lists", data={"action": "add", "kind": "category", "name": "Paghe",
                                                   "name_en": "Payroll"})
    category = await Category.get(name="Paghe")
    assert category.name_en == "Payroll"
    await client.post("/admin/ticket-lists", data={"action": "add", "kind": "product", "name": "Cedolini Web"})
    product = await Product.get(name="Cedolini Web")
    renamed = await client.post("/admin/ticket-lists", data={"action": "rename", "kind": "product",
                                                             "id": str(product.id), "name": "Cedolini Web",
                                                             "name_en": "Web Payslips"})
    assert renamed.status_code == 303 and (await Product.get(id=product.id)).name_en == "Web Payslips"
    clash = await client.post("/admin/ticket-lists", data={"action": "rename", "kind": "category",
                                                           "id": str(category.id), "name": "", "name_en": "X"})
    assert clash.status_code == 400 and (await Category.get(id=category.id)).name_en == "Payroll"
    page = await client.get("/admin/ticket-lists")
    assert 'value="Payroll"' in page.text and 'value="Web Payslips"' in page.text


async def test_an_english_reader_sees_english_categories_statuses_and_facets(client: httpx.AsyncClient,
                                                                             settings: Settings) -> None:
    _company, mario, _laura, tech = await people()
    category = await Category.create(name="Paghe e stipendi", name_en="Payroll")
    product = await Product.create(name="Cedolini Web", name_en="Web Payslips")
    untranslated = await Category.create(name="Anagrafe")
    ticket = await open_ticket(settings, mario, title="Stampa cedolini bloccata")
    await Ticket.filter(id=ticket.id).update(category_id=category.id, product_id=product.id)
    other = await open_ticket(settings, mario, title="Certificato anagrafe")
    await Ticket.filter(id=other.id).update(category_id=untranslated.id)
    await move(settings, tech, ticket, Event.TAKE_IN_CHARGE, Event.RESOLVE, resolution="Rigenerati i cedolini.")
    await service.transition(settings, mario, await Ticket.get(id=ticket.id), Event.CLOSE,
                             (await Ticket.get(id=ticket.id)).version)
    await drain_all(get_engine(settings), document_sources())
    mario.locale = "en"
    await mario.save()
    await log_in(client, mario.email)

    closed = Page((await client.get("/tickets?view=closed")).text)
    assert "Payroll" in closed.text and "Web Payslips" in closed.text and "Closed" in closed.text
    assert "Paghe e stipendi" not in closed.text
    detail = Page((await client.get(f"/tickets/{ticket.code}")).text)
    assert "Payroll" in detail.text and "Web Payslips" in detail.text
    form = await client.get("/tickets/new")
    assert f'<option value="{category.id}" >Payroll</option>' in form.text.replace("  ", " ")
    assert ">Anagrafe</option>" in form.text  # no English name: the Italian one

    results = await client.get("/search", params={"q": "cedolini"})
    found = Page(results.text)
    assert "<span>Closed</span>" in results.text and "<span>Payroll</span>" in results.text  # the hit's line
    assert re.search(r'category=Paghe\+e\+stipendi[^"]*">Payroll <span class="search-count">1', results.text)
    assert "Paghe e stipendi" not in found.text and "chiuso" not in found.text

    await client.post("/language", data={"locale": "it", "next": "/"})
    italian = (await client.get("/search", params={"q": "cedolini"})).text
    assert "<span>Chiuso</span>" in italian and "<span>Paghe e stipendi</span>" in italian and "Payroll" not in italian
