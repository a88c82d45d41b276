"""A technician's interventions as an iCalendar feed behind a secret address (revocable, regenerated)."""

import hashlib
import secrets
from datetime import timedelta

from icalendar import Calendar, Event
from tortoise.transactions import in_transaction

from app.accounts.models import Role, User, UserStatus
from app.field.models import CalendarFeed, Intervention, InterventionState
from app.tickets.service import now_utc

TOKEN_PREFIX = "cal_"
HISTORY = timedelta(days=180)  # past interventions kept in the feed
ICAL_STATUS = {InterventionState.PROPOSED: "TENTATIVE", InterventionState.CONFIRMED: "CONFIRMED",
               InterventionState.DONE: "CONFIRMED", InterventionState.CANCELLED: "CANCELLED"}


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def regenerate(technician: User) -> str:
    """A new secret address; the previous one stops working at once."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(24)
    async with in_transaction():
        await CalendarFeed.filter(technician_id=technician.id).delete()
        await CalendarFeed.create(technician_id=technician.id, token_hash=_digest(token))
    return token


async def revoke(technician: User) -> None:
    await CalendarFeed.filter(technician_id=technician.id).delete()


async def has_feed(technician: User) -> bool:
    return await CalendarFeed.exists(technician_id=technician.id)


async def owner(token: str) -> User | None:
    """The active technician whose feed `token` opens, or None (unknown, revoked, account disabled, no longer a
    technician)."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    feed = await CalendarFeed.filter(token_hash=_digest(token)).select_related("technician").first()
    if feed is None or feed.technician.status is not UserStatus.ACTIVE or not feed.technician.has_role(Role.TECHNICIAN):
        return None
    return feed.technician


async def ical(technician: User, base_url: str) -> bytes:
    entries = await Intervention.filter(technician_id=technician.id, ends_at__gte=now_utc() - HISTORY) \
        .select_related("ticket").order_by("starts_at")
    cal = Calendar()
    cal.add("prodid", "-//Sportello//Interventions//IT")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Sportello · {technician.full_name}")
    for entry in entries:
        event = Event()
        event.add("uid", f"intervention-{entry.id}@sportello")
        event.add("dtstamp", entry.updated_at)
        event.add("dtstart", entry.starts_at)
        event.add("dtend", entry.ends_at)
        event.add("summary", f"{entry.ticket.code} {entry.ticket.title}")
        event.add("status", ICAL_STATUS[entry.state])
        event.add("url", f"{base_url.rstrip('/')}/tickets/{entry.ticket.code}")
        if entry.place:
            event.add("location", entry.place)
        if entry.note:
            event.add("description", entry.note)
        cal.add_component(event)
    return cal.to_ical()
