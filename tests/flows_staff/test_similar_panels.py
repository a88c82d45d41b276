"""The similar-cases panels of the ticket page, through the real outbox, indexer, engine and access filter."""

import re

import httpx

from app.searching.engine import get_engine, use_engine
from app.settings import Settings
from tests.flows_staff.support import drain, headings, requester, solved_ticket, technician
from tests.kb.support import make_article
from tests.searching.support import FlakyEngine
from tests.support import Page, log_in
from tests.tickets.helpers import open_ticket

HX = {"HX-Request": "true"}


async def test_a_requester_sees_similar_solved_questions_but_never_another_companys_ticket(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    tech = await technician()
    _valdora, anna = await requester("Comune di Valdora", "anna@valdora.example", "Anna Verdi")
    _borgo, bruno = await requester("Comune di Borgo", "bruno@borgo.example", "Bruno Neri")
    theirs = await solved_ticket(settings, bruno, tech, "Zinfolario non stampa i mandati",
                                 "Lo zinfolario si blocca sui mandati.", "Aggiornare il driver dello zinfolario.")
    mine_solved = await solved_ticket(settings, anna, tech, "Zinfolario lento sui mandati",
                                      "Lo zinfolario impiega minuti per i mandati.", "Svuotare la cache.")
    public = await make_article("zinfolario-mandati", "Zinfolario: stampare i mandati", "Come usare lo zinfolario.\n",
                                audience="customers")
    internal = await make_article("zinfolario-interno", "Zinfolario: note interne", "Lo zinfolario per lo staff.\n",
                                  audience="staff")
    current = await open_ticket(settings, anna, title="Zinfolario e mandati", description="Lo zinfolario non va.")
    await drain(settings)
    await log_in(client, "anna@valdora.example")

    page = await client.get(f"/tickets/{current.code}")
    assert f'hx-get="/tickets/{current.code}/similar"' in page.text and 'hx-trigger="load"' in page.text

    panel = await client.get(f"/tickets/{current.code}/similar", headers=HX)
    found = Page(panel.text)
    assert "Domande simili già risolte" in found.headings
    assert f"/kb/{public.slug}" in found.links and f"/tickets/{mine_solved.id}" in found.links
    assert f"/tickets/{theirs.id}" not in found.links and f"/kb/{internal.slug}" not in found.links
    assert "non stampa" not in found.text and "driver" not in found.text and "interne" not in found.text
    assert f"/tickets/{current.id}" not in found.links


async def test_the_requester_panel_is_hidden_when_nothing_is_similar(client: httpx.AsyncClient,
                                                                    settings: Settings) -> None:
    _company, anna = await requester("Comune di Valdora", "anna@valdora.example", "Anna Verdi")
    current = await open_ticket(settings, anna, title="Quxwerty", description="Parola mai vista.")
    await drain(settings)
    await log_in(client, "anna@valdora.example")
    panel = await client.get(f"/tickets/{current.code}/similar", headers=HX)
    assert panel.status_code == 200 and panel.text == ""
    without_js = Page((await client.get(f"/tickets/{current.code}/similar")).text)
    assert "Nessuna domanda simile già risolta." in without_js.text


async def test_staff_see_similar_solved_tickets_with_their_solution_and_faq_to_link(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    tech = await technician()
    _company, anna = await requester("Comune di Valdora", "anna@valdora.example", "Anna Verdi")
    solved = await solved_ticket(settings, anna, tech, "Cedolini di marzo non visibili",
                                 "I cedolini di marzo non compaiono nel portale.",
                                 "Rigenerare i cedolini dal pannello paghe e ripubblicarli.", close=True)
    article = await make_article("cedolini-non-visibili", "Cedolini non visibili nel portale",
                                 "Se i cedolini non compaiono, rigenerarli.\n", audience="customers")
    current = await open_ticket(settings, anna, title="Cedolini di aprile non visibili",
                                description="I cedolini di aprile non compaiono.")
    await drain(settings)
    await log_in(client, "tecnico@sportello.example")

    page = Page((await client.get(f"/tickets/{current.code}")).text)
    assert "Casi simili già risolti" in page.headings and "/static/js/tickets.js" in (
        await client.get(f"/tickets/{current.code}")).text

    panel = await client.get(f"/tickets/{current.code}/similar", headers=HX)
    found = Page(panel.text)
    assert "Ticket simili già risolti" in headings(panel.text)
    assert f"/tickets/{solved.id}" in found.links and "Chiuso" in found.text
    assert "Rigenerare i cedolini dal pannello paghe e ripubblicarli." in found.text
    assert f"/tickets/{current.id}" not in found.links
    assert "FAQ e pagine dei manuali" in headings(panel.text) and f"/kb/{article.slug}" in found.links
    url = f"{settings.base_url}/kb/{article.slug}"
    assert f'value="{url}"' in panel.text
    button = re.search(r'<button type="button" data-insert-link="([^"]+)" data-target="body"', panel.text)
    assert button is not None and button.group(1) == f"Cedolini non visibili nel portale: {url}"
    assert "Inserisci il link nella risposta" in found.text

    without_js = await client.get(f"/tickets/{current.code}/similar")
    plain = Page(without_js.text)
    assert "Casi simili già risolti" in plain.headings and f'value="{url}"' in without_js.text
    assert "data-insert-link" not in without_js.text


async def test_when_search_is_down_the_staff_panel_says_so_and_the_ticket_page_still_works(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    await technician()
    _company, anna = await requester("Comune di Valdora", "anna@valdora.example", "Anna Verdi")
    current = await open_ticket(settings, anna, title="Stampa lenta", description="La stampa è lenta.")
    engine = FlakyEngine(get_engine(settings))
    use_engine(settings, engine)
    engine.down = True
    await log_in(client, "tecnico@sportello.example")
    page = await client.get(f"/tickets/{current.code}")
    assert page.status_code == 200 and "Stampa lenta" in Page(page.text).text
    panel = Page((await client.get(f"/tickets/{current.code}/similar", headers=HX)).text)
    assert panel.text == "La ricerca non è disponibile in questo momento: i casi simili non possono essere mostrati."


async def test_the_panel_of_a_ticket_that_is_not_yours_is_404(client: httpx.AsyncClient, settings: Settings) -> None:
    _borgo, bruno = await requester("Comune di Borgo", "bruno@borgo.example", "Bruno Neri")
    await requester("Comune di Valdora", "anna@valdora.example", "Anna Verdi")
    theirs = await open_ticket(settings, bruno, title="Mandati", description="Mandati bloccati.")
    await log_in(client, "anna@valdora.example")
    response = await client.get(f"/tickets/{theirs.code}/similar", headers=HX)
    assert response.status_code == 404 and "Mandati bloccati" not in response.text
