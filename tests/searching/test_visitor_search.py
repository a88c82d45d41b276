"""A visitor searches public knowledge: FAQ, manual pages and documents whose audience is public, nothing else."""

import re

import httpx

from app.settings import Settings
from tests.searching.support import document, index, ticket
from tests.support import Page, make_company, make_user


async def _indexed(settings: Settings) -> None:
    company = await make_company("Comune di Valdora")
    anna = await make_user("anna@valdora.it", company)
    await index(
        settings,
        document("faq:1", "Stampante di rete non stampa", "Controllare il cavo della stampante."),
        document("document:4:2", "Manuale stampante — p. 2", "La stampante si configura così.", kind="manual_page",
                 page=2, url="/documents/4/file#page=2"),
        document("faq:2", "Stampante: procedura interna", "Riavviare lo spooler della stampante.", audience="staff"),
        document("faq:3", "Stampante dei clienti", "Solo per i clienti: la stampante.", audience="customers"),
        document("document:9", "Contratto stampante", "Contratto della stampante.", kind="document",
                 audience="company", company_id=company.id),
        ticket(7, "La stampante è bloccata", company.id, anna.id, body="La stampante non parte."),
    )


async def test_a_visitor_finds_public_knowledge_and_nothing_else(client: httpx.AsyncClient,
                                                                 settings: Settings) -> None:
    await _indexed(settings)
    response = await client.get("/search", params={"q": "stampante"})
    page = Page(response.text)
    assert response.status_code == 200, response.headers.get("location")
    assert "Risultati per “stampante”: 2" in page.headings
    assert "Stampante di rete non stampa" in page.text and "Manuale stampante" in page.text
    for hidden in ("procedura interna", "Stampante dei clienti", "Contratto stampante", "bloccata", "spooler"):
        assert hidden not in response.text
    assert 'class="header-search"' in response.text  # the header box is there for visitors too


async def test_a_visitor_gets_suggestions_of_public_knowledge_only(client: httpx.AsyncClient,
                                                                   settings: Settings) -> None:
    await _indexed(settings)
    response = await client.get("/search/suggest", params={"q": "stampan"})
    assert response.status_code == 200
    shown = set(re.findall(r"hit=([\w%]+)&", response.text))
    assert shown == {"faq%3A1", "document%3A4%3A2"}
    for hidden in ("procedura interna", "dei clienti", "Contratto", "bloccata"):
        assert hidden not in response.text


async def test_the_home_page_offers_visitors_the_search_and_the_login(client: httpx.AsyncClient) -> None:
    home = await client.get("/")
    page = Page(home.text)
    assert home.status_code == 200 and "Portale di assistenza" in page.headings
    assert 'id="home-q"' in home.text and "/login" in page.links and "/kb" in page.links
