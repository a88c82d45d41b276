"""Satisfaction ratings: the requester rates his closed ticket from 1 to 5, on the ticket or through the signed
link of the auto-close mail; one rating per ticket, which rating again changes."""

from datetime import timedelta

from itsdangerous import BadSignature, URLSafeTimedSerializer
from tortoise.exceptions import IntegrityError

from app.accounts.models import User
from app.i18n import N_
from app.permissions import Action, allowed
from app.settings import Settings
from app.tickets.models import Rating, Ticket

SCORES: tuple[int, ...] = (1, 2, 3, 4, 5)
MAX_COMMENT_CHARS = 2000
LINK_VALID_FOR = timedelta(days=30)
_SALT = "ticket-rating"


class RatingError(ValueError):
    """A refused rating; the message is an English msgid, shown translated."""


def _signer(settings: Settings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.signing_key, salt=_SALT)


def rating_link(settings: Settings, ticket: Ticket) -> str:
    """The address that lets the requester rate `ticket` without logging in: it names the ticket and him."""
    token = _signer(settings).dumps([ticket.id, ticket.requester_id])
    return f"{settings.base_url.rstrip('/')}/rating/{token}"


async def from_link(settings: Settings, token: str) -> tuple[Ticket, User] | None:
    """The ticket and requester a link names, when its signature holds and it is less than 30 days old."""
    try:
        ticket_id, user_id = _signer(settings).loads(token, max_age=int(LINK_VALID_FOR.total_seconds()))
    except (BadSignature, ValueError, TypeError):
        return None
    ticket = await Ticket.get_or_none(id=ticket_id, requester_id=user_id)
    user = await User.get_or_none(id=user_id)
    return (ticket, user) if ticket is not None and user is not None else None


def parse_score(raw: str) -> int:
    if raw.strip() not in {str(n) for n in SCORES}:
        raise RatingError(N_("Choose a score from 1 to 5."))
    return int(raw)


async def rate(user: User, ticket: Ticket, raw_score: str, comment: str) -> Rating:
    """Store or change the one rating of `ticket`."""
    if not allowed(user, Action.RATE_TICKET, ticket):
        raise RatingError(N_("Only the requester rates a ticket, once it is closed."))
    values = {"score": parse_score(raw_score), "comment": comment.strip()[:MAX_COMMENT_CHARS], "rated_by_id": user.id}
    existing = await Rating.get_or_none(ticket_id=ticket.id)
    if existing is None:
        try:
            return await Rating.create(ticket_id=ticket.id, **values)
        except IntegrityError:  # the same rating sent twice at once: the first one created the row
            existing = await Rating.get(ticket_id=ticket.id)
    existing.update_from_dict(values)
    await existing.save()
    return existing
