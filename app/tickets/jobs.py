"""Background work of tickets: the automatic close of resolved tickets, the text of their attachments, the
cleanup of upload folders (ticket attachments and documents: both are stored by app/uploads.py) and of old
one-time submission keys."""

from pathlib import Path

from app.jobs import Job
from app.kb.documents import documents_dir
from app.kb.models import Document
from app.settings import Settings
from app.tickets import attachment_text, submissions
from app.tickets.models import Attachment
from app.tickets.service import attachments_dir, auto_close_resolved
from app.uploads import KnownNames, Sweep, sweep

AUTO_CLOSE_INTERVAL_SECONDS = 300.0
# Woken at once by an upload in this process; the interval catches the rest (other processes, an upgrade).
TEXT_EXTRACTION_INTERVAL_SECONDS = 60.0
# The first run is at startup; partials become removable after an hour, so a quarter of that is prompt enough.
UPLOAD_CLEANUP_INTERVAL_SECONDS = 900.0
SUBMISSION_CLEANUP_INTERVAL_SECONDS = 3600.0
NAMES_PER_QUERY = 500


def _names_in(model: type[Attachment] | type[Document]) -> KnownNames:
    async def known(names: list[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(names), NAMES_PER_QUERY):
            chunk = names[start:start + NAMES_PER_QUERY]
            found.update(await model.filter(stored_name__in=chunk).values_list("stored_name", flat=True))
        return found

    return known


def upload_folders(settings: Settings) -> list[tuple[Path, type[Attachment] | type[Document]]]:
    return [(attachments_dir(settings), Attachment), (documents_dir(settings), Document)]


async def clean_uploads(settings: Settings, now: float | None = None) -> list[Sweep]:
    """Remove what killed or failed uploads left in every upload folder (see app.uploads.sweep)."""
    return [await sweep(folder, _names_in(model), now) for folder, model in upload_folders(settings)]


def jobs(settings: Settings) -> list[Job]:
    return [
        # The database is the auto-close's schedule.
        Job("ticket-auto-close", lambda: auto_close_resolved(settings), interval=AUTO_CLOSE_INTERVAL_SECONDS),
        Job("ticket-attachment-text", lambda: attachment_text.extract_pending(attachments_dir(settings)),
            interval=TEXT_EXTRACTION_INTERVAL_SECONDS, wake=attachment_text.text_queued),
        Job("upload-cleanup", lambda: clean_uploads(settings), interval=UPLOAD_CLEANUP_INTERVAL_SECONDS),
        Job("submission-key-cleanup", submissions.forget_old, interval=SUBMISSION_CLEANUP_INTERVAL_SECONDS),
    ]
