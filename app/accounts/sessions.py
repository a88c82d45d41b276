"""Server-side sessions: the signed cookie carries a random id, the database its SHA-256 and the facts."""

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from app.accounts.models import Session

REMEMBER = timedelta(days=30)
UNREMEMBERED = timedelta(hours=12)
# "Last seen" is for the person's list of sessions, not an audit trail: one write per quarter hour at most.
LAST_SEEN_STEP = timedelta(minutes=15)
USER_AGENT_LENGTH = 300


def digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


async def start_session(user_id: int, remember: bool, user_agent: str) -> str:
    """A new session for the user; the returned id goes into the cookie and nowhere else."""
    session_id = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    await Session.create(
        token_hash=digest(session_id), user_id=user_id, expires_at=now + (REMEMBER if remember else UNREMEMBERED),
        last_seen_at=now, user_agent=user_agent[:USER_AGENT_LENGTH],
    )
    return session_id


def is_current(session: Session, now: datetime) -> bool:
    return session.expires_at > now


async def note_seen(session: Session, now: datetime) -> None:
    if now - session.last_seen_at >= LAST_SEEN_STEP:
        session.last_seen_at = now
        await Session.filter(id=session.id).update(last_seen_at=now)


async def end_session(session_id: str) -> None:
    await Session.filter(token_hash=digest(session_id)).delete()


async def end_sessions_of(user_id: int, keep: Session | None = None) -> int:
    """End every session of the user (but `keep`, the one making the request, when given)."""
    query = Session.filter(user_id=user_id)
    if keep is not None:
        query = query.exclude(id=keep.id)
    return await query.delete()


async def end_one_session_of(user_id: int, row_id: int) -> bool:
    return await Session.filter(user_id=user_id, id=row_id).delete() > 0


async def active_sessions_of(user_id: int) -> list[Session]:
    return await Session.filter(user_id=user_id, expires_at__gt=datetime.now(UTC)).order_by("-last_seen_at")


async def prune_expired_sessions() -> int:
    return await Session.filter(expires_at__lte=datetime.now(UTC)).delete()
