"""Promote a solved ticket to an FAQ draft: scrubbed, in the editors' queue, linked both ways, once."""

import httpx

from app.accounts.models import User
from app.kb import service as kb
from app.kb.models import Article, ArticleVersion
from app.settings import Settings
from app.tickets.models import Ticket
from app.tickets.workflow import Event
from app.web import templates
from tests.flows_staff.support import comment, requester, solved_ticket, technician
from tests.kb.support import make_categories
from tests.support import Page, log_in, make_user
from tests.tickets.helpers import move, open_ticket

PERSONAL = ("Mario", "Rossi", "Laura", "Bianchi", "Marco", "Ferri", "Valdora", "mario.rossi@", "valdora.example",
            "333", "4567", "RSSMRA80A01H501U", "0574", "01234567890")


async def solved_with_personal_data(settings: Settings) -> Ticket:
    await make_categories()
    tech = await technician()
    company, mario = await requester("Comune di Valdora", "mario.rossi@valdora.example", "Mario Rossi",
                                     phone="0574 55 12 34")
    company.vat_number = "01234567890"
    await company.save()
    laura = await make_user("laura.bianchi@valdora.example", company, full_name="Laura Bianchi")
    ticket = await open_ticket(
        settings, mario, title="Mario Rossi non stampa i cedolini del Comune di Valdora",
        description=("Buongiorno, sono Mario Rossi (CF RSSMRA80A01H501U) del Comune di Valdora. "
                     "Il pulsante Stampa dei cedolini non risponde. Scrivetemi a mario.rossi@valdora.example "
                     "o chiamate il +39 333 123 4567 oppure lo 0574 55 12 34. P.IVA 01234567890."))
    await comment(ticket, laura, "Confermo, anche Laura vede lo stesso problema.")
    await comment(ticket, tech, "Nota per Bianchi: verificare il driver.", internal=True)
    return await solved_ticket_from(settings, ticket, tech)


async def solved_ticket_from(settings: Settings, ticket: Ticket, tech: User) -> Ticket:
    return await move(settings, tech, ticket, Event.TAKE_IN_CHARGE, Event.RESOLVE,
                      resolution=("Marco Ferri ha aggiornato il driver di stampa; Laura Bianchi e Rossi hanno "
                                  "confermato al 333-1234567 che i cedolini si stampano."))


def assert_no_personal_data(text: str) -> None:
    leaked = [word for word in PERSONAL if word.casefold() in text.casefold()]
    assert leaked == [], text


