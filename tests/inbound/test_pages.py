"""The admin page of received mail, filled by the real inbound rules."""

import httpx
from starlette.applications import Starlette

from app.inbound.models import InboundMessage
from app.inbound.service import process
from tests.inbound.mails import EXECUTABLE, mail
from tests.support import Page, log_in, make_company, make_user


async def test_admins_see_received_mail_newest_first_with_its_outcome_paged(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    settings = app.state.settings
    await make_user("boss@example.it", is_admin=True)
    mario = await make_user("mario@valdora.example", await make_company("Comune di Valdora"))
    for number in range(55):
        await process(settings, mail("noreply@fornitore.example", f"Fuori ufficio {number}", auto_submitted="auto-replied"))
    await process(settings, mail("mario@valdora.example", "Stampa bloccata", files=(("setup.exe", EXECUTABLE),)))
    await log_in(client, "boss@example.it")

    first = await client.get("/admin/inbound")
    page = Page(first.text)
    assert "Posta in arrivo" in page.headings
    assert "Messaggi: 56" in page.text and "Pagina 1 di 2" in page.text
    ticket = (await InboundMessage.get(sender=mario.email)).ticket_id
    newest = page.text.index("Stampa bloccata")
    assert newest < page.text.index("Fuori ufficio 54") and "Fuori ufficio 5 " not in page.text
    assert f'href="/tickets/TT{ticket}"' in first.text
    assert "Allegato non conservato: setup.exe (Questo tipo di file non è accettato.)" in page.text
    assert "Messaggio automatico (Auto-Submitted)" in page.text
    second = Page((await client.get("/admin/inbound?page=2")).text)
    assert "Fuori ufficio 0" in second.text and "Stampa bloccata" not in second.text
    tickets_only = Page((await client.get("/admin/inbound", params={"outcome": "ticket"})).text)
    assert "Messaggi: 1" in tickets_only.text and "Fuori ufficio" not in tickets_only.text
    assert (await client.get("/admin/inbound?outcome=nonsense&page=x")).status_code == 200
    assert 'href="/admin/inbound"' in first.text  # in the Gestione menu


async def test_only_admins_see_the_inbound_page_and_its_menu_entry(client: httpx.AsyncClient) -> None:
    await make_user("tecnico@example.it", is_technician=True)
    await log_in(client, "tecnico@example.it")
    assert (await client.get("/admin/inbound")).status_code == 404
    assert 'href="/admin/inbound"' not in (await client.get("/tickets/queues")).text
