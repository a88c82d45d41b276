"""People, solved tickets and a drained index for the staff-flow tests."""

import re

from app.accounts.models import Company, User
from app.searching.engine import get_engine
from app.searching.indexer import drain_all
from app.searching.sources import document_sources
from app.settings import Settings
from app.tickets.models import Comment, Ticket
from app.tickets.workflow import Event, TicketType
from tests.support import make_company, make_user
from tests.tickets.helpers import move, open_ticket


async def technician(email: str = "tecnico@sportello.example", **roles: bool) -> User:
    return await make_user(email, is_technician=roles.pop("is_technician", True), full_name="Marco Ferri", **roles)


async def requester(company_name: str, email: str, full_name: str, **values: object) -> tuple[Company, User]:
    company = await Company.get_or_none(name=company_name) or await make_company(company_name)
    return company, await make_user(email, company, full_name=full_name, **values)


async def solved_ticket(settings: Settings, owner: User, tech: User, title: str, description: str,
                        resolution: str, *, close: bool = False) -> Ticket:
    ticket = await open_ticket(settings, owner, title=title, description=description,
                               ticket_type=TicketType.ANOMALIA)
    events = [Event.TAKE_IN_CHARGE, Event.RESOLVE] + ([Event.CLOSE] if close else [])
    for event in events:
        ticket = await move(settings, owner if event is Event.CLOSE else tech, ticket, event, resolution=resolution)
    return ticket


async def comment(ticket: Ticket, author: User, body: str, internal: bool = False) -> Comment:
    return await Comment.create(ticket_id=ticket.id, author_id=author.id, body=body, internal=internal)


async def drain(settings: Settings) -> None:
    """Run the indexer once over the outbox, into the engine the portal searches."""
    await drain_all(get_engine(settings), document_sources())


def headings(html: str) -> list[str]:
    """Every heading's text, h1 to h6 (the panel's subsections are h4 under the staff panel's h3)."""
    return [re.sub(r"<[^>]+>", "", text).strip() for text in re.findall(r"<h[1-6][^>]*>(.*?)</h[1-6]>", html, re.S)]