async def test_a_technician_promotes_a_solved_ticket_to_a_draft_without_personal_data(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    ticket = await solved_with_personal_data(settings)
    await log_in(client, "tecnico@sportello.example")

    detail = Page((await client.get(f"/tickets/{ticket.code}")).text)
    assert f"/tickets/{ticket.code}/promote" in detail.links and "Trasforma in FAQ" in detail.text

    form = await client.get(f"/tickets/{ticket.code}/promote")
    page = Page(form.text)
    assert "Trasforma in FAQ" in page.headings
    assert page.inputs["title"] == "[nome] non stampa i cedolini del [azienda]"
    assert "Il pulsante Stampa dei cedolini non risponde. Scrivetemi a [email]" in page.text
    assert "[telefono]" in page.text and "[codice fiscale]" in page.text
    assert_no_personal_data(form.text.split('<main id="main"', 1)[1].split("</form>")[0].replace(
        f"{ticket.code} — {ticket.title}", ""))
    assert 'value="customers" selected' in form.text and 'value="it" selected' in form.text

    response = await client.post(f"/tickets/{ticket.code}/promote", data={
        "title": page.inputs["title"], "category": "assistenza", "audience": "customers", "language": "it",
        "question": "Sono Mario Rossi: il pulsante Stampa dei cedolini non risponde.",
        "resolution": "Marco Ferri ha aggiornato il driver; chiamare Laura allo 0574 55 12 34.",
    })
    assert response.status_code == 303 and response.headers["location"] == f"/tickets/{ticket.code}#faq"

    article = await Article.get(source_ticket_id=ticket.id).select_related("category")
    version = await ArticleVersion.get(article_id=article.id, number=article.current_number)
    assert not article.is_published and article.audience.value == "customers" and article.language == "it"
    assert article.category is not None and article.category.key == "assistenza"
    assert version.title == "[nome] non stampa i cedolini del [azienda]"
    assert version.body == ("Sono [nome]: il pulsante Stampa dei cedolini non risponde.\n\n## Soluzione\n\n"
                            "[nome] ha aggiornato il driver; chiamare [nome] allo [telefono].\n")
    assert_no_personal_data(f"{version.title} {version.body} {article.slug} {version.note}")
    assert article in (await kb.editor_queue())["drafts"]

    back = Page((await client.get(f"/tickets/{ticket.code}")).text)
    assert "FAQ: [nome] non stampa i cedolini del [azienda]" in back.text and "Bozza: non pubblicata" in back.text
    assert f"/kb/editor/{article.id}" not in back.links  # a technician cannot open drafts
    assert f"/tickets/{ticket.code}/promote" not in back.links


async def test_promoting_twice_opens_the_existing_draft_and_the_editor_sees_both_links(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    ticket = await solved_with_personal_data(settings)
    editor = await make_user("redattrice@sportello.example", is_editor=True, full_name="Elena Redi")
    await log_in(client, "redattrice@sportello.example")

    first = await client.post(f"/tickets/{ticket.code}/promote", data={
        "title": "Cedolini che non si stampano", "category": "assistenza", "audience": "customers",
        "language": "it", "question": "Il pulsante Stampa non risponde.", "resolution": "Aggiornare il driver."})
    article = await Article.get(source_ticket_id=ticket.id)
    assert first.headers["location"] == f"/kb/editor/{article.id}"
    assert "Bozza della FAQ creata: attende nella coda dei redattori." in Page(
        (await client.get(first.headers["location"])).text).alerts

    again = await client.get(f"/tickets/{ticket.code}/promote")
    assert again.status_code == 303 and again.headers["location"] == f"/kb/editor/{article.id}"
    assert "Questo ticket ha già una FAQ: eccola." in Page((await client.get(again.headers["location"])).text).alerts
    posted_again = await client.post(f"/tickets/{ticket.code}/promote", data={
        "title": "Altro titolo", "category": "assistenza", "audience": "public", "language": "it",
        "question": "Altro.", "resolution": "Altro."})
    assert posted_again.headers["location"] == f"/kb/editor/{article.id}"
    assert await Article.filter(source_ticket_id=ticket.id).count() == 1 and await Article.all().count() == 1

    detail = Page((await client.get(f"/tickets/{ticket.code}")).text)
    assert f"/kb/editor/{article.id}" in detail.links and "Cedolini che non si stampano" in detail.text

    origin = Page(templates.env.get_template("tickets/promote_origin.html").render(article=article, user=editor))
    assert origin.links == [f"/tickets/{ticket.id}"] and origin.text == f"dal ticket TT{ticket.id}"
    assert templates.env.get_template("tickets/promote_origin.html").render(article=article, user=None).strip() == ""

    await kb.publish(article)
    published = Page((await client.get(f"/tickets/{ticket.code}")).text)
    assert f"/kb/editor/{article.id}" in published.links and "Bozza: non pubblicata" not in published.text


async def test_a_requester_cannot_promote_and_unsolved_tickets_cannot_be_promoted(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    ticket = await solved_with_personal_data(settings)
    await log_in(client, "mario.rossi@valdora.example")
    assert "/promote" not in " ".join(Page((await client.get(f"/tickets/{ticket.code}")).text).links)
    assert (await client.get(f"/tickets/{ticket.code}/promote")).status_code == 404
    refused = await client.post(f"/tickets/{ticket.code}/promote", data={
        "title": "X", "category": "assistenza", "audience": "public", "language": "it", "resolution": "Y"})
    assert refused.status_code == 404 and await Article.all().count() == 0

    mario = await Ticket.get(id=ticket.id).select_related("requester")
    open_one = await open_ticket(settings, mario.requester, title="Ancora aperto", description="In lavorazione.")
    await client.post("/logout")
    await log_in(client, "tecnico@sportello.example")
    assert f"/tickets/{open_one.code}/promote" not in Page((await client.get(f"/tickets/{open_one.code}")).text).links
    response = await client.post(f"/tickets/{open_one.code}/promote", data={
        "title": "X", "category": "assistenza", "audience": "public", "language": "it", "resolution": "Y"})
    assert response.status_code == 303 and response.headers["location"] == f"/tickets/{open_one.code}"
    assert "Solo un ticket risolto o chiuso può diventare una FAQ." in Page(
        (await client.get(f"/tickets/{open_one.code}")).text).alerts
    assert await Article.all().count() == 0


async def test_a_form_without_category_or_solution_keeps_the_values_and_writes_nothing(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    ticket = await solved_with_personal_data(settings)
    await log_in(client, "tecnico@sportello.example")
    values = {"title": "Cedolini bloccati", "category": "", "audience": "staff", "language": "it",
              "question": "Il pulsante non risponde.", "resolution": "Aggiornare il driver."}
    response = await client.post(f"/tickets/{ticket.code}/promote", data=values)
    page = Page(response.text)
    assert response.status_code == 400 and "Scegli una categoria." in page.alerts
    assert page.inputs["title"] == "Cedolini bloccati" and "Aggiornare il driver." in page.text
    assert 'value="staff" selected' in response.text
    no_solution = await client.post(f"/tickets/{ticket.code}/promote", data={**values, "category": "assistenza",
                                                                            "resolution": "  "})
    assert no_solution.status_code == 400
    assert "Scrivi la soluzione: è la risposta della FAQ." in Page(no_solution.text).alerts
    assert await Article.all().count() == 0


async def test_an_english_requesters_ticket_becomes_an_english_draft(client: httpx.AsyncClient,
                                                                    settings: Settings) -> None:
    await make_categories()
    tech = await technician()
    _company, john = await requester("Acme Widgets", "john.smith@acme.example", "John Smith", locale="en")
    ticket = await solved_ticket(settings, john, tech, "John cannot print payslips",
                                 "Call me on +44 20 7946 0958.", "Smith updated the printer driver.", close=True)
    await log_in(client, "tecnico@sportello.example")
    page = Page((await client.get(f"/tickets/{ticket.code}/promote")).text)
    assert page.inputs["title"] == "[name] cannot print payslips"
    await client.post(f"/tickets/{ticket.code}/promote", data={
        "title": page.inputs["title"], "category": "assistenza", "audience": "customers", "language": "en",
        "question": "Call me on +44 20 7946 0958.", "resolution": "Smith updated the printer driver."})
    article = await Article.get(source_ticket_id=ticket.id)
    version = await ArticleVersion.get(article_id=article.id, number=article.current_number)
    assert article.language == "en"
    assert version.body == "Call me on [phone].\n\n## Solution\n\n[name] updated the printer driver.\n"
