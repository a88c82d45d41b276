"""Personal API tokens: made, listed, revoked by their owner; checked on every API call.

A token is `spt_` + 32 random bytes (url-safe). The database keeps its SHA-256 and its first characters, so a
copy of the table authenticates nobody; the full token is shown once, when it is made.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from app.accounts.models import User, UserStatus
from app.api.models import ApiToken
from app.i18n import N_

PREFIX = "spt_"
SHOWN_CHARS = 12
LAST_USED_STEP = timedelta(minutes=1)
MAX_TOKENS = 20


class Scope(StrEnum):
    READ = "read"  # GET: tickets, articles, search, files
    WRITE = "write"  # POST: new tickets and comments


class TokenError(ValueError):
    """The message is an English msgid shown translated."""


@dataclass(frozen=True)
class NewToken:
    row: ApiToken
    token: str  # the only time it exists outside the caller's hands


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create_token(user: User, name: str, scopes: list[str]) -> NewToken:
    name = name.strip()
    chosen = sorted({s for s in scopes if s in set(Scope)})
    if not name or len(name) > 100:
        raise TokenError(N_("Give the token a name of at most 100 characters."))
    if not chosen:
        raise TokenError(N_("Choose at least one permission for the token."))
    if await ApiToken.filter(user_id=user.id).count() >= MAX_TOKENS:
        raise TokenError(N_("You have too many tokens: revoke one you no longer use."))
    token = PREFIX + secrets.token_urlsafe(32)
    row = await ApiToken.create(user_id=user.id, name=name, prefix=token[:SHOWN_CHARS], token_hash=digest(token),
                                scopes=chosen)
    return NewToken(row, token)


async def tokens_of(user: User) -> list[ApiToken]:
    return await ApiToken.filter(user_id=user.id)


async def revoke(user: User, token_id: int) -> bool:
    return await ApiToken.filter(id=token_id, user_id=user.id).delete() > 0


async def authenticate(raw: str) -> tuple[User, ApiToken] | None:
    """The active user and token behind `raw`, or None. The lookup is by the digest's unique index; the
    digests are compared again in constant time, so no timing tells how much of a guess was right."""
    if not raw.startswith(PREFIX) or len(raw) > 100:
        return None
    wanted = digest(raw)
    row = await ApiToken.get_or_none(token_hash=wanted, user__status=UserStatus.ACTIVE).select_related(
        "user__company")
    if row is None or not hmac.compare_digest(row.token_hash, wanted):
        return None
    now = datetime.now(UTC)
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_STEP:
        row.last_used_at = now
        await ApiToken.filter(id=row.id).update(last_used_at=now)
    return row.user, row
