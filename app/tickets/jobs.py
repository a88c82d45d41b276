"""Background work of tickets: the automatic close of resolved tickets, and the text of their attachments."""

from app.jobs import Job
from app.settings import Settings
from app.tickets import attachment_text
from app.tickets.service import attachments_dir, auto_close_resolved

AUTO_CLOSE_INTERVAL_SECONDS = 300.0
# Woken at once by an upload in this process; the interval catches the rest (other processes, an upgrade).
TEXT_EXTRACTION_INTERVAL_SECONDS = 60.0


def jobs(settings: Settings) -> list[Job]:
    return [
        # The database is the auto-close's schedule.
        Job("ticket-auto-close", lambda: auto_close_resolved(settings), interval=AUTO_CLOSE_INTERVAL_SECONDS),
        Job("ticket-attachment-text", lambda: attachment_text.extract_pending(attachments_dir(settings)),
            interval=TEXT_EXTRACTION_INTERVAL_SECONDS, wake=attachment_text.text_queued),
    ]
