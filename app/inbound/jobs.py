"""The poll of the support mailbox, when INBOUND_IMAP_URL is set."""

from app.inbound.service import poll_once
from app.jobs import Job
from app.settings import Settings


def jobs(settings: Settings) -> list[Job]:
    if not settings.inbound_imap_url:
        return []
    return [Job("inbound-mail", lambda: poll_once(settings), interval=settings.inbound_poll_seconds)]
