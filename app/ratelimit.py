"""Attempt limits (moving windows) kept in the database, so every process of the portal counts the same attempts.

Login counts failures only, under three keys (see README, Security): the (account, client) pair tightly,
the client more broadly, the account across all clients loosely. Other forms count every attempt.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from limits import RateLimitItem, parse
from starlette.exceptions import HTTPException
from starlette.requests import Request

from app.accounts.models import RateLimitHit
from app.i18n import _

LOGIN_PAIR = parse("5/15 minutes")  # one client guessing one account's password
LOGIN_CLIENT = parse("30/15 minutes")  # one client trying many accounts
LOGIN_ACCOUNT = parse("100/hour")  # many clients after one account: loose, or anyone could lock a victim out
REGISTER = parse("5/hour")
RESET = parse("5/15 minutes")
FEEDBACK = parse("30/hour")  # anonymous votes and "this solved it" clicks, per client

KEY_LENGTH = 300


@dataclass(frozen=True)
class Counter:
    """One limit applied to one key in one scope ("login-pair", "a@b.it 192.0.2.1")."""

    limit: RateLimitItem
    scope: str
    key: str

    @property
    def window(self) -> timedelta:
        return timedelta(seconds=self.limit.get_expiry())

    @property
    def stored_key(self) -> str:
        return self.key.lower()[:KEY_LENGTH]


def client_key(request: Request) -> str:
    # The server (uvicorn) rewrites the client address from X-Forwarded-For only for TRUSTED_PROXIES.
    return request.client.host if request.client else "unknown"


def login_counters(email: str, client: str) -> list[Counter]:
    account = email.strip().lower() or "-"
    return [
        Counter(LOGIN_PAIR, "login-pair", f"{account} {client}"),
        Counter(LOGIN_CLIENT, "login-client", client),
        Counter(LOGIN_ACCOUNT, "login-account", account),
    ]


def reset_counters(email: str, client: str) -> list[Counter]:
    # Per address too, so nobody can fill a mailbox with reset links from many clients.
    return [Counter(RESET, "reset-client", client), Counter(RESET, "reset-account", email.strip().lower() or "-")]


async def _count(counter: Counter, now: datetime) -> int:
    return await RateLimitHit.filter(
        scope=counter.scope, key=counter.stored_key, at__gt=now - counter.window
    ).count()


async def exhausted(counters: list[Counter]) -> bool:
    """True when any counter has used up its window."""
    now = datetime.now(UTC)
    for counter in counters:
        if await _count(counter, now) >= counter.limit.amount:
            return True
    return False


async def record(counters: list[Counter]) -> None:
    now = datetime.now(UTC)
    await RateLimitHit.bulk_create([RateLimitHit(scope=c.scope, key=c.stored_key, at=now) for c in counters])


async def hit(counters: list[Counter]) -> bool:
    """Count an attempt under every counter; False (and nothing counted) when one of them is used up."""
    if await exhausted(counters):
        return False
    await record(counters)
    return True


async def hit_per_client(request: Request, limit: RateLimitItem, scope: str) -> bool:
    return await hit([Counter(limit, scope, client_key(request))])


async def enforce_per_client(request: Request, limit: RateLimitItem, scope: str) -> None:
    """For forms anyone may send: 429 once the client has used up its window."""
    if not await hit_per_client(request, limit, scope):
        raise HTTPException(status_code=429, detail=_("Too many attempts. Wait a few minutes and try again."))


async def forget(counter: Counter) -> None:
    await RateLimitHit.filter(scope=counter.scope, key=counter.stored_key).delete()


LONGEST_WINDOW = timedelta(days=1)


async def prune_old_hits() -> int:
    """Hits older than every window can no longer count."""
    return await RateLimitHit.filter(at__lte=datetime.now(UTC) - LONGEST_WINDOW).delete()
