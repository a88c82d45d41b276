"""The text of a ticket's PDF and text attachments: extracted in the background, searched with the solved ticket
under the same access rules as its thread (real database, real files, the real embedded engine)."""

import asyncio
import io
import logging
from collections.abc import AsyncIterator, Sequence

import pytest
from starlette.datastructures import UploadFile

from app.accounts.models import User
from app.jobs import running
from app.kb.models import TextStatus
from app.searching.engine import close_engines, get_engine
from app.searching.indexer import drain_all
from app.searching.models import IndexTask
from app.searching.service import search_for
from app.searching.sources import document_sources
from app.settings import Settings
from app.tickets import attachment_text, service
from app.tickets.jobs import jobs as ticket_jobs
from app.tickets.models import Attachment, Ticket
from app.tickets.choices import Priority, Severity
from app.tickets.workflow import Event, TicketType
from tests.kb.pdfs import BROKEN_PDF, text_pdf
from tests.support import make_company, make_user
from tests.tickets.helpers import move, open_ticket, people

pytestmark = pytest.mark.usefixtures("db")


@pytest.fixture(autouse=True)
async def closed_engines() -> AsyncIterator[None]:
    yield
    await close_engines()


def upload(name: str, data: bytes) -> UploadFile:
    return UploadFile(io.BytesIO(data), filename=name)


async def extract(settings: Settings) -> int:
    """Run the extraction job once, as the background loop would."""
    return await attachment_text.extract_pending(service.attachments_dir(settings))


async def index(settings: Settings) -> None:
    """Run the search indexer once over the outbox, into the portal's embedded engine."""
    await drain_all(get_engine(settings), document_sources())


async def found_by(settings: Settings, who: User, text: str) -> list[str]:
    user = await User.get(id=who.id).select_related("company")
    return [hit.id for hit in (await search_for(settings, user, text)).hits]


async def attach(settings: Settings, who: User, ticket: Ticket, *files: UploadFile) -> list[Attachment]:
    await service.add_attachments(settings, who, await Ticket.get(id=ticket.id), files)
    return await Attachment.filter(ticket_id=ticket.id).order_by("id")


async def solve(settings: Settings, tech: User, ticket: Ticket) -> Ticket:
    return await move(settings, tech, ticket, Event.TAKE_IN_CHARGE, Event.RESOLVE, resolution="Risolto.")


async def statuses(attachments: Sequence[Attachment]) -> list[TextStatus]:
    return [(await Attachment.get(id=a.id)).text_status for a in attachments]


async def test_a_solved_ticket_is_found_by_a_word_only_in_its_pdf_by_who_may_see_it(settings: Settings) -> None:
    _company, mario, laura, tech = await people()
    stranger = await make_user("carla@altra.example", await make_company("Altra Srl"), full_name="Carla")
    report = text_pdf(["Rapporto di errore", "Tracciato Fatturapa rifiutato dallo SDI"])
    data = service.TicketInput(title="Fatture non inviate", ticket_type=TicketType.ANOMALIA, priority=Priority.MEDIA,
                               severity=Severity.NON_BLOCCANTE, description="Le fatture restano in coda.")
    ticket = await service.create_ticket(settings, mario, data, uploads=[upload("errore.pdf", report)])
    assert await statuses(await Attachment.filter(ticket_id=ticket.id)) == [TextStatus.PENDING]
    assert await extract(settings) == 1
    (attachment,) = await Attachment.filter(ticket_id=ticket.id)
    assert attachment.text_status is TextStatus.READY and "Fatturapa rifiutato" in attachment.text
    await solve(settings, tech, ticket)
    await index(settings)
    for who, expected in ((mario, [f"ticket:{ticket.id}"]), (laura, [f"ticket:{ticket.id}"]), (tech, [f"ticket:{ticket.id}"]),
                          (stranger, [])):
        assert await found_by(settings, who, "rifiutato") == expected, who.email
    user = await User.get(id=mario.id).select_related("company")
    (hit,) = (await search_for(settings, user, "rifiutato")).hits
    assert "<mark>rifiutato</mark>" in hit.snippet_html


async def test_a_text_file_attached_to_a_solved_ticket_makes_it_findable(settings: Settings) -> None:
    _company, mario, _laura, tech = await people()
    stranger = await make_user("carla@altra.example", await make_company("Altra Srl"), full_name="Carla")
    ticket = await solve(settings, tech, await open_ticket(settings, mario))
    await index(settings)
    assert await found_by(settings, tech, "sigsegv") == []
    log = "2026-11-30 10:12:01 INFO avvio\n2026-11-30 10:12:07 ERROR modulo paghe: SIGSEGV in libstampa.so\n"
    (attachment,) = await attach(settings, mario, ticket, upload("server.log", log.encode()))
    assert attachment.text_status is TextStatus.PENDING
    await extract(settings)
    await index(settings)
    assert await found_by(settings, mario, "sigsegv") == [f"ticket:{ticket.id}"]
    assert await found_by(settings, tech, "libstampa") == [f"ticket:{ticket.id}"]
    assert await found_by(settings, stranger, "sigsegv") == []


