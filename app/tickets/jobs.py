"""The automatic close of resolved tickets, run every few minutes; the database is its schedule."""

from app.jobs import Job
from app.settings import Settings
from app.tickets.service import auto_close_resolved

AUTO_CLOSE_INTERVAL_SECONDS = 300.0


def jobs(settings: Settings) -> list[Job]:
    return [Job("ticket-auto-close", lambda: auto_close_resolved(settings), interval=AUTO_CLOSE_INTERVAL_SECONDS)]
