"""The webhook sender as a background job: woken by every new delivery, polling every few seconds."""

import httpx

from app.jobs import Job
from app.settings import Settings
from app.webhooks.delivery import deliver_due
from app.webhooks.events import deliveries_queued

POLL_SECONDS = 5.0


def jobs(settings: Settings) -> list[Job]:
    client = httpx.AsyncClient()  # one connection pool for the life of the process
    return [Job("webhooks", lambda: deliver_due(client), interval=POLL_SECONDS, wake=deliveries_queued)]