async def test_a_broken_pdf_is_marked_failed_without_holding_back_the_others(settings: Settings) -> None:
    _company, mario, _laura, tech = await people()
    ticket = await open_ticket(settings, mario, description="La stampa dei cedolini resta bloccata.")
    files = await attach(settings, mario, ticket, upload("rotto.pdf", BROKEN_PDF),
                         upload("note.txt", "Stampante Kyocera in errore".encode()))
    assert await extract(settings) == 2
    assert await statuses(files) == [TextStatus.FAILED, TextStatus.READY]
    await solve(settings, tech, ticket)
    await index(settings)
    assert await found_by(settings, mario, "cedolini") == [f"ticket:{ticket.id}"]
    assert await found_by(settings, mario, "kyocera") == [f"ticket:{ticket.id}"]
    assert await extract(settings) == 0  # a failed file is not tried again on every round


async def test_the_text_follows_the_public_comments_under_the_file_name(settings: Settings,
                                                                       caplog: pytest.LogCaptureFixture) -> None:
    _company, mario, _laura, tech = await people()
    ticket = await open_ticket(settings, mario, description="Descrizione.")
    await service.add_comment(settings, mario, await Ticket.get(id=ticket.id), "Commento pubblico.")
    await attach(settings, mario, ticket, upload("errore.log", b"Riga del log."), upload("rotto.pdf", BROKEN_PDF),
                 upload("schermata.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64))
    await extract(settings)
    others = [await solve(settings, tech, await open_ticket(settings, mario)) for _ in range(3)]
    await solve(settings, tech, ticket)
    source = document_sources()["ticket"]
    with caplog.at_level(logging.DEBUG, logger="tortoise.db_client"):
        built = await source.build([str(t.id) for t in (ticket, *others)])
    assert sum("SELECT" in record.getMessage() for record in caplog.records) == 3  # tickets, comments, attachments
    (document,) = built[str(ticket.id)]
    assert document.body == "Descrizione.\n\nCommento pubblico.\n\nerrore.log\nRiga del log."


async def test_an_open_tickets_attachment_is_extracted_but_indexed_only_once_resolved(settings: Settings) -> None:
    _company, mario, _laura, tech = await people()
    ticket = await open_ticket(settings, mario)
    await index(settings)
    (attachment,) = await attach(settings, mario, ticket, upload("errore.pdf", text_pdf(["Timeout del servizio Anagrafe"])))
    await extract(settings)
    assert (await Attachment.get(id=attachment.id)).text_status is TextStatus.READY
    assert not await IndexTask.filter(source="ticket", object_id=str(ticket.id)).exists()  # nothing to index yet
    await index(settings)
    assert await found_by(settings, tech, "anagrafe") == []
    await solve(settings, tech, ticket)
    await index(settings)
    assert await found_by(settings, tech, "anagrafe") == [f"ticket:{ticket.id}"]


async def test_other_files_have_no_text_to_extract(settings: Settings) -> None:
    _company, mario, _laura, _tech = await people()
    ticket = await open_ticket(settings, mario)
    (image,) = await attach(settings, mario, ticket, upload("schermata.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64))
    assert image.text_status is TextStatus.NOT_PDF
    assert await extract(settings) == 0


async def test_a_long_text_file_is_capped_and_stored_without_nul_bytes(settings: Settings) -> None:
    _company, mario, _laura, _tech = await people()
    ticket = await open_ticket(settings, mario)
    head = b"riga di log\n" * 400  # sniffed as text: no NUL and valid UTF-8 in its first bytes
    tail = b"byte strano \xff e un NUL \x00 qui\n" + b"x" * (attachment_text.MAX_TEXT_CHARS * 2)
    (attachment,) = await attach(settings, mario, ticket, upload("lungo.log", head + tail))
    await extract(settings)
    stored = await Attachment.get(id=attachment.id)
    assert stored.text_status is TextStatus.READY and len(stored.text) <= attachment_text.MAX_TEXT_CHARS
    assert "byte strano \ufffd e un NUL  qui" in stored.text and "\x00" not in stored.text


async def test_an_upload_wakes_the_extraction_job(settings: Settings) -> None:
    _company, mario, _laura, _tech = await people()
    ticket = await open_ticket(settings, mario)
    (job,) = [job for job in ticket_jobs(settings) if job.wake is attachment_text.text_queued]
    async with running([job]):
        await asyncio.sleep(0.2)  # the job's first round finds nothing; it next runs when woken (or in a minute)
        (attachment,) = await attach(settings, mario, ticket, upload("nota.txt", "Codice fiscale errato".encode()))
        for _ in range(50):
            if (await Attachment.get(id=attachment.id)).text_status is TextStatus.READY:
                break
            await asyncio.sleep(0.1)
    assert (await Attachment.get(id=attachment.id)).text == "Codice fiscale errato"
