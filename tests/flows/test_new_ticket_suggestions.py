"""The answer before the ticket: the new-ticket panel, previews behind access checks, "this solved my
problem", and the two-step flow for browsers without JavaScript — through the real importer, outbox,
indexer and embedded engine."""

import re
from pathlib import Path

import httpx

from app.accounts.models import Company, User
from app.insights.models import Purpose, SearchEvent
from app.kb.models import Article, Audience, Document, DocumentPage
from app.settings import Settings
from app.tickets.models import Ticket
from tests.flows.support import drain, import_demo_faq, solved_ticket
from tests.kb.support import make_article
from tests.support import Page, log_in, make_company, make_user
from tests.tickets.helpers import open_ticket

PASSWORD_FAQ = "Come reimpostare la password del portale"


async def valdora_and_altra(settings: Settings) -> tuple[User, User, Ticket, Ticket]:
    """Mario of Valdora and Carla of Altra Srl, each with a solved ticket carrying a word nobody else uses."""
    mario = await make_user("mario@valdora.example", await make_company("Comune di Valdora"), full_name="Mario")
    carla = await make_user("carla@altra.example", await make_company("Altra Srl"), full_name="Carla")
    tech = await make_user("tecnico@sportello.example", is_technician=True, full_name="Marco Ferri")
    mine = await solved_ticket(settings, mario, tech, "Stampante zanzibarite inceppata",
                               "La stampante zanzibarite non prende i fogli.", "Sostituito il rullo di trascinamento.")
    theirs = await solved_ticket(settings, carla, tech, "Scanner quokkalino spento",
                                 "Lo scanner quokkalino non si accende.", "Cambiato l'alimentatore dello scanner.")
    return mario, carla, mine, theirs


async def mario_with_demo_faq(client: httpx.AsyncClient, settings: Settings, tmp_path: Path) -> User:
    """A requester of Comune di Valdora, logged in, with the demo FAQ indexed."""
    mario = await make_user("mario@valdora.example", await make_company("Comune di Valdora"), full_name="Mario")
    await import_demo_faq(settings, tmp_path / "kb")
    await drain(settings)
    await log_in(client, mario.email)
    return mario


async def panel(client: httpx.AsyncClient, title: str, description: str = "") -> Page:
    response = await client.post("/tickets/new/suggestions", data={"title": title, "description": description},
                                 headers={"HX-Request": "true"})
    assert response.status_code == 200 and "<h1" not in response.text  # a partial, not a page
    return Page(response.text)


def preview_links(page: Page) -> list[str]:
    return [link for link in page.links if link.startswith("/insights/open/")]


async def test_panel_suggests_a_demo_faq_and_never_another_companys_ticket(
    client: httpx.AsyncClient, settings: Settings, tmp_path: Path
) -> None:
    mario, _carla, mine, theirs = await valdora_and_altra(settings)
    await import_demo_faq(settings, tmp_path / "kb")
    await drain(settings)
    await log_in(client, mario.email)

    await panel(client, "Ho dimenticato la pass")
    found = await panel(client, "Ho dimenticato la password", "non riesco più a entrare nel portale")
    assert PASSWORD_FAQ in found.text and "FAQ" in found.text
    assert "Questo ha risolto il mio problema" in found.text and "Non è quello che cerco" in found.text
    faq = await Article.get(slug="reimpostare-password")
    assert any(f"hit=faq%3A{faq.id}" in link and "to=%2Fkb%2Freimpostare-password" in link
               for link in preview_links(found))
    assert found.inputs["confirmed"] == "1", "the one-step submit row comes along for htmx pages"
    [event] = await SearchEvent.filter(purpose=Purpose.NEW_TICKET)
    assert event.query.startswith("ho dimenticato la password") and event.result_count >= 1, "typing is one event"

    own = await panel(client, "zanzibarite")
    assert f"{mine.code} Stampante" in own.text and "<mark>" in (await client.post(
        "/tickets/new/suggestions", data={"title": "zanzibarite"})).text
    other = await panel(client, "quokkalino scanner spento")
    assert "quokkalino" not in other.text.replace("quokkalino scanner", "") and theirs.code not in other.text
    assert "Scanner quokkalino" not in other.text and "Cambiato l'alimentatore" not in other.text

    empty = await panel(client, "   ")
    assert "Descrivi il problema" in empty.text and await SearchEvent.filter(query="").count() == 0


