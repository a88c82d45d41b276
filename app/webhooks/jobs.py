"""The webhook sender as a background job: woken by every new delivery, polling every few seconds."""

import ssl
from functools import lru_cache

import httpx

from app.jobs import Job
from app.settings import Settings
from app.webhooks.delivery import deliver_due
from app.webhooks.events import deliveries_queued

POLL_SECONDS = 5.0


@lru_cache(maxsize=1)
def _tls() -> ssl.SSLContext:
    """Built once: loading the system's certificates is most of a new client's cost, every round."""
    return ssl.create_default_context()


async def send_due() -> int:
    async with httpx.AsyncClient(verify=_tls()) as client:  # closed every round: shutdown leaves no connection
        return await deliver_due(client)


def jobs(settings: Settings) -> list[Job]:
    return [Job("webhooks", send_due, interval=POLL_SECONDS, wake=deliveries_queued)]
