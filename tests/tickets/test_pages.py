"""The ticket pages through HTTP: forms, lists, detail, staff actions, access, print view, admin lists."""

import re
from datetime import timedelta

import httpx

from app.contracts import clock
from app.settings import Settings
from app.tickets.choices import Priority
from app.tickets.models import Category, Closure, Comment, Product, Ticket
from app.tickets.workflow import Event, Status
from tests.support import Page, log_in, log_out, make_company, make_user
from tests.tickets.helpers import fresh, move, open_ticket, people


async def test_new_ticket_form_keeps_values_on_error_then_opens_the_ticket(client: httpx.AsyncClient) -> None:
    _company, mario, _laura, _tech = await people()
    category = await Category.create(name="Paghe")
    await log_in(client, mario.email)
    form = await client.get("/tickets/new")
    assert "Nuovo ticket" in Page(form.text).headings
    missing = await client.post("/tickets/new", data={"title": "Cedolini", "description": "", "ticket_type": "anomalia",
                                                      "priority": "urgente", "severity": "bloccante"})
    page = Page(missing.text)
    assert missing.status_code == 400 and page.inputs["title"] == "Cedolini" and page.alerts
    assert await Ticket.all().count() == 0
    done = await client.post("/tickets/new", data={
        "title": "Cedolini", "description": "Non stampa", "ticket_type": "anomalia", "priority": "urgente",
        "severity": "bloccante", "category": str(category.id), "confirmed": "1"}, follow_redirects=True)
    ticket = await Ticket.get(title="Cedolini")
    detail = Page(done.text)
    assert f"{ticket.code} — Cedolini" in detail.headings and "Paghe" in detail.text
    assert "Preso in carico entro" in detail.text and ticket.requester_id == mario.id


