"""Who may see which ticket: the one place that decides it.

Staff see every ticket. A requester sees his own tickets and, when his company shares tickets and he
is allowed to, every ticket of his company. Everything else answers 404.
"""

import re

from starlette.exceptions import HTTPException
from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from app.accounts.models import User
from app.reads import STAND_INS, Prepared
from app.tickets.loading import with_related
from app.tickets.models import Ticket
from app.tickets.workflow import Actor, Status

TICKET_REF = re.compile(r"^(?:TT(?P<number>[0-9]{1,9})|(?P<id>[0-9]{1,9}))$", re.IGNORECASE)


def sees_company_tickets(user: User) -> bool:
    company = user.company if user.company_id else None
    return bool(company is not None and company.shares_tickets and user.sees_company_tickets)


def visibility(user: User) -> Q:
    """The filter of the tickets `user` may see (the user's company must be loaded)."""
    if user.is_staff:
        return Q()
    if sees_company_tickets(user):
        return Q(requester_id=user.id) | Q(company_id=user.company_id)
    return Q(requester_id=user.id)


def can_see(user: User, ticket: Ticket) -> bool:
    if user.is_staff or ticket.requester_id == user.id:
        return True
    return sees_company_tickets(user) and ticket.company_id is not None and ticket.company_id == user.company_id


def can_rate(user: User, ticket: Ticket) -> bool:
    """Only the requester rates, once his ticket is closed (rating again changes his rating)."""
    return ticket.requester_id == user.id and ticket.status is Status.CHIUSO


def actor_for(user: User) -> Actor:
    return Actor.STAFF if user.is_staff else Actor.REQUESTER


def visible_tickets(user: User) -> QuerySet[Ticket]:
    return Ticket.filter(visibility(user))


def _named(ref: str) -> tuple[str, int] | None:
    """`TT12` names a ticket by number, `12` by id; anything else names nothing."""
    match = TICKET_REF.match(ref.strip())
    if match is None:
        return None
    return ("number", int(match["number"])) if match["number"] else ("id", int(match["id"]))


def parse_ref(ref: str) -> Q | None:
    named = _named(ref)
    return None if named is None else Q(**{named[0]: named[1]})


_BY = {field: Prepared(Ticket, lambda value, field=field: Ticket.filter(**{field: value}).limit(1), STAND_INS[0])
       for field in ("number", "id")}


async def ticket_for(user: User, ref: str) -> Ticket:
    """The ticket `ref` if `user` may see it, with its people loaded; 404 otherwise."""
    named = _named(ref)
    ticket = None if named is None else await _BY[named[0]].first(named[1])
    if ticket is None or not can_see(user, ticket):
        raise HTTPException(status_code=404)
    await with_related([ticket])
    return ticket
