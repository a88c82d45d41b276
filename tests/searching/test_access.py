"""A requester of company A never learns from the search pages that company B's tickets exist."""

import re

import httpx
import pytest

from app.settings import Settings
from tests.searching.support import document, index, ticket
from tests.support import Page, log_in, make_company, make_user


@pytest.fixture
async def two_companies(settings: Settings) -> None:
    valdora, bellini = await make_company("Comune di Valdora"), await make_company("Studio Bellini")
    anna = await make_user("anna@valdora.it", valdora, full_name="Anna")
    laura = await make_user("laura@valdora.it", valdora, full_name="Laura")
    carla = await make_user("carla@bellini.it", bellini, full_name="Carla")
    await make_user("tecnico@sportello.it", is_technician=True, full_name="Tecnico")
    await index(
        settings,
        ticket(1, "Protocollo bloccato all'avvio", valdora.id, anna.id, category="Protocollo"),
        ticket(2, "Protocollo lento di Laura", valdora.id, laura.id, category="Protocollo"),
        ticket(3, "Protocollo riservato Bellini", bellini.id, carla.id, category="Paghe riservate",
               product="Cedolini Bellini"),
        document("faq:1", "Protocollo: come registrare una PEC", category="Protocollo"),
    )


async def test_a_requester_sees_only_public_knowledge_and_tickets_of_her_company(
    client: httpx.AsyncClient, two_companies: None
) -> None:
    await log_in(client, "anna@valdora.it")
    response = await client.get("/search", params={"q": "protocollo"})
    page = Page(response.text)
    assert "Risultati per “protocollo”: 3" in page.headings
    assert "Protocollo bloccato all'avvio" in page.text and "Protocollo lento di Laura" in page.text
    assert "Bellini" not in response.text and "Paghe riservate" not in response.text
    assert re.search(r'Protocollo <span class="search-count">3</span>', response.text)  # the category facet
    tickets_tab = Page((await client.get("/search", params={"q": "protocollo", "kind": "ticket"})).text)
    assert "Risultati per “protocollo”: 2" in tickets_tab.headings
    guessed = await client.get("/search", params={"q": "riservato", "category": "Paghe riservate"})
    assert "Risultati per “riservato”: 0" in Page(guessed.text).headings and "Bellini" not in guessed.text
    by_product = await client.get("/search", params={"q": "", "product": "Cedolini Bellini"})
    assert "Risultati: 0" in Page(by_product.text).headings
    suggestions = await client.get("/search/suggest", params={"q": "protocollo riserv"})
    assert "Bellini" not in suggestions.text


async def test_the_other_company_finds_only_its_own_ticket(client: httpx.AsyncClient, two_companies: None) -> None:
    await log_in(client, "carla@bellini.it")
    page = Page((await client.get("/search", params={"q": "protocollo"})).text)
    assert "Risultati per “protocollo”: 2" in page.headings
    assert "Protocollo riservato Bellini" in page.text and "Laura" not in page.text and "avvio" not in page.text


async def test_staff_see_every_ticket(client: httpx.AsyncClient, two_companies: None) -> None:
    await log_in(client, "tecnico@sportello.it")
    page = Page((await client.get("/search", params={"q": "protocollo"})).text)
    assert "Risultati per “protocollo”: 4" in page.headings and "Protocollo riservato Bellini" in page.text
