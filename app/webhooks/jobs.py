"""The webhook sender as a background job: woken by every new delivery, polling every few seconds."""

import httpx

from app.jobs import Job
from app.settings import Settings
from app.webhooks.delivery import deliver_due
from app.webhooks.events import deliveries_queued

POLL_SECONDS = 5.0


async def send_due() -> int:
    async with httpx.AsyncClient() as client:  # closed every round, so shutdown leaves no connection behind
        return await deliver_due(client)


def jobs(settings: Settings) -> list[Job]:
    return [Job("webhooks", send_due, interval=POLL_SECONDS, wake=deliveries_queued)]
