"""Background work of accounts: expired sessions and rate-limit hits that can no longer count are removed."""

from app import ratelimit
from app.accounts.sessions import prune_expired_sessions
from app.jobs import Job
from app.settings import Settings

PRUNE_SECONDS = 3600.0


async def prune() -> int:
    return await prune_expired_sessions() + await ratelimit.prune_old_hits()


def jobs(settings: Settings) -> list[Job]:
    return [Job("accounts-prune", prune, interval=PRUNE_SECONDS)]