async def test_previews_open_in_place_and_404_what_the_requester_may_not_see(
    client: httpx.AsyncClient, settings: Settings, tmp_path: Path
) -> None:
    mario, carla, mine, theirs = await valdora_and_altra(settings)
    await import_demo_faq(settings, tmp_path / "kb")
    staff_only = await make_article("procedura-interna", "Procedura interna", audience="staff")
    draft = await make_article("bozza-segreta", "Bozza segreta", published=False)
    manual = await Document.create(title="Manuale presenze", stored_name="m.pdf", original_name="m.pdf",
                                   content_type="application/pdf", size=10, audience=Audience.CUSTOMERS)
    await DocumentPage.create(document=manual, number=3, text="Per timbrare " + "parola " * 400 + "fine pagina")
    altra = await Company.get(name="Altra Srl")
    private = await Document.create(title="Contratto Altra", stored_name="c.pdf", original_name="c.pdf",
                                    content_type="application/pdf", size=10, audience=Audience.COMPANY,
                                    company=altra)
    await DocumentPage.create(document=private, number=1, text="Canone annuo riservato")
    open_one = await open_ticket(settings, mario, title="Ancora aperto")
    faq = await Article.get(slug="reimpostare-password")
    await log_in(client, mario.email)

    async def preview(hit: str) -> httpx.Response:
        return await client.get("/tickets/new/suggestions/preview", params={"hit": hit})

    shown = Page((await preview(f"faq:{faq.id}")).text)
    assert "Password dimenticata?" in shown.text and "/kb/reimpostare-password" in shown.links
    page = Page((await preview(f"document:{manual.id}:p3")).text)
    assert "Per timbrare" in page.text and "fine pagina" not in page.text, "an excerpt, not the whole page"
    assert f"/documents/{manual.id}/file#page=3" in page.links and "Apri il manuale a pagina 3 (PDF)" in page.text
    solved = Page((await preview(f"ticket:{mine.id}")).text)
    assert "Come è stato risolto" in solved.text and "Sostituito il rullo di trascinamento." in solved.text
    assert f"/tickets/{mine.code}" in solved.links

    for forbidden in (f"ticket:{theirs.id}", f"ticket:{open_one.id}", f"faq:{staff_only.id}", f"faq:{draft.id}",
                      f"document:{private.id}:p1", f"document:{manual.id}:p9", "faq:999999", "faq:1 OR 1=1",
                      "ticket:", "kb:1", ""):
        response = await preview(forbidden)
        assert response.status_code == 404, forbidden
        assert "Cambiato l'alimentatore" not in response.text and "Canone annuo" not in response.text

    await log_in(client, carla.email)
    assert (await preview(f"ticket:{theirs.id}")).status_code == 200
    assert (await preview(f"ticket:{mine.id}")).status_code == 404


async def test_opening_a_preview_records_the_click_on_the_lookup(
    client: httpx.AsyncClient, settings: Settings, tmp_path: Path
) -> None:
    await mario_with_demo_faq(client, settings, tmp_path)
    found = (await client.post("/tickets/new/suggestions", data={"title": "password dimenticata"})).text
    preview_url = re.search(r'hx-get="(/tickets/new/suggestions/preview\?[^"]+)"', found)
    assert preview_url is not None
    opened = await client.get(preview_url.group(1).replace("&amp;", "&"))
    assert "Password dimenticata?" in Page(opened.text).text
    faq = await Article.get(slug="reimpostare-password")
    event = await SearchEvent.get(purpose=Purpose.NEW_TICKET)
    assert (event.opened_hit_id, event.opened_rank) == (f"faq:{faq.id}", 1)