async def test_requester_sees_own_and_shared_company_tickets_but_never_another_company(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    _company, mario, laura, _tech = await people()
    other = await make_user("carla@altra.example", await make_company("Altra Srl"), full_name="Carla")
    own = await open_ticket(settings, mario, title="Mio ticket")
    colleague = await open_ticket(settings, laura, title="Ticket di Laura")
    foreign = await open_ticket(settings, other, title="Ticket di Carla")
    await log_in(client, mario.email)
    mine = Page((await client.get("/tickets")).text).text
    assert "Mio ticket" in mine and "Ticket di Laura" not in mine
    company = Page((await client.get("/tickets?scope=company")).text).text
    assert "Mio ticket" in company and "Ticket di Laura" in company and "Ticket di Carla" not in company
    assert (await client.get(f"/tickets/{colleague.code}")).status_code == 200
    for path in (f"/tickets/{foreign.code}", f"/tickets/{foreign.id}", f"/tickets/{foreign.code}/print"):
        assert (await client.get(path)).status_code == 404
    refused = await client.post(f"/tickets/{foreign.code}/comments", data={"body": "ciao"})
    assert refused.status_code == 404 and await Comment.filter(ticket_id=foreign.id).count() == 0
    assert (await client.get(f"/tickets/{own.code}")).status_code == 200


async def test_a_colleague_who_may_not_see_company_tickets_gets_404(client: httpx.AsyncClient, settings: Settings) -> None:
    company, mario, _laura, _tech = await people()
    private = await make_user("piero@valdora.example", company, full_name="Piero", sees_company_tickets=False)
    ticket = await open_ticket(settings, mario)
    await log_in(client, private.email)
    assert (await client.get(f"/tickets/{ticket.code}")).status_code == 404
    assert "Stampa cedolini" not in Page((await client.get("/tickets?scope=company")).text).text


async def test_list_filters_sort_and_pagination_work_server_side(client: httpx.AsyncClient, settings: Settings) -> None:
    _company, mario, _laura, tech = await people()
    for n in range(12):
        await open_ticket(settings, mario, title=f"Problema {n:02d}", description="Testo comune")
    special = await open_ticket(settings, mario, title="Albo pretorio non pubblica", description="Albo")
    await move(settings, tech, special, Event.TAKE_IN_CHARGE)
    await log_in(client, mario.email)
    first = Page((await client.get("/tickets?sort=title&dir=asc&size=10")).text)
    assert "Albo pretorio non pubblica" in first.text and "Problema 08" in first.text and "Problema 09" not in first.text
    assert "Ticket 1–10 di 13" in first.text and "/tickets?view=open&scope=mine&sort=title&dir=asc&size=10&page=2" in first.links
    second = Page((await client.get("/tickets?sort=title&dir=asc&size=10&page=2")).text)
    assert "Problema 09" in second.text and "Problema 11" in second.text and "Problema 00" not in second.text
    by_status = Page((await client.get("/tickets?f_status=attesa_supporto")).text)
    assert "Albo pretorio" in by_status.text and "Problema 01" not in by_status.text
    by_title = Page((await client.get("/tickets?f_title=problema+03")).text)
    assert "Problema 03" in by_title.text and "Problema 04" not in by_title.text
    by_global = Page((await client.get(f"/tickets?q={special.code}")).text)
    assert "Albo pretorio" in by_global.text and "Problema 05" not in by_global.text
    beyond = Page((await client.get("/tickets?size=25&page=99")).text)
    assert "Pagina 1 di 1" in beyond.text
    closed = Page((await client.get("/tickets?view=closed")).text)
    assert "Nessun ticket corrisponde." in closed.text


def _order_of(page: Page, titles: list[str]) -> list[str]:
    return sorted(titles, key=page.text.index)


async def test_priority_and_status_columns_sort_in_their_own_order(client: httpx.AsyncClient, settings: Settings) -> None:
    _company, mario, _laura, tech = await people()
    await open_ticket(settings, mario, title="Quando si può", priority=Priority.NON_URGENTE)
    await open_ticket(settings, mario, title="Subito", priority=Priority.URGENTE)
    planned = await open_ticket(settings, mario, title="Nella media", priority=Priority.MEDIA)
    await move(settings, tech, planned, Event.TAKE_IN_CHARGE, Event.START_WORK, Event.PLAN)
    await move(settings, tech, await open_ticket(settings, mario, title="Da sviluppare"), Event.TAKE_IN_CHARGE,
               Event.NEEDS_DEVELOPMENT)
    titles = ["Subito", "Nella media", "Quando si può"]  # Da sviluppare is Media too
    await log_in(client, mario.email)
    assert _order_of(Page((await client.get("/tickets?sort=priority&dir=asc")).text), titles) == titles
    assert _order_of(Page((await client.get("/tickets?sort=priority&dir=desc")).text), titles) == titles[::-1]
    # Aperto, Pianificato, Attesa programmazione: the workflow's order, not the codes' alphabetical one.
    by_status = Page((await client.get("/tickets?sort=status&dir=asc")).text)
    assert _order_of(by_status, ["Da sviluppare", "Nella media", "Subito"]) == ["Subito", "Nella media", "Da sviluppare"]


async def test_the_technician_plans_an_intervention_on_a_date_shown_on_the_ticket(client: httpx.AsyncClient,
                                                                                 settings: Settings) -> None:
    _company, mario, _laura, tech = await people()
    ticket = await move(settings, tech, await open_ticket(settings, mario), Event.TAKE_IN_CHARGE, Event.START_WORK)
    await log_in(client, tech.email)
    page = (await client.get(f"/tickets/{ticket.code}")).text
    assert re.search(r'<input id="plan-date" name="planned_for" type="date" min="\d{4}-\d{2}-\d{2}" value="" required>', page)
    missing = await client.post(f"/tickets/{ticket.code}/transition", data={"event": "plan", "version": "3"})
    assert missing.status_code == 400
    assert "Scegli la data concordata con il richiedente." in Page(missing.text).alerts
    assert (await fresh(ticket)).status is Status.IN_CORSO
    planned = await client.post(f"/tickets/{ticket.code}/transition", follow_redirects=True,
                                data={"event": "plan", "version": "3", "planned_for": "2099-12-09"})
    assert "Stato: Pianificato." in Page(planned.text).alerts
    await log_in(client, mario.email)
    assert "Pianificato · intervento il mercoledì 9 dicembre 2099" in Page((await client.get(f"/tickets/{ticket.code}")).text).text


async def test_technician_queue_actions_and_audit(client: httpx.AsyncClient, settings: Settings) -> None:
    _company, mario, _laura, tech = await people()
    ticket = await open_ticket(settings, mario, title="Firma digitale scaduta")
    await log_in(client, tech.email)
    queue = Page((await client.get("/tickets/queues?queue=unassigned")).text)
    assert "Firma digitale scaduta" in queue.text
    taken = await client.post(f"/tickets/{ticket.code}/transition", data={"event": "take_in_charge", "version": "1"},
                              follow_redirects=True)
    assert "Preso in carico da Marco Ferri" in Page(taken.text).text
    mine = Page((await client.get("/tickets/queues?queue=waiting")).text)
    assert "Firma digitale scaduta" in mine.text
    logged = await client.post(f"/tickets/{ticket.code}/worklog", data={"day": "2026-11-20", "hours": "1.5",
                                                                         "note": "Verifica"}, follow_redirects=True)
    assert "Lavoro registrato." in Page(logged.text).alerts
    saved = await client.post(f"/tickets/{ticket.code}/details", data={
        "version": "2", "title": "Firma digitale scaduta", "ticket_type": "anomalia", "priority": "urgente",
        "severity": "bloccante", "planned_hours": "3"}, follow_redirects=True)
    page = Page(saved.text)
    assert "Ticket salvato." in page.alerts and "Ore effettive" in page.text and "1.50" in page.text
    assert "Priorità: Media → Urgente" in page.text
    stored = await fresh(ticket)
    assert (stored.priority.value, str(stored.planned_hours), stored.version) == ("urgente", "3.00", 3)


async def test_second_save_with_a_stale_version_is_refused_with_a_message(client: httpx.AsyncClient, settings: Settings) -> None:
    _company, mario, _laura, tech = await people()
    ticket = await open_ticket(settings, mario)
    await log_in(client, tech.email)
    values = {"version": "1", "title": ticket.title, "ticket_type": "anomalia", "severity": "non_bloccante"}
    assert (await client.post(f"/tickets/{ticket.code}/details", data={**values, "priority": "urgente"})).status_code == 303
    late = await client.post(f"/tickets/{ticket.code}/details", data={**values, "priority": "non_urgente"})
    page = Page(late.text)
    assert late.status_code == 409 and any("Nessuna modifica è stata salvata" in a for a in page.alerts)
    assert (await fresh(ticket)).priority.value == "urgente"


async def test_a_forbidden_transition_posted_by_hand_changes_nothing(client: httpx.AsyncClient, settings: Settings) -> None:
    _company, mario, _laura, _tech = await people()
    ticket = await open_ticket(settings, mario)
    await log_in(client, mario.email)
    for event in ("take_in_charge", "resolve", "auto_close", "discard", "nonsense"):
        refused = await client.post(f"/tickets/{ticket.code}/transition", data={"event": event, "version": "1"})
        assert refused.status_code == 400, event
    stored = await fresh(ticket)
    assert stored.status is Status.APERTO and stored.version == 1


async def test_requester_closes_with_ok_risolto_and_sees_the_status_history(client: httpx.AsyncClient, settings: Settings) -> None:
    _company, mario, _laura, tech = await people()
    ticket = await move(settings, tech, await open_ticket(settings, mario), Event.TAKE_IN_CHARGE, Event.RESOLVE,
                        resolution="Reinstallato il modulo di stampa.")
    await log_in(client, mario.email)
    page = Page((await client.get(f"/tickets/{ticket.code}")).text)
    assert "Informazioni soluzione" in page.headings and "Reinstallato il modulo di stampa." in page.text
    assert "Ok, risolto" in page.text and "Chiudi questo ticket" in page.text
    done = await client.post(f"/tickets/{ticket.code}/transition",
                             data={"event": "confirm_resolved", "version": str(ticket.version)}, follow_redirects=True)
    history = Page(done.text)
    assert "Storico degli stati" in history.headings and "Risolto → Chiuso" in history.text
    assert (await fresh(ticket)).status is Status.CHIUSO
    closed_list = Page((await client.get("/tickets?view=closed")).text)
    assert ticket.title in closed_list.text


async def test_internal_notes_never_reach_requesters_pages(client: httpx.AsyncClient, settings: Settings) -> None:
    _company, mario, _laura, tech = await people()
    ticket = await open_ticket(settings, mario)
    await log_in(client, tech.email)
    await client.post(f"/tickets/{ticket.code}/comments", data={"body": "Contratto scaduto, sentire l'ufficio", "internal": "on"})
    await client.post(f"/tickets/{ticket.code}/comments", data={"body": "Stiamo verificando."})
    staff_page = Page((await client.get(f"/tickets/{ticket.code}")).text)
    assert "Contratto scaduto" in staff_page.text and "Commenti (2)" in staff_page.headings
    await log_out(client)
    await log_in(client, mario.email)
    for path in (f"/tickets/{ticket.code}", f"/tickets/{ticket.code}/print"):
        page = Page((await client.get(path)).text)
        assert "Stiamo verificando." in page.text and "Contratto scaduto" not in page.text
    assert "Commenti (1)" in Page((await client.get(f"/tickets/{ticket.code}")).text).headings


async def test_staff_opens_a_phone_ticket_for_a_requester_and_marks_a_duplicate(client: httpx.AsyncClient, settings: Settings) -> None:
    _company, mario, _laura, tech = await people()
    original = await open_ticket(settings, mario, title="PEC non arriva")
    await log_in(client, tech.email)
    opened = await client.post("/tickets/new", data={
        "requester": str(mario.id), "channel": "phone", "title": "PEC non arriva (telefonata)",
        "description": "Chiamata del sig. Rossi", "ticket_type": "anomalia", "priority": "media",
        "severity": "non_bloccante"}, follow_redirects=True)
    phone = await Ticket.get(title="PEC non arriva (telefonata)")
    assert (phone.requester_id, phone.opened_by_id, phone.channel.value) == (mario.id, tech.id, "phone")
    assert "Telefono" in Page(opened.text).text
    marked = await client.post(f"/tickets/{phone.code}/duplicate", data={"original": original.code, "version": "1"},
                               follow_redirects=True)
    assert f"Duplicato di {original.code}." in Page(marked.text).alerts
    original_page = Page((await client.get(f"/tickets/{original.code}")).text)
    assert f"/tickets/{phone.code}" in original_page.links
    bad = await client.post(f"/tickets/{original.code}/duplicate", data={"original": "TT99999", "version": "1"})
    assert bad.status_code == 400 and (await fresh(original)).status is Status.APERTO


async def test_print_view_shows_the_intervention_form(client: httpx.AsyncClient, settings: Settings) -> None:
    _company, mario, _laura, tech = await people()
    ticket = await open_ticket(settings, mario)
    await log_in(client, tech.email)
    page = Page((await client.get(f"/tickets/{ticket.code}/print")).text)
    assert f"Scheda intervento — {ticket.code}" in page.headings and "Firma del cliente" in page.text


async def test_admin_manages_categories_products_and_closures(client: httpx.AsyncClient) -> None:
    await make_user("boss@sportello.example", is_admin=True)
    requester = await make_user("mario@valdora.example", await make_company())
    await log_in(client, requester.email)
    assert (await client.get("/admin/ticket-lists")).status_code == 404
    await log_out(client)
    await log_in(client, "boss@sportello.example")
    await client.post("/admin/ticket-lists", data={"action": "add", "kind": "category", "name": "Protocollo"})
    await client.post("/admin/ticket-lists", data={"action": "add", "kind": "product", "name": "Albo Web"})
    duplicate = await client.post("/admin/ticket-lists", data={"action": "add", "kind": "category", "name": "protocollo"})
    assert duplicate.status_code == 400 and await Category.all().count() == 1
    bad_day = await client.post("/admin/ticket-lists", data={"action": "add_closure", "day": "24/12/2026"})
    assert bad_day.status_code == 400 and Page(bad_day.text).inputs["day"] == "24/12/2026"
    await client.post("/admin/ticket-lists", data={"action": "add_closure", "day": "2026-12-24", "reason": "Vigilia"})
    product = await Product.get(name="Albo Web")
    await client.post("/admin/ticket-lists", data={"action": "toggle", "kind": "product", "id": str(product.id)})
    assert not (await Product.get(id=product.id)).active and await Closure.filter(reason="Vigilia").exists()
    page = Page((await client.get("/admin/ticket-lists")).text)
    assert "Protocollo" in page.text and "Vigilia" in page.text


async def test_each_queue_badge_counts_the_rows_its_queue_lists(client: httpx.AsyncClient, settings: Settings) -> None:
    _company, mario, _laura, tech = await people()
    await open_ticket(settings, mario, title="Appena arrivato")
    late = await open_ticket(settings, mario, title="In ritardo")
    await Ticket.filter(id=late.id).update(sla_deadline=late.created_at - timedelta(hours=1))
    await clock.store_late_instants([late.id])  # as the service does with what it changes
    taken = await open_ticket(settings, mario, title="Preso da me")
    await move(settings, tech, taken, Event.TAKE_IN_CHARGE)
    await log_in(client, tech.email)
    for name, titles in {"unassigned": {"Appena arrivato", "In ritardo"}, "mine": {"Preso da me"},
                         "waiting": {"Preso da me"}, "sla": {"In ritardo"}}.items():
        html = (await client.get(f"/tickets/queues?queue={name}")).text
        badge = re.search(rf'queue={name}"[^>]*>[^<]*<span class="badge">(\d+)</span>', html)
        rows = {title for title in ("Appena arrivato", "In ritardo", "Preso da me") if f">{title}</a>" in html}
        assert rows == titles and badge is not None and int(badge.group(1)) == len(titles), name


async def test_a_long_queue_is_paged_and_its_badge_counts_every_ticket(client: httpx.AsyncClient, settings: Settings) -> None:
    _company, mario, _laura, tech = await people()
    for n in range(27):
        await open_ticket(settings, mario, title=f"Richiesta numero {n:02d}")
    await log_in(client, tech.email)
    first = (await client.get("/tickets/queues?queue=unassigned")).text
    second = (await client.get("/tickets/queues?queue=unassigned&page=2")).text
    beyond = (await client.get("/tickets/queues?queue=unassigned&page=9")).text
    shown = [set(re.findall(r">Richiesta numero (\d\d)</a>", html)) for html in (first, second)]
    assert (len(shown[0]), len(shown[1])) == (25, 2) and not shown[0] & shown[1]
    assert '<span class="badge">27</span>' in first and "Pagina 1 di 2" in Page(first).text
    assert set(re.findall(r">Richiesta numero (\d\d)</a>", beyond)) == shown[1]  # past the end: the last page
