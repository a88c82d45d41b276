"""A file that came with an internal note is staff-only: never listed, served, found or mailed to the requester
(real HTTP app, real database and files, the real embedded engine, a real SMTP server)."""

import io
from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.datastructures import UploadFile

from app.accounts.models import User
from app.searching.engine import close_engines, get_engine
from app.searching.indexer import drain_all
from app.searching.service import search_for
from app.searching.sources import document_sources
from app.settings import Settings
from app.tickets import attachment_text, service
from app.tickets.models import Attachment, Ticket
from app.tickets.search_documents import TicketSource
from app.tickets.workflow import Event
from tests.support import Page, SmtpServer, log_in, log_out, text_of
from tests.tickets.helpers import move, open_ticket, people

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
SECRET = b"Accesso amministratore: utente root, parola zanzibarico.\n"
SHARED = b"Procedura di ripristino: riavviare il servizio ottovolante.\n"


@pytest.fixture(autouse=True)
async def closed_engines() -> AsyncIterator[None]:
    yield
    await close_engines()


def upload(name: str, data: bytes) -> UploadFile:
    return UploadFile(io.BytesIO(data), filename=name)


async def found_by(settings: Settings, who: User, text: str) -> list[str]:
    user = await User.get(id=who.id).select_related("company")
    return [hit.id for hit in (await search_for(settings, user, text)).hits]


async def test_the_requester_never_sees_nor_downloads_a_notes_file(client: httpx.AsyncClient, settings: Settings) -> None:
    _company, mario, _laura, tech = await people()
    ticket = await open_ticket(settings, mario)
    await log_in(client, tech.email)
    await client.post(f"/tickets/{ticket.code}/comments", data={"body": "Schermata del pannello", "internal": "on"},
                      files=[("files", ("pannello-admin.png", PNG, "image/png"))])
    await client.post(f"/tickets/{ticket.code}/comments", data={"body": "Ecco la guida"},
                      files=[("files", ("guida.png", PNG, "image/png"))])
    secret, shared = await Attachment.filter(ticket_id=ticket.id).order_by("id")
    assert (secret.internal, shared.internal) == (True, False)
    assert secret.comment_id is not None and shared.comment_id is not None
    staff_page = Page((await client.get(f"/tickets/{ticket.code}")).text)
    assert "pannello-admin.png" in staff_page.text and "guida.png" in staff_page.text
    assert (await client.get(f"/tickets/{ticket.code}/attachments/{secret.id}")).content == PNG
    await log_out(client)

    await log_in(client, mario.email)
    page = Page((await client.get(f"/tickets/{ticket.code}")).text)
    assert "guida.png" in page.text and f"/tickets/{ticket.code}/attachments/{shared.id}" in page.links
    assert "pannello-admin.png" not in page.text
    assert f"/tickets/{ticket.code}/attachments/{secret.id}" not in page.links
    hidden = await client.get(f"/tickets/{ticket.code}/attachments/{secret.id}")
    assert hidden.status_code == 404 and PNG not in hidden.content
    assert (await client.get(f"/tickets/{ticket.code}/attachments/{shared.id}")).content == PNG


async def test_a_notes_file_is_found_by_staff_only(settings: Settings, db: None) -> None:
    _company, mario, laura, tech = await people()
    ticket = await open_ticket(settings, mario, title="Servizio fermo")
    ticket = await Ticket.get(id=ticket.id)
    await service.add_comment(settings, tech, ticket, "Credenziali in allegato", internal=True,
                              uploads=[upload("credenziali-segrete.txt", SECRET)])
    await service.add_comment(settings, tech, await Ticket.get(id=ticket.id), "Ecco la procedura",
                              uploads=[upload("procedura.txt", SHARED)])
    await move(settings, tech, ticket, Event.TAKE_IN_CHARGE, Event.RESOLVE, resolution="Riavviato.")
    assert await attachment_text.extract_pending(service.attachments_dir(settings)) == 2
    (document,) = (await TicketSource().build([str(ticket.id)]))[str(ticket.id)]
    assert "zanzibarico" not in document.body and "credenziali-segrete" not in document.body
    assert "zanzibarico" in document.staff_body and "credenziali-segrete.txt" in document.staff_body
    assert "ottovolante" in document.body

    await drain_all(get_engine(settings), document_sources())
    hit = f"ticket:{ticket.id}"
    assert await found_by(settings, mario, "ottovolante") == [hit]
    assert await found_by(settings, laura, "ottovolante") == [hit]
    for word in ("zanzibarico", "credenziali-segrete"):
        assert await found_by(settings, mario, word) == []
        assert await found_by(settings, laura, word) == []
    assert await found_by(settings, tech, "zanzibarico") == [hit]


async def test_no_mail_carries_a_notes_file(settings: Settings, smtp: SmtpServer, db: None) -> None:
    _company, mario, _laura, tech = await people()
    ticket = await open_ticket(settings, mario)
    await smtp.deliver()
    before = len(smtp.mailbox.to(mario.email))
    await service.add_comment(settings, tech, await Ticket.get(id=ticket.id), "Nota con file", internal=True,
                              uploads=[upload("credenziali-segrete.txt", SECRET)])
    await service.add_comment(settings, tech, await Ticket.get(id=ticket.id), "Risposta pubblica",
                              uploads=[upload("procedura.txt", SHARED)])
    await smtp.deliver()
    mails = smtp.mailbox.to(mario.email)[before:]
    assert len(mails) == 1 and "Risposta pubblica" in text_of(mails[0])
    for mail in mails:
        text = text_of(mail) + "".join(part.get_filename() or "" for part in mail.iter_attachments())
        assert "credenziali-segrete" not in text and "zanzibarico" not in text and "Nota con file" not in text
