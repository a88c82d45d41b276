import re

import httpx

from app.insights.models import SearchEvent
from app.settings import Settings
from tests.searching.support import document, index
from tests.support import Page, log_in, make_company, make_user


async def requester_logged_in(client: httpx.AsyncClient) -> None:
    await make_user("anna@valdora.it", await make_company("Comune di Valdora"), full_name="Anna")
    await log_in(client, "anna@valdora.it")


async def test_results_show_highlights_kinds_and_a_link_to_the_manual_page(client: httpx.AsyncClient,
                                                                            settings: Settings) -> None:
    await requester_logged_in(client)
    await index(
        settings,
        document("faq:1", "Stampante non stampa", "Controllare il cavo della stampante.", category="Hardware"),
        document("document:4:12", "Manuale presenze", "Per la stampante di rete impostare l'indirizzo.",
                 kind="manual_page", page=12, url="/documents/4/file#page=12", audience="customers",
                 category="Manuali"),
        document("faq:2", "Ferie e permessi", "Come chiedere le ferie."),
    )
    response = await client.get("/search", params={"q": "stampante"})
    page = Page(response.text)
    assert response.status_code == 200
    assert "Risultati per “stampante”: 2" in page.headings
    assert re.search(r'<a href="/insights/open/\d+\?hit=faq%3A1&amp;rank=1&amp;to=%2Ffaq%2F1"><mark>Stampante</mark> non',
                     response.text)
    assert any(link.endswith("to=%2Fdocuments%2F4%2Ffile%23page%3D12") for link in page.links) and "pagina 12" in page.text
    assert "Ferie e permessi" not in page.text
    tabs = re.findall(r'<a href="/search\?q=stampante(?:&amp;kind=(\w+))?&amp;refine=1"[^>]*>([^<]+) <span class="search-count">(\d+)',
                      response.text)
    assert [(kind, label.strip(), int(count)) for kind, label, count in tabs] == [
        ("", "Tutti", 2), ("faq", "FAQ", 1), ("manual_page", "Pagine dei manuali", 1)]

    manuals_only = Page((await client.get("/search", params={"q": "stampante", "kind": "manual_page"})).text)
    assert "Manuale presenze" in manuals_only.text and "Stampante non stampa" not in manuals_only.text
    assert "Risultati per “stampante”: 1" in manuals_only.headings

    hardware = Page((await client.get("/search", params={"q": "stampante", "category": "Hardware"})).text)
    assert "Stampante non stampa" in hardware.text and "Manuale presenze" not in hardware.text


async def test_a_manuals_best_pages_show_under_its_title(client: httpx.AsyncClient, settings: Settings) -> None:
    await requester_logged_in(client)
    await index(settings, document("faq:1", "Timbrature mancanti", "Correggere le timbrature dal portale."), *(
        document(f"document:4:p{n}", f"Manuale presenze — p. {n}", "timbrature " * (9 - n), kind="manual_page", page=n,
                 url=f"/documents/4/file#page={n}",
                 extra={"manual": "Manuale presenze", "manual_url": "/documents/4"}) for n in range(1, 8)))
    response = await client.get("/search", params={"q": "timbrature"})
    page = Page(response.text)
    group = re.search(r'<li class="hit-group">\s*<h3 class="hit-group-title"><a href="/documents/4">Manuale presenze</a>'
                      r'</h3>(.*?)</ol>', response.text, re.S)
    assert group is not None and "Timbrature mancanti" in page.text
    pages = re.findall(r"Manuale <mark>presenze</mark> — p\. (\d)", group.group(1))
    assert len(pages) == 3 and len(re.findall(r"— p\. \d", response.text)) == 3  # the other pages: in the manual
    assert "Risultati per “timbrature”: 4" in page.headings


async def test_a_tab_facet_or_page_of_the_results_is_not_counted_as_another_search(client: httpx.AsyncClient,
                                                                                   settings: Settings) -> None:
    await requester_logged_in(client)
    await index(settings, *(document(f"faq:{n}", f"Protocollo informatico {n}", category="Protocollo")
                            for n in range(1, 13)))
    first = Page((await client.get("/search", params={"q": "Protocollo"})).text)
    [event] = await SearchEvent.all()
    facet = next(link for link in first.links if "category=Protocollo" in link)
    for link in (facet, next(link for link in first.links if "page=2" in link)):
        refined = Page((await client.get(link)).text)
        assert any(link.startswith(f"/insights/open/{event.id}?") for link in refined.links), link
    assert await SearchEvent.all().count() == 1
    await client.get("/search", params={"q": "protocollo"})  # typed again: a search of its own
    await client.get("/search", params={"q": "informatico", "category": "Protocollo", "refine": "1"})  # another search
    assert [e.query for e in await SearchEvent.all().order_by("id")] == ["protocollo", "protocollo", "informatico"]


async def test_no_results_offers_to_open_a_ticket_with_the_words_as_title(client: httpx.AsyncClient,
                                                                         settings: Settings) -> None:
    await requester_logged_in(client)
    await index(settings, document("faq:1", "Ferie e permessi"))
    page = Page((await client.get("/search", params={"q": "scanner rotto & lento"})).text)
    assert "Nessun risultato. Prova con parole diverse o meno parole, oppure togli un filtro." in page.text
    assert "/tickets/new?title=scanner+rotto+%26+lento" in page.links


async def test_results_are_paginated(client: httpx.AsyncClient, settings: Settings) -> None:
    await requester_logged_in(client)
    await index(settings, *(document(f"faq:{n}", f"Protocollo informatico {n}") for n in range(1, 24)))
    first = Page((await client.get("/search", params={"q": "protocollo"})).text)
    assert "Pagina 1 di 3" in first.text and "/search?q=protocollo&page=2&refine=1" in first.links
    third = Page((await client.get("/search", params={"q": "protocollo", "page": "3"})).text)
    assert "Pagina 3 di 3" in third.text and len([l for l in third.links if l.startswith("/faq/")]) == 3
    beyond = Page((await client.get("/search", params={"q": "protocollo", "page": "9"})).text)
    assert "Torna alla prima pagina dei risultati" in beyond.text


async def test_odd_parameters_fall_back_to_defaults(client: httpx.AsyncClient, settings: Settings) -> None:
    await requester_logged_in(client)
    await index(settings, document("faq:1", "Protocollo informatico"))
    response = await client.get("/search", params={"q": "protocollo", "kind": "<script>", "page": "-3"})
    assert response.status_code == 200 and "Risultati per “protocollo”: 1" in Page(response.text).headings
    assert "<script>" not in response.text
    empty = await client.get("/search")
    assert empty.status_code == 200 and "Scrivi qualche parola" in Page(empty.text).text


async def test_suggestions_are_options_linking_to_the_hits(client: httpx.AsyncClient, settings: Settings) -> None:
    await requester_logged_in(client)
    await index(settings, *(document(f"faq:{n}", f"Protocollo {n}") for n in range(1, 10)),
                document("faq:99", "Ferie"))
    response = await client.get("/search/suggest", params={"q": "protoc"})
    options = re.findall(r'<a class="suggestion" role="option" href="([^"]+)"', response.text)
    assert len(options) == 6 and all(url.startswith("/insights/open/") and "to=%2Ffaq%2F" in url for url in options)
    assert "<mark>Protoc</mark>" in response.text or "<mark>Protocollo</mark>" in response.text
    assert "/search?q=protoc" in Page(response.text).links
    assert "<h1" not in response.text  # a partial, not a page
    assert (await client.get("/search/suggest", params={"q": " "})).text.strip() == ""