async def test_this_solved_my_problem_records_a_deflection_and_opens_no_ticket(
    client: httpx.AsyncClient, settings: Settings, tmp_path: Path
) -> None:
    await mario_with_demo_faq(client, settings, tmp_path)
    await panel(client, "Ho dimenticato la password")
    faq = await Article.get(slug="reimpostare-password")

    shown = await SearchEvent.get(purpose=Purpose.NEW_TICKET)
    done = await client.post("/tickets/new/suggestions/solved", data={"hit": f"faq:{faq.id}", "event": str(shown.id)},
                             headers={"HX-Request": "true"})
    page = Page(done.text)
    assert "Siamo contenti che sia stato utile" in page.headings and "/" in page.links
    assert "Non è stato aperto nessun ticket" in page.text
    event = await SearchEvent.get(purpose=Purpose.NEW_TICKET)
    assert event.deflected and not event.ticket_followed and event.opened_hit_id == f"faq:{faq.id}"
    assert await Ticket.all().count() == 0
    assert "password" not in done.text.casefold(), "what was typed is not echoed or kept"

    again = await client.post("/tickets/new/suggestions/solved", data={"hit": f"faq:{faq.id}", "event": str(shown.id)})
    assert again.status_code == 200 and await SearchEvent.filter(deflected=True).count() == 1, "one lookup, one"

    await panel(client, "cedolino da scaricare")
    second = await SearchEvent.filter(purpose=Purpose.NEW_TICKET).order_by("-id").first()
    assert second is not None and second.id != shown.id
    without_js = await client.post("/tickets/new/suggestions/solved", data={"hit": "nonsense", "event": str(second.id)})
    assert without_js.status_code == 200 and "Siamo contenti che sia stato utile" in Page(without_js.text).headings
    assert await SearchEvent.filter(deflected=True).count() == 2 and await Ticket.all().count() == 0


async def test_without_javascript_the_first_submit_shows_answers_then_one_ticket_is_opened(
    client: httpx.AsyncClient, settings: Settings, tmp_path: Path
) -> None:
    mario = await mario_with_demo_faq(client, settings, tmp_path)
    start = Page((await client.get("/tickets/new")).text)
    assert "Cerca soluzioni" in start.text and "confirmed" not in start.inputs

    values = {"title": "Password dimenticata", "description": "Non riesco ad accedere al portale da ieri.",
              "ticket_type": "chiarimento", "priority": "urgente", "severity": "non_bloccante"}
    review = await client.post("/tickets/new", data=values, files=[("files", ("nota.txt", b"ciao", "text/plain"))])
    page = Page(review.text)
    assert review.status_code == 200 and await Ticket.all().count() == 0
    assert PASSWORD_FAQ in page.text and "Apri comunque il ticket" in page.text
    assert "Gli allegati non vengono conservati in questo passaggio" in page.text
    assert page.inputs["title"] == "Password dimenticata" and "Non riesco ad accedere al portale da ieri." in page.text
    assert 'name="confirmed" value="1"' in review.text and 'form="new-ticket-form"' in review.text
    assert re.search(r'<option value="urgente"\s+selected', review.text)

    missing = await client.post("/tickets/new", data={**values, "description": ""})
    assert missing.status_code == 400 and Page(missing.text).alerts and Page(missing.text).inputs["title"]

    opened = await client.post("/tickets/new", data={**values, "confirmed": "1"})
    assert opened.status_code == 303
    [ticket] = await Ticket.all()
    assert (ticket.title, ticket.description, ticket.requester_id) == (
        "Password dimenticata", "Non riesco ad accedere al portale da ieri.", mario.id)
    assert opened.headers["location"] == f"/tickets/{ticket.code}"
    event = await SearchEvent.get(purpose=Purpose.NEW_TICKET)
    assert event.ticket_followed and not event.deflected


async def test_a_title_from_the_search_page_prefills_the_form_and_staff_open_in_one_step(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    mario = await make_user("mario@valdora.example", await make_company("Comune di Valdora"), full_name="Mario")
    await make_user("tecnico@sportello.example", is_technician=True, full_name="Marco Ferri")
    await log_in(client, mario.email)
    prefilled = Page((await client.get("/tickets/new", params={"title": "scanner rotto & lento"})).text)
    assert prefilled.inputs["title"] == "scanner rotto & lento"

    await log_in(client, "tecnico@sportello.example")
    staff_form = Page((await client.get("/tickets/new")).text)
    assert "Cerca soluzioni" not in staff_form.text and "Risposte che possono aiutarti" not in staff_form.text
    opened = await client.post("/tickets/new", data={
        "requester": str(mario.id), "channel": "phone", "title": "Telefonata", "description": "Chiamata",
        "ticket_type": "anomalia", "priority": "media", "severity": "non_bloccante"})
    assert opened.status_code == 303 and await Ticket.filter(title="Telefonata", requester_id=mario.id).exists()


async def test_the_panel_needs_a_login(client: httpx.AsyncClient) -> None:
    response = await client.post("/tickets/new/suggestions", data={"title": "password"})
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert await SearchEvent.all().count() == 0
