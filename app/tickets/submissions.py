"""One-time submission keys of the new-ticket and comment forms: a double submit creates one row.

The form carries a random key made when it is rendered. The first POST stores the key, in the transaction that
creates the ticket or comment, under a unique constraint; a repeat finds the stored key and is sent to what the
first created. Two POSTs racing both get past the first look, but the database lets only one key row commit:
the other transaction fails on the constraint, rolls back whole, and then finds the winner's row.
"""

import re
import secrets
from datetime import UTC, datetime, timedelta

from app.accounts.models import User
from app.tickets.models import Comment, Submission, Ticket

KEY_FIELD = "submission"
# A repeat comes within seconds (a double click) or minutes (a retry); a form kept open longer than this and
# sent again creates anew.
KEPT_FOR = timedelta(days=2)
_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")


def new_key() -> str:
    return secrets.token_urlsafe(24)


def is_valid(key: str) -> bool:
    return bool(_KEY.fullmatch(key))


async def earlier(user: User, key: str) -> Submission | None:
    """What this user already created with this key; a key of someone else's is nobody's for this user."""
    return await Submission.get_or_none(key=key, user_id=user.id) if key else None


async def remember(user: User, key: str, ticket: Ticket, comment: Comment | None = None) -> None:
    """Store the key with what it created; raises IntegrityError when another request stored it first."""
    if key:
        await Submission.create(key=key, user_id=user.id, ticket_id=ticket.id,
                                comment_id=comment.id if comment else None)


async def forget_old(now: datetime | None = None) -> int:
    """Delete the keys older than KEPT_FOR; returns how many."""
    return await Submission.filter(created_at__lt=(now or datetime.now(UTC)) - KEPT_FOR).delete()
