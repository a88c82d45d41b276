"""What one viewer's stream of a ticket carries: the ticket's new events that this viewer may see, each
rendered with the ticket page's partials. A requester gets the public comments and the status changes, and
nothing at all for an internal note, its files or the staff's edits; staff get every event."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from app.accounts.models import Session, User, UserStatus
from app.field.service import history_line
from app.tickets.access import can_see
from app.tickets.detail import (
    REQUESTER_HISTORY,
    NumberedComment,
    field_changes,
    sees_internal,
    status_label,
    visible_comments,
)
from app.tickets.models import EventKind, Ticket, TicketEvent

REQUESTER_KINDS = (EventKind.COMMENT, *REQUESTER_HISTORY)
BATCH = 50

Render = Callable[[str, dict[str, Any]], str]


@dataclass(frozen=True)
class LiveEvent:
    id: int
    name: str  # comment, status or changed: what the page does with it
    html: str


async def latest_event_id(ticket: Ticket) -> int:
    ids = await TicketEvent.filter(ticket_id=ticket.id).order_by("-id").limit(1).values_list("id", flat=True)
    return ids[0] if ids else 0


async def viewer_now(session: Session, ticket: Ticket) -> User | None:
    """The viewer as the database has him now, if his session is still there, unexpired, his account active
    and the ticket still his to see (a company that stopped sharing, a contact moved): else None."""
    row = await Session.filter(id=session.id, expires_at__gt=datetime.now(UTC)).select_related(
        "user__company").first()
    if row is None or row.user.status is not UserStatus.ACTIVE or not can_see(row.user, ticket):
        return None
    return row.user


async def events_after(user: User, ticket: Ticket, after: int, render: Render) -> list[LiveEvent]:
    staff = sees_internal(user, ticket)
    query = TicketEvent.filter(ticket_id=ticket.id, id__gt=after).select_related("actor").order_by("id").limit(BATCH)
    if not staff:
        query = query.filter(kind__in=REQUESTER_KINDS)
    found = []
    for event in await query:
        if event.kind in (EventKind.COMMENT, EventKind.NOTE):
            html = await _comment_html(user, ticket, event, render)
            if html is not None:
                found.append(LiveEvent(event.id, "comment", html))
            continue
        html = render("tickets/_history_row.html", {"e": event, "EventKind": EventKind, "status_label": status_label,
                                                     "field_changes": field_changes, "intervention_line": history_line})
        found.append(LiveEvent(event.id, "status" if event.kind is EventKind.STATUS else "changed", html))
    return found


async def _comment_html(user: User, ticket: Ticket, event: TicketEvent, render: Render) -> str | None:
    """The comment an event announces (its id is the event's detail), numbered as the page numbers it."""
    if not event.detail.isdigit():
        return None  # written before comments named their event
    visible = visible_comments(user, ticket)
    comment = await visible.filter(id=int(event.detail)).select_related("author").first()
    if comment is None:
        return None
    number = await visible.filter(id__lte=comment.id).count()
    return render("tickets/_comment.html", {"item": NumberedComment(number, comment)})
