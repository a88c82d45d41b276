"""The text of ticket attachments (PDFs and text files), extracted in the background: a solved ticket is
found by the words of its error report or log as well as by its thread."""

import asyncio
import logging
from pathlib import Path

from tortoise.transactions import in_transaction

from app.kb.models import TextStatus
from app.kb.pdftext import PdfError, extract_pdf_pages
from app.searching.outbox import enqueue
from app.tickets.models import Attachment, Ticket
from app.tickets.search_documents import INDEXED_STATUSES, TicketSource

log = logging.getLogger(__name__)

text_queued = asyncio.Event()  # set after an attachment is committed, so the job extracts it at once
PDF = "application/pdf"
# The text goes into the ticket's search document, which the indexer rebuilds on every change of the
# ticket. A log can be tens of megabytes: its first 100,000 characters (some 15,000 words) hold the error
# that finds the ticket, and keep the row, the index and each rebuild small (Meilisearch indexes at most
# 65,535 words of a field anyway).
MAX_TEXT_CHARS = 100_000
MAX_UTF8_BYTES = MAX_TEXT_CHARS * 4  # a character takes at most 4 bytes: this many bytes is always enough


def is_extractable(content_type: str) -> bool:
    return content_type == PDF or content_type.startswith("text/")


def initial_text_status(content_type: str) -> TextStatus:
    """What a new attachment starts with: PDFs and text files wait for the job, other types have no text."""
    return TextStatus.PENDING if is_extractable(content_type) else TextStatus.NOT_PDF


async def read_text(path: Path, content_type: str) -> str:
    """The attachment's text, capped; raises PdfError for an unreadable PDF, OSError for a missing file."""
    if content_type == PDF:
        text = "\n\n".join(page for page in (await extract_pdf_pages(path)).pages if page)
    else:
        text = await asyncio.to_thread(_read_text_file, path)
    return text[:MAX_TEXT_CHARS].replace("\x00", "")  # PostgreSQL refuses NUL in text columns


def _read_text_file(path: Path) -> str:
    # Upload sniffing accepts a text file when its head is UTF-8; a stray byte further on must not lose the rest.
    with path.open("rb") as handle:
        return handle.read(MAX_UTF8_BYTES).decode("utf-8", errors="replace")


async def store_text(attachment: Attachment, text: str) -> None:
    """The text and, when the ticket is solved, its search outbox row, in one transaction."""
    status = TextStatus.READY if text.strip() else TextStatus.NO_TEXT
    async with in_transaction():
        await Attachment.filter(id=attachment.id).update(text=text, text_status=status)
        # Read after the write and locked: a resolve committing meanwhile either waits for this commit (and
        # indexes the text itself) or is seen here, so the text never misses the ticket's document.
        ticket = await Ticket.filter(id=attachment.ticket_id).select_for_update().only("id", "status").get()
        if ticket.status in INDEXED_STATUSES:
            await enqueue(TicketSource.name, attachment.ticket_id)


async def extract_text(folder: Path, attachment: Attachment) -> None:
    await store_text(attachment, await read_text(folder / attachment.stored_name, attachment.content_type))


async def extract_pending(folder: Path) -> int:
    """The background job: the text of every attachment waiting for it; an unreadable one is marked failed."""
    pending = await Attachment.filter(text_status=TextStatus.PENDING).order_by("id")
    for attachment in pending:
        try:
            await extract_text(folder, attachment)
        except Exception as error:  # a broken or encrypted file must not hold back the others
            expected = isinstance(error, (PdfError, OSError))  # anything else is a bug: keep its traceback
            log.warning("text of attachment %s not extracted: %s", attachment.id, error, exc_info=not expected)
            await Attachment.filter(id=attachment.id).update(text_status=TextStatus.FAILED)
    return len(pending)
