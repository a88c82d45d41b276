"""The ticket story in Chromium: open with an attachment, take in charge, ask, answer, resolve, "Ok, risolto",
and every mail on the way arrives with its deep link."""

import asyncio

from playwright.async_api import Browser, expect

from app.tickets.models import Attachment, Ticket
from app.tickets.workflow import Status
from tests.browser.conftest import LiveServer
from tests.browser.support import log_in
from tests.support import SmtpServer, link_in, make_company, make_user

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


async def mail_with(smtp: SmtpServer, address: str, subject_part: str) -> str:
    """Wait for a mail to `address` whose subject contains `subject_part`; return its deep link path."""
    for _ in range(150):
        for message in smtp.mailbox.to(address):
            if subject_part in message["Subject"]:
                return link_in(message, "/tickets/")
        await asyncio.sleep(0.1)
    raise AssertionError(f"no mail to {address} about {subject_part!r}: {[m['Subject'] for m in smtp.mailbox.messages]}")


async def test_a_ticket_from_opening_to_ok_risolto(live_server: LiveServer, browser: Browser, smtp: SmtpServer) -> None:
    company = await make_company("Comune di Valdora")
    await make_user("mario.rossi@valdora.example", company, full_name="Mario Rossi")
    await make_user("marco.ferri@sportello.example", is_technician=True, full_name="Marco Ferri")
    requester = await (await browser.new_context()).new_page()
    technician = await (await browser.new_context()).new_page()

    await log_in(requester, live_server, "mario.rossi@valdora.example")
    await requester.goto(f"{live_server.url}/tickets/new")
    await requester.get_by_label("Titolo").fill("Stampa dei cedolini bloccata")
    await requester.get_by_label("Tipo").select_option("anomalia")
    await requester.get_by_label("Priorità").select_option("urgente")
    await requester.get_by_label("Descrizione").fill("Premendo Stampa non succede nulla.")
    await requester.get_by_label("Allegati (trascina qui i file o sceglili)").set_input_files(
        files=[{"name": "schermata.png", "mimeType": "image/png", "buffer": PNG}])
    await requester.get_by_role("button", name="Apri il ticket").click()
    ticket = await Ticket.get(title="Stampa dei cedolini bloccata")
    await expect(requester.get_by_role("heading", level=1)).to_have_text(f"{ticket.code} — Stampa dei cedolini bloccata")
    await expect(requester.get_by_role("link", name="schermata.png")).to_be_visible()
    await expect(requester.get_by_role("note")).to_contain_text("Preso in carico entro")
    assert await mail_with(smtp, "mario.rossi@valdora.example", f"Ticket {ticket.code} aperto") == f"/tickets/{ticket.code}"
    link = await mail_with(smtp, "marco.ferri@sportello.example", f"Nuovo ticket {ticket.code}")

    await log_in(technician, live_server, "marco.ferri@sportello.example")
    await technician.goto(f"{live_server.url}/tickets/queues")
    await technician.get_by_role("link", name="Stampa dei cedolini bloccata").click()
    await expect(technician).to_have_url(live_server.url + link)
    await technician.get_by_role("button", name="Prendi in carico").click()
    await expect(technician.get_by_role("note")).to_contain_text("Preso in carico da Marco Ferri")
    await mail_with(smtp, "mario.rossi@valdora.example", f"Ticket {ticket.code}: Attesa supporto")

    await technician.get_by_label("Il tuo commento").fill("Quale stampante usate? Ci mandi il log.")
    await technician.get_by_role("button", name="Invia").click()
    await technician.get_by_role("button", name="Chiedi al cliente").click()
    await expect(technician.get_by_role("status")).to_contain_text("Attesa cliente")
    question = await mail_with(smtp, "mario.rossi@valdora.example", f"Nuovo commento sul ticket {ticket.code}")

    await requester.goto(live_server.url + question)
    await expect(requester.get_by_text("Quale stampante usate? Ci mandi il log.")).to_be_visible()
    await requester.get_by_label("Il tuo commento").fill("Una Kyocera di rete. Allego il log.")
    await requester.get_by_role("button", name="Invia").click()
    await expect(requester.get_by_role("heading", name="Commenti (2)")).to_be_visible()
    await requester.evaluate("""() => {
        const data = new DataTransfer();
        data.items.add(new File(["spool error 0x2f"], "stampa.log", {type: "text/plain"}));
        const zone = document.querySelector("[data-attach-form] [data-dropzone]");
        zone.dispatchEvent(new DragEvent("drop", {dataTransfer: data, bubbles: true, cancelable: true}));
    }""")
    await expect(requester.get_by_role("link", name="stampa.log")).to_be_visible()
    await mail_with(smtp, "marco.ferri@sportello.example", f"Nuovo commento sul ticket {ticket.code}")
    assert (await Ticket.get(id=ticket.id)).status is Status.ATTESA_SUPPORTO

    await technician.reload()
    await technician.get_by_label("Informazioni soluzione", exact=True).first.fill("Aggiornato il driver Kyocera.")
    await technician.get_by_role("button", name="Risolvi").click()
    await expect(technician.get_by_role("status")).to_contain_text("Risolto")
    await mail_with(smtp, "mario.rossi@valdora.example", f"Ticket {ticket.code} risolto")

    await requester.reload()
    await expect(requester.get_by_text("Aggiornato il driver Kyocera.")).to_be_visible()
    await requester.get_by_role("button", name="Ok, risolto").click()
    await expect(requester.get_by_role("status")).to_contain_text("Chiuso")
    await mail_with(smtp, "marco.ferri@sportello.example", f"Ticket {ticket.code}: Chiuso")
    assert (await Ticket.get(id=ticket.id)).status is Status.CHIUSO
    assert await Attachment.filter(ticket_id=ticket.id).count() == 2
